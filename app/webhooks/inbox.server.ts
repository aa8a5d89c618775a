import { Prisma, type PrismaClient } from "@prisma/client";

export interface IncomingDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: Date | null;
  apiVersion: string;
  payload: string;
  /** Set when the delivery is authentic but cannot be processed as sent (e.g. not JSON). */
  malformedReason?: string;
}

export type StoreResult = { outcome: "stored"; id: number } | { outcome: "duplicate" };

/**
 * Stores one delivery exactly once: the unique X-Shopify-Webhook-Id turns a retry or a
 * duplicate into a no-op. Only after this resolves may the route answer 200.
 */
export async function storeDelivery(db: PrismaClient, delivery: IncomingDelivery): Promise<StoreResult> {
  try {
    const row = await db.webhookDelivery.create({
      data: {
        shop: delivery.shop,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId,
        triggeredAt: delivery.triggeredAt,
        apiVersion: delivery.apiVersion,
        payload: delivery.payload,
        ...(delivery.malformedReason ? { status: "failed", lastError: delivery.malformedReason } : {}),
      },
      select: { id: true },
    });
    return { outcome: "stored", id: row.id };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { outcome: "duplicate" };
    throw error;
  }
}

export async function inboxSummary(db: PrismaClient, shop: string) {
  const [received, pending, last] = await Promise.all([
    db.webhookDelivery.count({ where: { shop } }),
    db.webhookDelivery.count({ where: { shop, status: "pending" } }),
    db.webhookDelivery.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
  ]);
  return { received, pending, lastReceivedAt: last?.receivedAt ?? null };
}
