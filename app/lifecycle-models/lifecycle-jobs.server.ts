import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { nextPeriodicRun, RECOMPUTE_INTERVAL_MS, RECOMPUTE_JOB, requestHistoryReplay, requestLoyaltyMetafields, requestReferralCodes, requestWriteBack } from "~/jobs/catalogue.server";
import type { JobHandler } from "~/jobs/types";
import { recomputeCustomer, recomputeShop } from "./recompute.server";
import { lifecycleSettings } from "./settings.server";

/**
 * Stages moved: Shopify learns them, new advocates get referral codes, the storefront's stage-aware
 * summary follows. The recompute marked the customers it changed as due for both writes.
 */
async function afterLifecycleChange(db: PrismaClient, shop: string, now: Date) {
  await requestWriteBack(db, shop, now);
  await requestReferralCodes(db, shop, now);
  await requestLoyaltyMetafields(db, shop, now, []);
}

/** The full recompute runs again at the shop's next daily slot: one daily chain per shop. */
export const runRecomputeJob: JobHandler = async ({ db, now }, run) => {
  const backfilled = await db.backfill.findFirst({ where: { shop: run.job.shop, status: "completed" }, select: { id: true } });
  // Before the first import has finished there is nothing meaningful to compute; the import asks again.
  if (backfilled) {
    const result = await recomputeShop(db, run.job.shop, now());
    if (result.changed > 0) await afterLifecycleChange(db, run.job.shop, now());
    if (!(await lifecycleSettings(db, run.job.shop)).historyReplayedAt) await requestHistoryReplay(db, run.job.shop, now());
  }
  return { snoozeUntil: nextPeriodicRun(run.job.shop, RECOMPUTE_JOB, RECOMPUTE_INTERVAL_MS, now()) };
};

const CustomerPayload = z.object({ customerId: z.string() });

export const runRecomputeCustomerJob: JobHandler = async ({ db, now }, run) => {
  const changed = await recomputeCustomer(db, run.job.shop, CustomerPayload.parse(run.payload).customerId, now());
  if (changed) await afterLifecycleChange(db, run.job.shop, now());
};
