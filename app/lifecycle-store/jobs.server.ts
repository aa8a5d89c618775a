import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { requestLoyaltyMetafields } from "~/loyalty-store/metafields.server";
import { requestReferralCodes } from "~/loyalty-store/referrals.server";
import { requestWriteBack } from "~/write-back/jobs.server";
import { requestHistoryReplay } from "./history.server";
import { recomputeCustomer, recomputeShop } from "./recompute.server";
import { lifecycleSettings } from "./settings.server";

export const RECOMPUTE_JOB = "recompute";
export const RECOMPUTE_CUSTOMER_JOB = "recompute-customer";
// Stages drift with time alone (silence turns loyal into at risk), so every shop is recomputed daily.
export const RECOMPUTE_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Queues a full recompute of the shop now (after a backfill or a settings change); one at a time per shop. */
export async function requestRecompute(db: PrismaClient, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: RECOMPUTE_JOB, dedupeKey: "full", runAt: now });
}

/** Keeps the daily full recompute queued for the shop (it then reschedules itself). */
export async function scheduleDailyRecompute(db: PrismaClient, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: RECOMPUTE_JOB, dedupeKey: "full", runAt: new Date(now.getTime() + RECOMPUTE_INTERVAL_MS) });
}

/** Queues one customer's recompute after something about them changed; repeated requests collapse. */
export async function requestCustomerRecompute(db: PrismaClient | Prisma.TransactionClient, shop: string, customerId: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: RECOMPUTE_CUSTOMER_JOB, dedupeKey: customerId, payload: { customerId }, runAt: now });
}

/**
 * Stages moved: Shopify learns them, new advocates get referral codes, the storefront's stage-aware
 * summary follows. The recompute marked the customers it changed as due for both writes.
 */
async function afterLifecycleChange(db: PrismaClient, shop: string, now: Date) {
  await requestWriteBack(db, shop, now);
  await requestReferralCodes(db, shop, now);
  await requestLoyaltyMetafields(db, shop, now, []);
}

/** The full recompute runs again a day later: one daily chain per shop. */
export const runRecomputeJob: JobHandler = async ({ db, now }, run) => {
  const backfilled = await db.backfill.findFirst({ where: { shop: run.job.shop, status: "completed" }, select: { id: true } });
  // Before the first import has finished there is nothing meaningful to compute; the import asks again.
  if (backfilled) {
    const result = await recomputeShop(db, run.job.shop, now());
    if (result.changed > 0) await afterLifecycleChange(db, run.job.shop, now());
    if (!(await lifecycleSettings(db, run.job.shop)).historyReplayedAt) await requestHistoryReplay(db, run.job.shop, now());
  }
  return { snoozeUntil: new Date(now().getTime() + RECOMPUTE_INTERVAL_MS) };
};

const CustomerPayload = z.object({ customerId: z.string() });

export const runRecomputeCustomerJob: JobHandler = async ({ db, now }, run) => {
  const changed = await recomputeCustomer(db, run.job.shop, CustomerPayload.parse(run.payload).customerId, now());
  if (changed) await afterLifecycleChange(db, run.job.shop, now());
};
