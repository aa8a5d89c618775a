import type { PrismaClient } from "@prisma/client";
import { jsonRows, sqliteDateTime, type JsonCell } from "~/sql.server";

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

interface Waiting {
  delivery: IncomingDelivery;
  resolve: (result: StoreResult) => void;
  reject: (error: unknown) => void;
}

// Deliveries per transaction: a burst is written in a few commits without one commit holding many.
const MAX_BATCH = 250;
const BATCH_WINDOW_MS = 4;

/**
 * Stores deliveries exactly once (the unique X-Shopify-Webhook-Id turns a retry or duplicate into a
 * no-op) with group commit: deliveries arriving while a write is in flight are written together in
 * the next transaction. Each caller's promise resolves only after its row is committed, so the
 * route still answers 200 only for what is durable, at a fraction of a transaction per delivery.
 */
export function createInboxWriter(db: PrismaClient) {
  let queue: Waiting[] = [];
  let writing = false;

  async function drain() {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        const results = await writeBatch(
          db,
          batch.map((waiting) => waiting.delivery),
        );
        batch.forEach((waiting, index) => waiting.resolve(results[index]!));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    writing = false;
  }

  return {
    store(delivery: IncomingDelivery): Promise<StoreResult> {
      return new Promise<StoreResult>((resolve, reject) => {
        queue.push({ delivery, resolve, reject });
        if (writing) return;
        writing = true;
        // SQLite answers synchronously, so a batch only forms if the write waits a moment: every
        // delivery arriving in that window shares one commit. Shopify allows 5 s for the answer.
        setTimeout(() => void drain(), BATCH_WINDOW_MS);
      });
    },
  };
}

/**
 * Writes one batch with a single INSERT … ON CONFLICT DO NOTHING (one statement, so atomic, and
 * race-free across processes too); RETURNING tells which ids were new. Results are in batch order.
 */
async function writeBatch(db: PrismaClient, deliveries: IncomingDelivery[]): Promise<StoreResult[]> {
  const firstIndexOf = new Map<string, number>();
  deliveries.forEach((delivery, index) => {
    if (!firstIndexOf.has(delivery.webhookId)) firstIndexOf.set(delivery.webhookId, index);
  });
  const receivedAt = sqliteDateTime(new Date());
  // One JSON parameter for the batch instead of ten bound parameters a delivery (see jsonRows).
  const rows = [...firstIndexOf.values()].map((index): JsonCell[] => {
    const delivery = deliveries[index]!;
    const status = delivery.malformedReason ? "failed" : "pending";
    const triggeredAt = delivery.triggeredAt ? sqliteDateTime(delivery.triggeredAt) : null;
    return [
      delivery.shop,
      delivery.topic,
      delivery.webhookId,
      delivery.eventId,
      triggeredAt,
      delivery.apiVersion,
      receivedAt,
      delivery.payload,
      status,
      delivery.malformedReason ?? null,
    ];
  });
  const created = await db.$queryRaw<{ id: number; webhookId: string }[]>`
    INSERT INTO "WebhookDelivery" ("shop", "topic", "webhookId", "eventId", "triggeredAt", "apiVersion", "receivedAt", "payload", "status", "lastError")
    ${jsonRows(rows, 10)}
    ON CONFLICT ("webhookId") DO NOTHING
    RETURNING "id", "webhookId"`;

  const storedId = new Map(created.map((row) => [row.webhookId, Number(row.id)]));
  return deliveries.map((delivery, index): StoreResult => {
    const id = storedId.get(delivery.webhookId);
    return id !== undefined && firstIndexOf.get(delivery.webhookId) === index ? { outcome: "stored", id } : { outcome: "duplicate" };
  });
}

export async function inboxSummary(db: PrismaClient, shop: string) {
  const [received, pending, failed, last] = await Promise.all([
    db.webhookDelivery.count({ where: { shop } }),
    db.webhookDelivery.count({ where: { shop, status: "pending" } }),
    db.webhookDelivery.count({ where: { shop, status: "failed" } }),
    db.webhookDelivery.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
  ]);
  return { received, pending, failed, lastReceivedAt: last?.receivedAt ?? null };
}
