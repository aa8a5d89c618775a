import type { PrismaClient } from "@prisma/client";

/** Raw payloads hold personal data: they are kept this long after processing, for troubleshooting. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Deletes the shop's deliveries processed (or skipped) more than the retention period ago, and dead letters as old. */
export async function pruneDeliveries(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const before = new Date(now.getTime() - DELIVERY_RETENTION_MS);
  const pruned = await db.webhookDelivery.deleteMany({
    where: {
      shop,
      OR: [
        { status: { in: ["processed", "skipped"] }, processedAt: { lt: before } },
        { status: "failed", receivedAt: { lt: before } },
      ],
    },
  });
  // Refused deliveries hold no payload; their record is kept as long as a delivery's.
  await db.refusedWebhook.deleteMany({ where: { shop, lastReceivedAt: { lt: before } } });
  return pruned.count;
}
