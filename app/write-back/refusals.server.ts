import type { PrismaClient } from "@prisma/client";

// The health page lists the latest; older ones stay in the total.
const REFUSALS_SHOWN = 20;

/**
 * Customers Shopify refused to take our writes for (deleted there, a value it rejects), latest
 * first: their lifecycle tags and metafields, or their storefront loyalty summary, with Shopify's
 * reason. The other customers were written; these are tried again when they next change.
 */
export async function writeBackRefusals(db: PrismaClient, shop: string) {
  const [lifecycle, loyalty, lifecycleTotal, loyaltyTotal] = await Promise.all([
    db.customerLifecycle.findMany({
      where: { shop, writeBackRefusedAt: { not: null } },
      orderBy: { writeBackRefusedAt: "desc" },
      take: REFUSALS_SHOWN,
      select: { customerId: true, writeBackRefused: true, writeBackRefusedAt: true },
    }),
    db.loyaltyAccount.findMany({
      where: { shop, summaryRefusedAt: { not: null } },
      orderBy: { summaryRefusedAt: "desc" },
      take: REFUSALS_SHOWN,
      select: { customerId: true, summaryRefused: true, summaryRefusedAt: true },
    }),
    db.customerLifecycle.count({ where: { shop, writeBackRefusedAt: { not: null } } }),
    db.loyaltyAccount.count({ where: { shop, summaryRefusedAt: { not: null } } }),
  ]);
  const refusals = [
    ...lifecycle.map((row) => ({ customerId: row.customerId, what: "lifecycle" as const, reason: row.writeBackRefused ?? "", at: row.writeBackRefusedAt! })),
    ...loyalty.map((row) => ({ customerId: row.customerId, what: "loyalty" as const, reason: row.summaryRefused ?? "", at: row.summaryRefusedAt! })),
  ]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, REFUSALS_SHOWN);
  return { total: lifecycleTotal + loyaltyTotal, refusals: refusals.map((refusal) => ({ ...refusal, at: refusal.at.toISOString() })) };
}

export type WriteBackRefusals = Awaited<ReturnType<typeof writeBackRefusals>>;
