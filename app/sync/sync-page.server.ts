import { createAdminApi, type AdminGraphql } from "~/admin-api/client.server";
import { AdminApiThrottledError } from "~/admin-api/errors";
import { fetchShopOverview } from "~/admin-api/shop-overview.server";
import prisma from "~/db.server";
import { scheduleReconciliation } from "~/jobs/catalogue.server";
import { retryDeadJob, retryDeadJobs } from "~/jobs/engines.server";
import { retryFailedDelivery } from "~/webhooks/inbox.server";
import { writeBackRefusals } from "~/write-back/refusals.server";
import { startBackfill } from "./backfill.server";
import { syncHealth } from "./health.server";

/*
 * What the admin's sync page loads and does: the shop as Shopify and we see it, the import, the
 * webhook inbox, failed jobs and write-backs, reconciliation.
 */

export async function loadSyncPage(shop: string, graphql: AdminGraphql) {
  const [overview, health, refused] = await Promise.all([
    // The shop's live details are a nicety: when Shopify is busy the page still shows what we hold.
    fetchShopOverview(createAdminApi(graphql)).catch((error: unknown) => {
      if (error instanceof AdminApiThrottledError) return null;
      throw error;
    }),
    syncHealth(prisma, shop),
    writeBackRefusals(prisma, shop),
  ]);
  // The time zone the import stored, else Shopify's answer (before the first import), else UTC.
  return { overview, health: { ...health, timeZone: health.timeZone ?? overview?.shop.ianaTimezone ?? "UTC" }, refused };
}

export type SyncRequest =
  | { intent: "backfill" }
  | { intent: "reconcile" }
  | { intent: "retry-job"; jobId: string }
  | { intent: "retry-all-jobs" }
  | { intent: "retry-delivery"; deliveryId: number };

/** Does what the merchant asked; null when the failed job or delivery to retry is gone (retried or pruned meanwhile). */
export async function runSyncRequest(shop: string, request: SyncRequest, now: Date) {
  switch (request.intent) {
    case "backfill": {
      // Returns the import already running, if any: one at a time.
      const backfill = await startBackfill(prisma, shop, "manual", now);
      return { started: backfill.id };
    }
    case "reconcile":
      // The shop's hourly check, brought forward to now (or run again right after the one running).
      await scheduleReconciliation(prisma, shop, now, 0);
      return { reconcileRequested: true as const };
    case "retry-job":
      return (await retryDeadJob(prisma, shop, request.jobId, now)) ? { retriedJobs: 1 } : null;
    case "retry-all-jobs":
      return { retriedJobs: await retryDeadJobs(prisma, shop, now) };
    case "retry-delivery":
      return (await retryFailedDelivery(prisma, shop, request.deliveryId)) ? { retriedDelivery: true as const } : null;
  }
}
