import { Prisma, type PrismaClient, type WebhookDelivery } from "@prisma/client";
import { bulkWriterFor } from "~/db.server";
import { inboxOnPgBoss } from "~/jobs/engines.server";
import { abandonedReason } from "~/jobs/queue.server";
import { newWorkDue } from "~/jobs/wake";
import { SqliteBulkWriter, type BulkWriter } from "~/sqlite-bulk-writer.server";
import { dialectOf, jsonRows, sqliteDateTime, type CellType, type JsonCell } from "~/sql.server";
import { queueDeliveries, queueJobsFor } from "./inbox-queue.server";

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

export type StoreResult = { outcome: "stored" } | { outcome: "duplicate" };

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
export function createInboxWriter(db: PrismaClient, writer?: BulkWriter) {
  let queue: Waiting[] = [];
  let writing = false;

  async function drain() {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        // Opened at the first write, not when the route module is loaded.
        writer ??= bulkWriterFor(db);
        const results = await writeBatch(
          db,
          writer,
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

const COLUMNS = `"shop", "topic", "webhookId", "eventId", "triggeredAt", "apiVersion", "receivedAt", "payload", "status", "lastError"`;
const INSERT_DELIVERY = `INSERT INTO "WebhookDelivery" (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT ("webhookId") DO NOTHING`;

const DELIVERY_CELL_TYPES: CellType[] = ["text", "text", "text", "text", "timestamp", "text", "timestamp", "text", "text", "text"];

function deliveryCells(delivery: IncomingDelivery, receivedAt: string): JsonCell[] {
  return [
    delivery.shop,
    delivery.topic,
    delivery.webhookId,
    delivery.eventId,
    delivery.triggeredAt ? sqliteDateTime(delivery.triggeredAt) : null,
    delivery.apiVersion,
    receivedAt,
    delivery.payload,
    delivery.malformedReason ? "failed" : "pending",
    delivery.malformedReason ?? null,
  ];
}

/**
 * Writes one batch in one transaction, each delivery an INSERT … ON CONFLICT DO NOTHING (race-free
 * across processes too) that says whether it was new. Results are in batch order. On a SQLite file
 * the batch goes through the bulk writer's connection and one prepared statement: through Prisma,
 * each 10 KB payload cost over a millisecond of CPU on its way in, twenty times SQLite's own work.
 */
async function writeBatch(db: PrismaClient, writer: BulkWriter, deliveries: IncomingDelivery[]): Promise<StoreResult[]> {
  const receivedAt = sqliteDateTime(new Date());
  if (!(writer instanceof SqliteBulkWriter)) return writeBatchThroughPrisma(db, deliveries, receivedAt);
  return writer.transaction((execute) =>
    deliveries.map((delivery): StoreResult => (execute(INSERT_DELIVERY, deliveryCells(delivery, receivedAt)) === 1 ? { outcome: "stored" } : { outcome: "duplicate" })),
  );
}

/** The same on a remote database, in a single INSERT … RETURNING whose rows tell which deliveries were new. */
async function writeBatchThroughPrisma(db: PrismaClient, deliveries: IncomingDelivery[], receivedAt: string): Promise<StoreResult[]> {
  const firstIndexOf = new Map<string, number>();
  deliveries.forEach((delivery, index) => {
    if (!firstIndexOf.has(delivery.webhookId)) firstIndexOf.set(delivery.webhookId, index);
  });
  // One JSON parameter for the batch instead of ten bound parameters a delivery (see jsonRows).
  const rows = [...firstIndexOf.values()].map((index) => deliveryCells(deliveries[index]!, receivedAt));
  const insert = Prisma.sql`
    INSERT INTO "WebhookDelivery" (${Prisma.raw(COLUMNS)})
    ${jsonRows(db, rows, DELIVERY_CELL_TYPES)}
    ON CONFLICT ("webhookId") DO NOTHING`;
  // On pg-boss each newly stored delivery is queued for the workers by the same statement: stored and queued, or neither.
  const created = (await inboxOnPgBoss(db))
    ? await db.$queryRaw<{ webhookId: string }[]>`
        WITH created AS (${insert} RETURNING "id", "shop", "status", "webhookId"), queued AS (${queueJobsFor(Prisma.sql`created`)})
        SELECT "webhookId" FROM created`
    : await db.$queryRaw<{ webhookId: string }[]>`${insert} RETURNING "webhookId"`;
  const stored = new Set(created.map((row) => row.webhookId));
  return deliveries.map((delivery, index): StoreResult =>
    stored.has(delivery.webhookId) && firstIndexOf.get(delivery.webhookId) === index ? { outcome: "stored" } : { outcome: "duplicate" },
  );
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

/** After this many failed attempts a delivery stays failed (dead-lettered), with its reason, for a person to look at. */
export const MAX_ATTEMPTS = 5;

/**
 * Claims the oldest delivery that is due: pending (and past its retry backoff), or processing with
 * an expired lease (its worker died mid-way; every handler can be redone). Every claim counts as an
 * attempt, a takeover too; one whose worker died on each of its MAX_ATTEMPTS attempts is failed
 * with that reason instead of taken over (it may be what kills the worker).
 */
export async function claimDelivery(db: PrismaClient, workerId: string, now: Date, leaseUntil: Date): Promise<WebhookDelivery | null> {
  const expired = Prisma.sql`"status" = 'processing' AND "lockedUntil" < ${now}`;
  await db.$executeRaw`
    UPDATE "WebhookDelivery" SET "status" = 'failed', "lockedBy" = NULL, "lockedUntil" = NULL, "availableAt" = NULL, "lastError" = ${abandonedReason(Prisma.sql`"attempts"`)}
    WHERE ${expired} AND "attempts" >= ${MAX_ATTEMPTS}`;
  const due = Prisma.sql`(("status" = 'pending' AND ("availableAt" IS NULL OR "availableAt" <= ${now})) OR (${expired} AND "attempts" < ${MAX_ATTEMPTS}))`;
  // On PostgreSQL workers claim at once: without SKIP LOCKED, those that picked the same oldest row
  // as another came back empty (and slept) while a backlog waited. SQLite has one writer at a time.
  const skipTaken = dialectOf(db) === "postgresql" ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE "WebhookDelivery" SET "status" = 'processing', "lockedBy" = ${workerId}, "lockedUntil" = ${leaseUntil}, "attempts" = "attempts" + 1
    WHERE "id" = (SELECT "id" FROM "WebhookDelivery" WHERE ${due} ORDER BY "id" LIMIT 1 ${skipTaken}) AND ${due}
    RETURNING "id"`;
  const claimed = rows[0];
  return claimed ? db.webhookDelivery.findUnique({ where: { id: Number(claimed.id) } }) : null;
}

/** Extends the lease of a claimed delivery; false when another worker took it over (then its processing must stop). */
export async function renewDeliveryLease(db: PrismaClient | Prisma.TransactionClient, delivery: WebhookDelivery, leaseUntil: Date): Promise<boolean> {
  const renewed = await db.webhookDelivery.updateMany({ where: { id: delivery.id, lockedBy: delivery.lockedBy, status: "processing" }, data: { lockedUntil: leaseUntil } });
  return renewed.count === 1;
}

/** Hands a delivery back unprocessed (its worker is shutting down): due again at once, and the attempt does not count. */
export async function releaseDelivery(db: PrismaClient, delivery: WebhookDelivery): Promise<boolean> {
  const released = await db.webhookDelivery.updateMany({
    where: { id: delivery.id, lockedBy: delivery.lockedBy, status: "processing" },
    data: { status: "pending", availableAt: null, lockedBy: null, lockedUntil: null, attempts: { decrement: 1 } },
  });
  return released.count === 1;
}

/**
 * The merchant asks for a failed delivery of their shop to be processed again; false when there is
 * no such delivery. Only one that used up its attempts qualifies: something outside it failed each
 * time (Shopify unreachable, a bug since fixed). One that failed sooner cannot be applied as sent
 * (malformed, unfit payload, unknown topic, ids Shopify refused) and would fail again.
 */
export async function retryFailedDelivery(db: PrismaClient, shop: string, deliveryId: number): Promise<boolean> {
  const onPgBoss = await inboxOnPgBoss(db);
  const updated = await db.$transaction(async (tx) => {
    const retried = await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, shop, status: "failed", attempts: { gte: MAX_ATTEMPTS } },
      data: { status: "pending", attempts: 0, availableAt: null, lockedBy: null, lockedUntil: null },
    });
    // On pg-boss it is queued again, with the change.
    if (retried.count === 1 && onPgBoss) await queueDeliveries(tx, shop, [deliveryId]);
    return retried;
  });
  if (updated.count === 1) newWorkDue();
  return updated.count === 1;
}
