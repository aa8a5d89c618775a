import type { PrismaClient } from "@prisma/client";
import { messagesFor, type MessageKey } from "~/i18n/i18n";
import { inboxSummary, MAX_ATTEMPTS } from "~/webhooks/inbox.server";
import { syncStatus } from "./status.server";
import { listDeadJobs } from "~/jobs/engines.server";

const DAY_MS = 24 * 60 * 60 * 1000;
// The page lists the latest of each; older ones stay in the totals.
const FAILED_DELIVERIES_SHOWN = 20;
const DEAD_JOBS_SHOWN = 50;
const RECONCILIATION_RUNS_SHOWN = 10;

interface TopicRow {
  topic: string;
  // Text on SQLite, a Date on PostgreSQL.
  lastReceivedAt: string | Date;
  lastDay: number | bigint;
  failed: number | bigint;
}

/** The merchant's name for a job kind (`sync.jobs.kind.<kind>`), or null for a kind without one (shown as it is). */
export function jobKindKey(kind: string): MessageKey | null {
  const key = `sync.jobs.kind.${kind}`;
  return key in messagesFor("en") ? (key as MessageKey) : null;
}

/**
 * Everything the sync and health page shows about one shop: the import, the webhook inbox by topic,
 * what failed (deliveries and jobs) and the reconciliation runs. Dates are ISO strings.
 */
export async function syncHealth(db: PrismaClient, shop: string, now = new Date()) {
  const [sync, inbox, topics, failedDeliveries, refusedDeliveries, deadJobs, runs, shopRow, completedBackfill] = await Promise.all([
    syncStatus(db, shop, now),
    inboxSummary(db, shop),
    // One pass over the shop's part of the (shop, topic, receivedAt) index, which holds all it reads.
    // Status is not in it: each topic's failures are counted through the (status, topic, id) index
    // instead, as counting them in the pass would read every row (7× slower at 180,000 deliveries).
    db.$queryRaw<TopicRow[]>`
      SELECT "topic", MAX("receivedAt") AS "lastReceivedAt",
        SUM(CASE WHEN "receivedAt" >= ${new Date(now.getTime() - DAY_MS)} THEN 1 ELSE 0 END) AS "lastDay",
        (SELECT COUNT(*) FROM "WebhookDelivery" AS "failed"
          WHERE "failed"."status" = 'failed' AND "failed"."topic" = "delivery"."topic" AND "failed"."shop" = ${shop}) AS "failed"
      FROM "WebhookDelivery" AS "delivery" WHERE "shop" = ${shop}
      GROUP BY "topic" ORDER BY "topic"`,
    db.webhookDelivery.findMany({
      where: { shop, status: "failed" },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: FAILED_DELIVERIES_SHOWN,
      select: { id: true, topic: true, receivedAt: true, attempts: true, lastError: true },
    }),
    db.refusedWebhook.findMany({
      where: { shop },
      orderBy: [{ lastReceivedAt: "desc" }, { id: "desc" }],
      take: FAILED_DELIVERIES_SHOWN,
      select: { id: true, topic: true, receivedAt: true, times: true },
    }),
    listDeadJobs(db, shop, DEAD_JOBS_SHOWN),
    db.reconciliationRun.findMany({ where: { shop }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], take: RECONCILIATION_RUNS_SHOWN }),
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true, reconciledThrough: true } }),
    db.backfill.findFirst({ where: { shop, status: "completed" }, select: { id: true } }),
  ]);
  return {
    timeZone: shopRow?.ianaTimezone ?? null,
    sync,
    inbox: { ...inbox, lastReceivedAt: inbox.lastReceivedAt?.toISOString() ?? null },
    topics: topics.map((row) => ({
      topic: row.topic,
      lastReceivedAt: new Date(row.lastReceivedAt).toISOString(),
      lastDay: Number(row.lastDay),
      failed: Number(row.failed),
    })),
    failedDeliveries: failedDeliveries.map((delivery) => ({
      id: delivery.id,
      topic: delivery.topic,
      receivedAt: delivery.receivedAt.toISOString(),
      reason: delivery.lastError,
      // As retryFailedDelivery decides: only a delivery that used up its attempts.
      retryable: delivery.attempts >= MAX_ATTEMPTS,
    })),
    // Signed deliveries sent under this shop's name whose payload names another shop (see refused.server.ts).
    refusedDeliveries: refusedDeliveries.map((refused) => ({ id: refused.id, topic: refused.topic, receivedAt: refused.receivedAt.toISOString(), times: refused.times })),
    deadJobs: deadJobs.map((job) => ({
      id: job.id,
      kind: job.kind,
      kindKey: jobKindKey(job.kind),
      attempts: job.attempts,
      lastError: job.lastError,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      retryable: job.retryable,
    })),
    reconciliation: {
      // Until the first import completes a check has nothing to compare against, and does not run.
      available: completedBackfill !== null,
      reconciledThrough: shopRow?.reconciledThrough?.toISOString() ?? null,
      runs: runs.map((run) => ({
        id: run.id,
        status: run.status,
        startedAt: run.startedAt.toISOString(),
        finishedAt: run.finishedAt?.toISOString() ?? null,
        since: run.since?.toISOString() ?? null,
        customersRepaired: run.customersRepaired,
        ordersRepaired: run.ordersRepaired,
        lastError: run.lastError,
      })),
    },
  };
}

export type SyncHealth = Awaited<ReturnType<typeof syncHealth>>;
