/**
 * Every kind of job the app queues, by name, with the typed request that queues it (its payload,
 * its dedupe key, when it runs). Features ask for work through these and register their handlers
 * under these names (app/app-worker.server.ts), so no feature imports another's job module.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { markDueStatement } from "~/sql.server";
import { enqueue as enqueueJob } from "./engines.server";
import { nextSlot } from "./spread";

type Client = PrismaClient | Prisma.TransactionClient;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** When a shop's periodic job of `kind` runs next: at the shop's own phase of the period (spread.ts), not at the same moment for every shop. */
export function nextPeriodicRun(shop: string, kind: string, periodMs: number, now: Date): Date {
  return nextSlot(`${shop}:${kind}`, periodMs, now);
}

// --- Sync

export const BACKFILL_JOB = "backfill";

/** Queues the next step of the shop's backfill `backfillId` now (its start, or its continuation); one backfill job at a time per shop. */
export async function requestBackfillStep(db: Client, shop: string, backfillId: number, now = new Date()) {
  await enqueueJob(db, { shop, kind: BACKFILL_JOB, dedupeKey: BACKFILL_JOB, payload: { backfillId }, runAt: now });
}

export const RECONCILE_JOB = "reconcile";
export const RECONCILE_INTERVAL_MS = HOUR_MS;

/** Keeps one reconciliation job per shop, due at its next hourly slot or `inMs` from now (sooner if it was due sooner); it then reschedules itself. */
export async function scheduleReconciliation(db: Client, shop: string, now = new Date(), inMs?: number) {
  const runAt = inMs === undefined ? nextPeriodicRun(shop, RECONCILE_JOB, RECONCILE_INTERVAL_MS, now) : new Date(now.getTime() + inMs);
  await enqueueJob(db, { shop, kind: RECONCILE_JOB, dedupeKey: "scheduled", runAt });
}

// --- Lifecycle

export const RECOMPUTE_JOB = "recompute";
export const RECOMPUTE_CUSTOMER_JOB = "recompute-customer";
// Stages drift with time alone (silence turns loyal into at risk), so every shop is recomputed daily.
export const RECOMPUTE_INTERVAL_MS = DAY_MS;

/** Queues a full recompute of the shop now (after a backfill or a settings change); one at a time per shop. */
export async function requestRecompute(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: RECOMPUTE_JOB, dedupeKey: "full", runAt: now });
}

/** Keeps the daily full recompute queued for the shop (it then reschedules itself). */
export async function scheduleDailyRecompute(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: RECOMPUTE_JOB, dedupeKey: "full", runAt: nextPeriodicRun(shop, RECOMPUTE_JOB, RECOMPUTE_INTERVAL_MS, now) });
}

/** Queues one customer's recompute after something about them changed; repeated requests collapse. */
export async function requestCustomerRecompute(db: Client, shop: string, customerId: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: RECOMPUTE_CUSTOMER_JOB, dedupeKey: customerId, payload: { customerId }, runAt: now });
}

export const HISTORY_JOB = "replay-history";

/** Queued once the first recompute has placed everyone: the past is replayed against that placement. */
export async function requestHistoryReplay(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: HISTORY_JOB, dedupeKey: "replay", runAt: now });
}

// --- Write-back

export const WRITE_BACK_JOB = "write-back";

/** Queues a write-back of whatever changed; requests pile up into one job per shop. */
export async function requestWriteBack(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: WRITE_BACK_JOB, dedupeKey: "all", runAt: now });
}

/**
 * One customer's tags changed in Shopify: write-back looks at them again (and restores ours if the
 * change removed one). Before tags are approved there is nothing to restore: approval looks at everyone.
 */
export async function requestCustomerWriteBack(db: PrismaClient, shop: string, customerId: string, now = new Date()) {
  const settings = await db.lifecycleSettings.findUnique({ where: { shop }, select: { writeBackApprovedAt: true, writeTags: true } });
  if (!settings?.writeBackApprovedAt || !settings.writeTags) return;
  await markDueStatement(db, "writeBack", shop, [customerId]);
  await requestWriteBack(db, shop, now);
}

// --- Loyalty

export const ORDER_POINTS_JOB = "order-points";

/** Queues the settlement of an order's points after anything about it changed; repeated requests collapse. */
export async function requestOrderPoints(db: Client, shop: string, orderId: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: ORDER_POINTS_JOB, dedupeKey: orderId, payload: { orderId }, runAt: now });
}

export const LOYALTY_DAILY_JOB = "loyalty-daily";
export const LOYALTY_DAILY_INTERVAL_MS = DAY_MS;

/** Keeps the shop's daily loyalty run queued (it then reschedules itself). */
export async function scheduleLoyaltyDaily(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: LOYALTY_DAILY_JOB, dedupeKey: "daily", runAt: nextPeriodicRun(shop, LOYALTY_DAILY_JOB, LOYALTY_DAILY_INTERVAL_MS, now) });
}

export const AWARD_PAST_ORDERS_JOB = "award-past-orders";

/** Settles every order bought since the programme's start, after the merchant moved it back. */
export async function requestPastOrdersAward(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: AWARD_PAST_ORDERS_JOB, dedupeKey: "all", payload: { after: "" }, runAt: now });
}

export const LOYALTY_METAFIELDS_JOB = "loyalty-metafields";

/**
 * Queues the write of the summaries that changed; requests pile up into one job per shop. `customers`
 * are the ones whose summary may have changed (balance, referral code; the recompute marks stage
 * changes itself), or "all" when something every summary shows changed (the programme's settings).
 */
export async function requestLoyaltyMetafields(db: Client, shop: string, now = new Date(), customers: readonly string[] | "all" = "all") {
  if (customers === "all" || customers.length > 0) await markDueStatement(db, "loyaltySummary", shop, customers);
  await enqueueJob(db, { shop, kind: LOYALTY_METAFIELDS_JOB, dedupeKey: "all", runAt: now });
}

export const LOYALTY_PROGRAMME_JOB = "loyalty-programme";

/** Queues telling the theme whether the programme is on; the job writes whatever holds when it runs. */
export async function requestProgrammeState(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: LOYALTY_PROGRAMME_JOB, dedupeKey: "state", runAt: now });
}

export const REFERRAL_CODES_JOB = "referral-codes";

/** Queues the issue of codes to advocates who have none yet; requests pile up into one job per shop. */
export async function requestReferralCodes(db: Client, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: REFERRAL_CODES_JOB, dedupeKey: "all", runAt: now });
}

export const REDEMPTION_JOB = "redemption";

/** The safety net of a redemption: at `runAt` the job finishes it (or gives the points back) should its request have died. */
export async function scheduleRedemptionRecovery(db: Client, shop: string, redemptionId: number, runAt: Date) {
  await enqueueJob(db, { shop, kind: REDEMPTION_JOB, dedupeKey: String(redemptionId), payload: { redemptionId }, runAt });
}

// --- Webhooks and compliance

export const RETENTION_JOB = "retention";
export const RETENTION_INTERVAL_MS = HOUR_MS;
/**
 * The retention job is the app's, not a shop's: it runs for shops whatever their state (an
 * uninstalled shop's jobs are cancelled, and its deliveries must go all the same) and whether or not
 * anything else runs for them.
 */
export const APP_WIDE = "*";

/** Keeps the hourly retention run queued (at boot and on every install); it then reschedules itself. */
export async function scheduleRetention(db: Client, now = new Date()) {
  await enqueueJob(db, { shop: APP_WIDE, kind: RETENTION_JOB, dedupeKey: "scheduled", runAt: new Date(now.getTime() + RETENTION_INTERVAL_MS) });
}

/** Queued once per shop by migration 20261203110000_compliance (see its handler); nothing in the app requests it. */
export const METAFIELD_ACCESS_JOB = "metafield-access";

// --- Every shop's periodic chains

/** Keeps a shop's periodic jobs queued (on install, and for every installed shop at boot: a dead job would end its chain). */
export async function schedulePeriodicJobs(db: Client, shop: string, now = new Date()) {
  await scheduleReconciliation(db, shop, now);
  await scheduleDailyRecompute(db, shop, now);
  await scheduleLoyaltyDaily(db, shop, now);
}

/**
 * Kinds that work through a whole shop (an import, a full recompute, a replay, a periodic pass):
 * a worker with several job lanes keeps one lane free of them (app/jobs/worker.server.ts), so one
 * shop's import never holds up the order points, recomputes and write-backs of the others.
 */
export const BULK_JOB_KINDS: readonly string[] = [
  BACKFILL_JOB,
  RECONCILE_JOB,
  RECOMPUTE_JOB,
  HISTORY_JOB,
  AWARD_PAST_ORDERS_JOB,
  LOYALTY_DAILY_JOB,
  RETENTION_JOB,
  METAFIELD_ACCESS_JOB,
];
