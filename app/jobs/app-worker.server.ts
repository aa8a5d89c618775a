import { createAdminApi } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { env } from "~/env.server";
import { unauthenticated } from "~/shopify.server";
import { RECOMPUTE_CUSTOMER_JOB, RECOMPUTE_JOB, runRecomputeCustomerJob, runRecomputeJob, scheduleDailyRecompute } from "~/lifecycle-store/jobs.server";
import { BACKFILL_JOB, runBackfillJob } from "~/sync/backfill.server";
import { runWriteBackJob, WRITE_BACK_JOB } from "~/write-back/jobs.server";
import { RECONCILE_JOB, runReconcileJob, scheduleReconciliationForInstalledShops } from "~/sync/reconcile.server";
import { createWorker, type JobHandler, type WorkContext, type Worker } from "./worker.server";
import {
  AWARD_PAST_ORDERS_JOB,
  LOYALTY_DAILY_JOB,
  ORDER_POINTS_JOB,
  runAwardPastOrdersJob,
  runLoyaltyDailyJob,
  runOrderPointsJob,
  scheduleLoyaltyDaily,
} from "~/loyalty-store/jobs.server";
import { LOYALTY_METAFIELDS_JOB, runLoyaltyMetafieldsJob } from "~/loyalty-store/metafields.server";
import { LOYALTY_PROGRAMME_JOB, runLoyaltyProgrammeJob } from "~/loyalty-store/programme.server";
import { REFERRAL_CODES_JOB, runReferralCodesJob } from "~/loyalty-store/referrals.server";
import { REDEMPTION_JOB, runRedemptionJob } from "~/loyalty-store/redemptions.server";
import { HISTORY_JOB, runHistoryJob } from "~/lifecycle-store/history.server";
import { RETENTION_JOB, runRetentionJob, scheduleRetention } from "~/webhooks/retention.server";
import { METAFIELD_ACCESS_JOB, runMetafieldAccessJob } from "~/compliance/metafield-access.server";

export const JOB_HANDLERS: Readonly<Record<string, JobHandler>> = {
  [BACKFILL_JOB]: runBackfillJob,
  [RECONCILE_JOB]: runReconcileJob,
  [RECOMPUTE_JOB]: runRecomputeJob,
  [RECOMPUTE_CUSTOMER_JOB]: runRecomputeCustomerJob,
  [WRITE_BACK_JOB]: runWriteBackJob,
  [ORDER_POINTS_JOB]: runOrderPointsJob,
  [REDEMPTION_JOB]: runRedemptionJob,
  [LOYALTY_METAFIELDS_JOB]: runLoyaltyMetafieldsJob,
  [LOYALTY_PROGRAMME_JOB]: runLoyaltyProgrammeJob,
  [LOYALTY_DAILY_JOB]: runLoyaltyDailyJob,
  [REFERRAL_CODES_JOB]: runReferralCodesJob,
  [AWARD_PAST_ORDERS_JOB]: runAwardPastOrdersJob,
  [HISTORY_JOB]: runHistoryJob,
  [RETENTION_JOB]: runRetentionJob,
  [METAFIELD_ACCESS_JOB]: runMetafieldAccessJob,
};

// Background work leaves this share of the shop's API bucket to the merchant's pages.
const BACKGROUND_RESERVE_SHARE = 0.3;

/** The app's Admin API for a shop outside any request (jobs), through its stored offline session. */
export async function adminForShop(shop: string, onCost?: (points: number) => void) {
  const { admin } = await unauthenticated.admin(shop);
  return createAdminApi(admin.graphql, {
    onCost: (_operation, cost) => onCost?.(cost.actualQueryCost ?? cost.requestedQueryCost),
    reserveShare: BACKGROUND_RESERVE_SHARE,
  });
}

export function appWorkContext(): WorkContext {
  return { db: prisma, now: () => new Date(), adminFor: adminForShop, wake: wakeAppWorker };
}

declare global {
  // One worker per process, kept across dev-server module reloads.
  var lifecycleWorker: Worker | undefined;
}

export function appWorker(): Worker {
  globalThis.lifecycleWorker ??= createWorker({ context: appWorkContext(), handlers: JOB_HANDLERS });
  return globalThis.lifecycleWorker;
}

/** Starts this process's worker (unless JOBS_WORKER=off) and makes sure every shop's reconciliation is scheduled. */
export function startAppWorker() {
  if (env().JOBS_WORKER === "off") return;
  appWorker().start();
  // A dead periodic job would end its chain; at boot every installed shop gets its chains back.
  scheduleForInstalledShops(prisma).catch((error: unknown) => console.error("[jobs] scheduling periodic jobs failed", error));
}

async function scheduleForInstalledShops(db: typeof prisma) {
  await scheduleRetention(db);
  await scheduleReconciliationForInstalledShops(db);
  for (const { shop } of await db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true } })) {
    await scheduleDailyRecompute(db, shop);
    await scheduleLoyaltyDaily(db, shop);
  }
}

/** New work is waiting; a started worker picks it up now rather than at its next poll. */
export function wakeAppWorker() {
  globalThis.lifecycleWorker?.wake();
}
