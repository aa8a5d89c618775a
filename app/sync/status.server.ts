import type { PrismaClient } from "@prisma/client";
import { countDeadJobs } from "~/jobs/engines.server";
import { backfillProgress } from "./backfill.server";

/** What the admin shows about the sync of one shop: the latest backfill, what we hold, the last reconciliation. */
export async function syncStatus(db: PrismaClient, shop: string, now = new Date()) {
  const where = { where: { shop } };
  const [backfill, customers, orders, refunds, reconciliation, deadJobs] = await Promise.all([
    db.backfill.findFirst({ ...where, orderBy: { id: "desc" } }),
    db.customer.count(where),
    db.order.count(where),
    db.refund.count(where),
    db.reconciliationRun.findFirst({ where: { shop, status: { not: "running" } }, orderBy: { id: "desc" } }),
    countDeadJobs(db, shop),
  ]);
  return {
    backfill: backfill
      ? { ...backfillProgress(backfill, now), startedAt: backfill.startedAt.toISOString(), finishedAt: backfill.finishedAt?.toISOString() ?? null, lastError: backfill.lastError }
      : null,
    held: { customers, orders, refunds },
    reconciliation: reconciliation
      ? {
          status: reconciliation.status,
          finishedAt: reconciliation.finishedAt?.toISOString() ?? null,
          repaired: reconciliation.customersRepaired + reconciliation.ordersRepaired,
        }
      : null,
    deadJobs,
  };
}
