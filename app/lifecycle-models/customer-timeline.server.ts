import type { PrismaClient } from "@prisma/client";

// The latest of each kind; the timeline shows what happened recently, the totals say the rest.
const ORDERS_SHOWN = 50;
const STAGE_CHANGES_SHOWN = 30;

export type TimelineEvent =
  | { kind: "order"; at: string; orderId: string; name: string; totalMinor: number; currencyCode: string; financialStatus: string; test: boolean }
  | { kind: "refund"; at: string; orderId: string; name: string; amountMinor: number; currencyCode: string }
  | { kind: "cancelled"; at: string; orderId: string; name: string }
  | { kind: "stage"; at: string; from: string | null; to: string; reasonKey: string; reasonValues: Record<string, string | number> };

/** One customer's orders, refunds, cancellations and stage changes (with their reasons), newest first. */
export async function customerTimeline(db: PrismaClient, shop: string, customerId: string): Promise<TimelineEvent[]> {
  const [orders, changes] = await Promise.all([
    db.order.findMany({
      where: { shop, customerId },
      orderBy: { processedAt: "desc" },
      take: ORDERS_SHOWN,
      select: { id: true, name: true, processedAt: true, cancelledAt: true, totalMinor: true, currencyCode: true, financialStatus: true, test: true },
    }),
    db.stageChange.findMany({ where: { shop, customerId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: STAGE_CHANGES_SHOWN }),
  ]);
  const refunds = await db.refund.findMany({ where: { shop, orderId: { in: orders.map((order) => order.id) } } });
  const byId = new Map(orders.map((order) => [order.id, order]));
  const events: TimelineEvent[] = [
    ...orders.map(
      (order): TimelineEvent => ({
        kind: "order",
        at: order.processedAt.toISOString(),
        orderId: order.id,
        name: order.name,
        totalMinor: order.totalMinor,
        currencyCode: order.currencyCode,
        financialStatus: order.financialStatus,
        test: order.test,
      }),
    ),
    ...orders.flatMap((order): TimelineEvent[] =>
      order.cancelledAt ? [{ kind: "cancelled", at: order.cancelledAt.toISOString(), orderId: order.id, name: order.name }] : [],
    ),
    ...refunds.map((refund): TimelineEvent => {
      const order = byId.get(refund.orderId)!;
      return {
        kind: "refund",
        at: refund.createdAt.toISOString(),
        orderId: order.id,
        name: order.name,
        amountMinor: refund.amountMinor,
        currencyCode: order.currencyCode,
      };
    }),
    ...changes.map(
      (change): TimelineEvent => ({
        kind: "stage",
        at: change.at.toISOString(),
        from: change.fromStage,
        to: change.toStage,
        reasonKey: change.reasonKey,
        reasonValues: JSON.parse(change.reasonValues) as Record<string, string | number>,
      }),
    ),
  ];
  return events.sort((a, b) => b.at.localeCompare(a.at));
}
