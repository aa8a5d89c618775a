/**
 * The webhook inbox on pg-boss (docs/decisions/0002-job-engine.md §5 step 8). WebhookDelivery stays
 * the record (stored exactly once, listed on the Sync page, retried, kept and pruned as on SQLite);
 * pg-boss dispatches it: each newly stored delivery gets one job in the `webhook` queue, inserted
 * by the same statement that stores it. A worker's inbox lane claims such a job (our claim SQL, as
 * the pg-boss engine claims jobs), then the delivery row, and the job's `expire_in` is the
 * delivery's lease (on the worker's clock, as the delivery's `lockedUntil`): a dead worker's delivery
 * is taken over once it has passed, at the next claim or by pg-boss's maintenance. How a delivery is
 * settled (processed, retried with backoff, failed after MAX_ATTEMPTS) is the delivery row's, as on
 * the table engine; the job only follows it (completed, or due again when the delivery is).
 */
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient, type WebhookDelivery } from "@prisma/client";
import { abandonedReason } from "~/jobs/queue.server";
import type { Client } from "~/jobs/engine";
import { INBOX_QUEUE, queueNames } from "~/jobs/pgboss-engine.server";
const JOB = "pgboss.job";
const INBOX = queueNames([INBOX_QUEUE]);
// pg-boss's maintenance moves an expired job back to 'retry' while it has retries left: a webhook job always has.
// Whether the delivery is given up is the delivery row's count (MAX_ATTEMPTS), decided at the claim.
const RETRY_LIMIT = 1_000_000;
// Due at once, on any worker's clock (a test's too): whether it is due is the delivery row's to say (its availableAt).
const AT_ONCE = new Date(0);

/** The statement part that queues one job per delivery in `rows` ("id", "shop", "status" columns) that is pending. */
export function queueJobsFor(rows: Prisma.Sql, leaseMs = 60_000): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO ${Prisma.raw(JOB)} (name, data, singleton_key, start_after, expire_in, retry_limit, policy)
    SELECT ${INBOX_QUEUE}, jsonb_build_object('shop', d."shop", 'delivery', d."id"), 'delivery:' || d."id", ${AT_ONCE}::timestamptz,
      ${leaseMs}::double precision * interval '1 millisecond', ${RETRY_LIMIT}, 'standard'
    FROM ${rows} AS d WHERE d."status" = 'pending'`;
}

/** Queues deliveries already stored (a merchant's retry): one job each. */
export async function queueDeliveries(db: Client, shop: string, ids: readonly number[]) {
  if (ids.length === 0) return;
  await db.$executeRaw`${queueJobsFor(Prisma.sql`(SELECT "id", "shop", "status" FROM "WebhookDelivery" WHERE "shop" = ${shop} AND "id" IN (${Prisma.join(ids)}))`)}`;
}

export interface QueuedDelivery {
  delivery: WebhookDelivery;
  renew: (client: PrismaClient | Prisma.TransactionClient, until: Date) => Promise<boolean>;
  /** After processing: the job completes, or is due again when the delivery is (a retry's backoff). */
  settle: (db: PrismaClient) => Promise<void>;
  release: (db: PrismaClient) => Promise<boolean>;
}

/**
 * Claims the next due webhook job, a running one whose lease ran out included (its worker died), and
 * its delivery, as claimDelivery would: every claim an attempt, a delivery whose worker died on each
 * of its MAX_ATTEMPTS attempts failed with that reason instead.
 */
export async function claimQueuedDelivery(db: PrismaClient, workerId: string, now: Date, leaseUntil: Date, maxAttempts: number): Promise<QueuedDelivery | null> {
  // A job whose delivery leads nowhere now (settled meanwhile, not yet due) is completed or put off, and the next one tried:
  // each turn takes one job out of those due, so this ends.
  for (;;) {
    const token = `${workerId}:${randomUUID()}`;
    // A dead worker's job first, else the oldest due: the index job_due hands it over without sorting the backlog.
    const [job] = await db.$queryRaw<{ id: string; deliveryId: number }[]>`
      WITH expired AS (
        SELECT j.id FROM ${Prisma.raw(JOB)} AS j
        WHERE j.name = ${INBOX} AND j.state = 'active' AND j.started_on + j.expire_in < ${now}::timestamptz
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      ), queued AS (
        SELECT j.id FROM ${Prisma.raw(JOB)} AS j
        WHERE j.name = ${INBOX} AND j.state < 'active' AND j.start_after <= ${now}::timestamptz
        ORDER BY j.start_after, j.created_on, j.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      ), next AS (
        (SELECT id FROM expired) UNION ALL (SELECT id FROM queued) LIMIT 1
      )
      UPDATE ${Prisma.raw(JOB)} AS j SET state = 'active', started_on = now(), retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1 ELSE j.retry_count END,
        expire_in = ${leaseUntil}::timestamptz - now(), output = jsonb_build_object('claim', ${token}::text)
      FROM next WHERE j.name = ${INBOX} AND j.id = next.id
      RETURNING j.id::text AS id, (j.data->>'delivery')::int AS "deliveryId"`;
    if (!job) return null;
    const held = Prisma.sql`name = ${INBOX} AND id = ${job.id}::uuid AND state = 'active' AND output->>'claim' = ${token}`;
    const complete = (client: PrismaClient | Prisma.TransactionClient) =>
      client.$executeRaw`UPDATE ${Prisma.raw(JOB)} SET state = 'completed', completed_on = now(), output = NULL WHERE ${held}`;
    const dueAt = (client: PrismaClient | Prisma.TransactionClient, at: Date) =>
      client.$executeRaw`UPDATE ${Prisma.raw(JOB)} SET state = 'retry', start_after = ${at}::timestamptz, output = NULL WHERE ${held}`;
    const deliveryId = Number(job.deliveryId);

    const expired = Prisma.sql`"status" = 'processing' AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})`;
    // Its worker died on every attempt: failed with that reason, not taken over (it may be what kills the worker).
    const abandoned = await db.$executeRaw`
      UPDATE "WebhookDelivery" SET "status" = 'failed', "lockedBy" = NULL, "lockedUntil" = NULL, "availableAt" = NULL, "lastError" = ${abandonedReason(Prisma.sql`"attempts"`)}
      WHERE "id" = ${deliveryId} AND ${expired} AND "attempts" >= ${maxAttempts}`;
    const due = Prisma.sql`(("status" = 'pending' AND ("availableAt" IS NULL OR "availableAt" <= ${now})) OR (${expired} AND "attempts" < ${maxAttempts}))`;
    const claimed =
      abandoned > 0
        ? []
        : await db.$queryRaw<{ id: number }[]>`
            UPDATE "WebhookDelivery" SET "status" = 'processing', "lockedBy" = ${token}, "lockedUntil" = ${leaseUntil}, "attempts" = "attempts" + 1
            WHERE "id" = ${deliveryId} AND ${due} RETURNING "id"`;
    const delivery = claimed.length > 0 ? await db.webhookDelivery.findUnique({ where: { id: deliveryId } }) : null;
    if (!delivery) {
      // Nothing to do now: settled (or erased) meanwhile, or not due yet (a retry's backoff, another worker's lease).
      const row = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { status: true, availableAt: true, lockedUntil: true } });
      const later = row?.status === "pending" ? row.availableAt : row?.status === "processing" ? row.lockedUntil : null;
      if (later && later > now) await dueAt(db, later);
      else await complete(db);
      continue;
    }
    return {
      delivery,
      async renew(client, until) {
        const renewed = await client.$executeRaw`
          UPDATE ${Prisma.raw(JOB)} SET expire_in = ${until}::timestamptz - started_on WHERE ${held}`;
        if (renewed !== 1) return false;
        const kept = await client.webhookDelivery.updateMany({ where: { id: deliveryId, lockedBy: token, status: "processing" }, data: { lockedUntil: until } });
        return kept.count === 1;
      },
      async settle(client) {
        const row = await client.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { status: true, availableAt: true } });
        if (row?.status === "pending") await dueAt(client, row.availableAt ?? AT_ONCE);
        else await complete(client);
      },
      async release(client) {
        return client.$transaction(async (tx) => {
          const released = await tx.webhookDelivery.updateMany({
            where: { id: deliveryId, lockedBy: token, status: "processing" },
            data: { status: "pending", availableAt: null, lockedBy: null, lockedUntil: null, attempts: { decrement: 1 } },
          });
          if (released.count !== 1) return false;
          await dueAt(tx, AT_ONCE);
          return true;
        });
      },
    };
  }
}
