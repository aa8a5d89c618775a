import { fetchCustomersPage } from "~/admin-api/customers.server";
import { fetchOrdersPage } from "~/admin-api/orders.server";
import { nextPeriodicRun, RECONCILE_INTERVAL_MS, RECONCILE_JOB, requestOrderPoints } from "~/jobs/catalogue.server";
import type { JobHandler } from "~/jobs/types";
import { customerFromGraphql, orderFromGraphql } from "./records";
import { upsertCustomers, upsertOrders, upsertRefunds } from "./upserts.server";

// Shopify's updated_at and our clock disagree a little, and a change committed just before a run
// may become visible just after it: each run looks back this far before the last one.
export const RECONCILE_OVERLAP_MS = 15 * 60 * 1000;

/**
 * Repairs whatever webhooks missed: fetches the customers and orders changed since the last run
 * (minus the overlap) and writes them through the same updatedAt-guarded upserts. Rows it actually
 * changes are the ones webhooks had dropped or left stale, and are counted as repaired.
 */
export const runReconcileJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const shop = run.job.shop;
  // The same job runs again at the shop's next hourly slot: one chain per shop, whatever else enqueues it.
  const reschedule = () => ({ snoozeUntil: nextPeriodicRun(shop, RECONCILE_JOB, RECONCILE_INTERVAL_MS, now()) });
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
