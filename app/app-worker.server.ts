/**
 * The app's job worker, composed: the handler of every job kind in the catalogue, the webhook
 * inbox's lane, and the context its work runs with. Nothing under app/jobs knows a feature; this
 * module is where they meet.
 */
import { createAdminApi } from "~/admin-api/client.server";
import { runMetafieldAccessJob } from "~/compliance/metafield-access.server";
import prisma from "~/db.server";
import { env } from "~/env.server";
import {
  AWARD_PAST_ORDERS_JOB,
  BACKFILL_JOB,
  BULK_JOB_KINDS,
  HISTORY_JOB,
  LOYALTY_DAILY_JOB,
  LOYALTY_METAFIELDS_JOB,
  LOYALTY_PROGRAMME_JOB,
  METAFIELD_ACCESS_JOB,
  ORDER_POINTS_JOB,
  RECOMPUTE_CUSTOMER_JOB,
  RECOMPUTE_JOB,
  RECONCILE_JOB,
  REDEMPTION_JOB,
  REFERRAL_CODES_JOB,
  RETENTION_JOB,
  schedulePeriodicJobs,
  scheduleRetention,
  WRITE_BACK_JOB,
} from "~/jobs/catalogue.server";
import type { JobHandler, WorkContext } from "~/jobs/types";
import { jobEngineFor } from "~/jobs/engines.server";
import type { Worker } from "~/jobs/worker.server";
import { runHistoryJob } from "~/lifecycle-models/history.server";
import { runRecomputeCustomerJob, runRecomputeJob } from "~/lifecycle-models/lifecycle-jobs.server";
import { runAwardPastOrdersJob, runLoyaltyDailyJob, runOrderPointsJob } from "~/loyalty-models/loyalty-jobs.server";
import { runLoyaltyMetafieldsJob } from "~/loyalty-models/metafields.server";
import { runLoyaltyProgrammeJob } from "~/loyalty-models/programme.server";
import { runRedemptionJob } from "~/loyalty-models/redemptions.server";
import { runReferralCodesJob } from "~/loyalty-models/referrals.server";
import { unauthenticated } from "~/shopify.server";
import { runBackfillJob } from "~/sync/backfill.server";
import { runReconcileJob } from "~/sync/reconcile.server";
import { webhookInbox } from "~/webhooks/process.server";
import { runRetentionJob } from "~/webhooks/retention.server";
import { runWriteBackJob } from "~/write-back/write-back-jobs.server";
import { logEvent } from "~/log.server";

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

function appWorkContext(): WorkContext {
  return { db: prisma, now: () => new Date(), adminFor: adminForShop };
}

declare global {
  // One worker per process, kept across dev-server module reloads.
  var lifecycleWorker: Worker | undefined;
  // Signal handlers are installed once per process, not again on each dev-server reload.
  var lifecycleWorkerStarted: boolean | undefined;
}

export function appWorker(): Worker {
  const { WORKER_INBOX_CONCURRENCY, WORKER_JOB_CONCURRENCY } = env();
  globalThis.lifecycleWorker ??= jobEngineFor(prisma).createWorker({
    context: appWorkContext(),
    handlers: JOB_HANDLERS,
    inbox: webhookInbox,
    inboxLanes: WORKER_INBOX_CONCURRENCY,
    jobLanes: WORKER_JOB_CONCURRENCY,
    bulkKinds: BULK_JOB_KINDS,
  });
  return globalThis.lifecycleWorker;
}

// A deploy's SIGTERM: what runs gets this long to finish, then is handed back to another worker.
// Container platforms wait 30 s before SIGKILL; this leaves room for the handing back.
const SHUTDOWN_DEADLINE_MS = 20_000;

/**
 * On SIGTERM (a deploy, a scale-down) the worker stops taking work, and what it holds finishes or
 * is handed back; the process then exits once its server, if any, has drained (remix-serve closes
 * it on the same signal). SIGINT keeps Node's default: a developer's Ctrl-C stops at once, and the
 * leases of what was running run out for another worker to take over.
 */
function stopOnSigterm(worker: Worker) {
  process.once("SIGTERM", () => {
    const started = performance.now();
    logEvent("info", "worker.stopping", { signal: "SIGTERM" });
    void worker.stop({ deadlineMs: SHUTDOWN_DEADLINE_MS }).then(() => logEvent("info", "worker.stopped", { signal: "SIGTERM", durationMs: performance.now() - started }));
  });
}

/** Starts this process's worker (unless JOBS_WORKER=off) and makes sure every shop's periodic jobs are scheduled. */
export function startAppWorker() {
  if (env().JOBS_WORKER === "off") return;
  const worker = appWorker();
  if (!globalThis.lifecycleWorkerStarted) {
    globalThis.lifecycleWorkerStarted = true;
    stopOnSigterm(worker);
  }
  worker.start();
  // A dead periodic job would end its chain; at boot every installed shop gets its chains back.
  scheduleForInstalledShops(prisma).catch((error: unknown) => logEvent("error", "jobs.scheduling_failed", { error }));
}

async function scheduleForInstalledShops(db: typeof prisma) {
  await scheduleRetention(db);
  for (const { shop } of await db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true } })) await schedulePeriodicJobs(db, shop);
}
