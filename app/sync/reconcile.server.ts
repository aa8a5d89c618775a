import type { PrismaClient } from "@prisma/client";
import { fetchCustomersPage } from "~/admin-api/customers.server";
import { fetchOrdersPage } from "~/admin-api/orders.server";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { customerFromGraphql, orderFromGraphql } from "./records";
import { requestOrderPoints } from "~/loyalty-store/jobs.server";
import { upsertCustomers, upsertOrders, upsertRefunds } from "./store.server";

export const RECONCILE_JOB = "reconcile";
export const RECONCILE_INTERVAL_MS = 60 * 60 * 1000;
// Shopify's updated_at and our clock disagree a little, and a change committed just before a run
// may become visible just after it: each run looks back this far before the last one.
export const RECONCILE_OVERLAP_MS = 15 * 60 * 1000;

/** Keeps one reconciliation job per shop, due `inMs` from now (sooner if it was due sooner); it then reschedules itself. */
export async function scheduleReconciliation(db: PrismaClient, shop: string, now = new Date(), inMs = RECONCILE_INTERVAL_MS) {
  await enqueueJob(db, { shop, kind: RECONCILE_JOB, dedupeKey: "scheduled", runAt: new Date(now.getTime() + inMs) });
}

/** At boot: every installed shop has its next reconciliation queued (a dead job would otherwise end the chain). */
export async function scheduleReconciliationForInstalledShops(db: PrismaClient, now = new Date()) {
  const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true } });
  for (const { shop } of shops) await scheduleReconciliation(db, shop, now);
}

/**
 * Repairs whatever webhooks missed: fetches the customers and orders changed since the last run
 * (minus the overlap) and writes them through the same updatedAt-guarded upserts. Rows it actually
 * changes are the ones webhooks had dropped or left stale, and are counted as repaired.
 */
export const runReconcileJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const shop = run.job.shop;
  // The same job runs again an interval later: one chain per shop, whatever else enqueues it.
  const reschedule = () => ({ snoozeUntil: new Date(now().getTime() + RECONCILE_INTERVAL_MS) });
  const state = await db.shop.findUnique({ where: { shop }, select: { reconciledThrough: true } });
  const backfill = await db.backfill.findFirst({ where: { shop, status: "completed" }, orderBy: { id: "desc" } });
  // Until the first backfill completes there is nothing to reconcile against; it covers everything.
  if (!backfill) return reschedule();

  const watermark = state?.reconciledThrough ?? backfill.startedAt;
  const since = new Date(watermark.getTime() - RECONCILE_OVERLAP_MS);
  const startedAt = now();
  // A run left "running" by a process that died is superseded by this one.
  await db.reconciliationRun.updateMany({ where: { shop, status: "running" }, data: { status: "abandoned", finishedAt: startedAt } });
  const record = await db.reconciliationRun.create({ data: { shop, since, startedAt } });

  let cost = 0;
  const api = await adminFor(shop, (points) => (cost += points));
  const query = `updated_at:>='${since.toISOString()}'`;
  try {
    let after: string | null = null;
    do {
      const page = await fetchCustomersPage(api, { after, query });
      const changed = await upsertCustomers(db, shop, page.nodes.map(customerFromGraphql), now());
      await db.reconciliationRun.update({
        where: { id: record.id },
        data: { customersFetched: { increment: page.nodes.length }, customersRepaired: { increment: changed.length } },
      });
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);

    do {
      const page = await fetchOrdersPage(api, { after, query });
      const records = page.nodes.map(orderFromGraphql);
      const changedOrders = await upsertOrders(db, shop, records.map((entry) => entry.order), now());
      const changedRefunds = await upsertRefunds(db, shop, records.flatMap((entry) => entry.refunds));
      const repaired = new Set([...changedOrders, ...records.filter((entry) => entry.refunds.some((refund) => changedRefunds.includes(refund.id))).map((entry) => entry.order.id)]);
      // What the webhooks missed also moves points.
      for (const orderId of repaired) await requestOrderPoints(db, shop, orderId, now());
      await db.reconciliationRun.update({
        where: { id: record.id },
        data: { ordersFetched: { increment: page.nodes.length }, ordersRepaired: { increment: repaired.size } },
      });
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  } catch (error) {
    await db.reconciliationRun.update({
      where: { id: record.id },
      data: { status: "failed", finishedAt: now(), lastError: error instanceof Error ? error.message : String(error), queryCost: cost },
    });
    throw error;
  }

  await db.$transaction([
    db.reconciliationRun.update({ where: { id: record.id }, data: { status: "completed", finishedAt: now(), queryCost: cost } }),
    // Everything updated before this run started has now been seen.
    db.shop.updateMany({ where: { shop }, data: { reconciledThrough: startedAt } }),
  ]);
  return reschedule();
};
