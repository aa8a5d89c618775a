import { Prisma, type Job, type PrismaClient } from "@prisma/client";
import { newWorkDue } from "./wake";
import { describeError } from "~/log.server";
import { timestampValue } from "~/sql.server";
import { DEFAULT_MAX_ATTEMPTS, type JobSpec } from "./types";

export { DEFAULT_MAX_ATTEMPTS, type JobSpec };

/**
 * Queues a job. With a dedupeKey, an unfinished job under that key is reused (and run no later than
 * `runAt`). A job due now wakes the started workers.
 */
export async function enqueueJob(db: PrismaClient | Prisma.TransactionClient, spec: JobSpec): Promise<void> {
  const runAt = spec.runAt ?? new Date();
  const payload = JSON.stringify(spec.payload ?? {});
  const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const now = new Date();
  // One statement, so two processes enqueueing the same key cannot both insert.
  await db.$executeRaw`
    INSERT INTO "Job" ("shop", "kind", "dedupeKey", "payload", "status", "attempts", "maxAttempts", "runAt", "createdAt")
    VALUES (${spec.shop}, ${spec.kind}, ${spec.dedupeKey ?? null}, ${payload}, 'queued', 0, ${maxAttempts}, ${runAt}, ${now})
    ON CONFLICT ("shop", "kind", "dedupeKey") DO UPDATE SET
      "runAt" = CASE WHEN "Job"."status" <> 'running' AND excluded."runAt" < "Job"."runAt" THEN excluded."runAt" ELSE "Job"."runAt" END,
      "rerunAt" = CASE WHEN "Job"."status" = 'running' AND ("Job"."rerunAt" IS NULL OR excluded."runAt" < "Job"."rerunAt") THEN excluded."runAt" ELSE "Job"."rerunAt" END`;
  if (runAt <= now) newWorkDue();
}

/**
 * Claims the next due job for `workerId` until `leaseUntil`: a queued job whose time has come, or a
 * running one whose lease ran out (its worker died; the job is redone, which every job allows).
 * Every claim counts as an attempt, a takeover too. A job whose worker died on each of its
 * maxAttempts attempts is not taken over but dead-lettered, with that reason: it may be what kills
 * the worker, and running it again would only stop the shop's other work once more.
 * One UPDATE whose WHERE re-checks the state, so two workers can never both win the same row
 * (on PostgreSQL the loser's UPDATE sees the winner's change and matches nothing).
 */
export async function claimJob(db: PrismaClient, workerId: string, now: Date, leaseUntil: Date, kinds?: readonly string[]): Promise<Job | null> {
  const kindFilter = kinds ? Prisma.sql`AND "kind" IN (${Prisma.join(kinds)})` : Prisma.empty;
  const expired = Prisma.sql`"status" = 'running' AND "lockedUntil" < ${now}`;
  await db.$executeRaw`
    UPDATE "Job" SET "status" = 'dead', "finishedAt" = ${now}, "deadKey" = "dedupeKey", "dedupeKey" = NULL, "rerunAt" = NULL,
      "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = ${abandonedReason(Prisma.sql`"attempts"`)}
    WHERE ${expired} AND "attempts" >= "maxAttempts" ${kindFilter}`;
  const due = Prisma.sql`(("status" = 'queued' AND "runAt" <= ${now}) OR (${expired} AND "attempts" < "maxAttempts"))`;
  const rows = await db.$queryRaw<Job[]>`
    UPDATE "Job" SET "status" = 'running', "lockedBy" = ${workerId}, "lockedUntil" = ${leaseUntil}, "attempts" = "attempts" + 1
    WHERE "id" = (SELECT "id" FROM "Job" WHERE ${due} ${kindFilter} ORDER BY "runAt", "id" LIMIT 1) AND ${due}
    RETURNING *`;
  const row = rows[0];
  return row ? normalizeJob(row) : null;
}

/**
 * The reason kept with work whose worker stopped (killed, crashed, stalled past its lease) on every
 * attempt it was given; `attempts` is the SQL value that counted them.
 */
export function abandonedReason(attempts: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${"Abandoned: its worker stopped before finishing on each of its "} || ${attempts} || ${" attempts (its lease ran out every time); it is not run again, as it may be what stops the worker"}`;
}

// $queryRaw returns SQLite's text and integer columns as they are; give them the model's types.
function normalizeJob(row: Job): Job {
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  return {
    ...row,
    id: Number(row.id),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.maxAttempts),
    runAt: date(row.runAt)!,
    lockedUntil: date(row.lockedUntil),
    createdAt: date(row.createdAt)!,
    finishedAt: date(row.finishedAt),
  };
}

/**
 * Marks the job done, if this worker still holds it; its dedupeKey is free for the next one. A job
 * asked for again while it ran is queued again instead (one statement, so no request slips between).
 */
export async function completeJob(db: PrismaClient, job: Job, now: Date) {
  await db.$executeRaw`
    UPDATE "Job" SET
      "status" = CASE WHEN "rerunAt" IS NULL THEN 'done' ELSE 'queued' END,
      "runAt" = COALESCE("rerunAt", "runAt"),
      "finishedAt" = CASE WHEN "rerunAt" IS NULL THEN ${timestampValue(db, now)} ELSE NULL END,
      "dedupeKey" = CASE WHEN "rerunAt" IS NULL THEN NULL ELSE "dedupeKey" END,
      "attempts" = 0, "rerunAt" = NULL, "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = NULL
    WHERE "id" = ${job.id} AND "lockedBy" = ${job.lockedBy} AND "status" = 'running'`;
}

/** Exponential backoff with a little jitter: 10 s, 20 s, 40 s … capped at an hour. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(10_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);
  return Math.round(base * (0.9 + 0.2 * random()));
}

/** A failed attempt: retried later with backoff, or dead (kept with its reason) after maxAttempts. Returns whether it is dead. */
export async function failJob(db: PrismaClient, job: Job, error: unknown, now: Date, options: { permanent?: boolean } = {}): Promise<boolean> {
  const dead = options.permanent || job.attempts >= job.maxAttempts;
  await db.job.updateMany({
    where: { id: job.id, lockedBy: job.lockedBy, status: "running" },
    data: {
      status: dead ? "dead" : "queued",
      runAt: dead ? undefined : new Date(now.getTime() + retryDelayMs(job.attempts)),
      finishedAt: dead ? now : null,
      ...(dead ? { dedupeKey: null, deadKey: job.dedupeKey } : {}),
      // The retry does whatever a request made while it ran asked for.
      rerunAt: null,
      lockedBy: null,
      lockedUntil: null,
      lastError: describeError(error),
    },
  });
  return dead;
}

/**
 * Puts the job back to run at `runAt` (waiting for a bulk operation, or a periodic job's next run),
 * or sooner if it was asked for again while it ran. It ended well, so earlier failed attempts no
 * longer count against it.
 */
export async function snoozeJob(db: PrismaClient, job: Job, runAt: Date, payload?: unknown) {
  const newPayload = payload === undefined ? null : JSON.stringify(payload);
  await db.$executeRaw`
    UPDATE "Job" SET
      "status" = 'queued',
      "runAt" = CASE WHEN "rerunAt" IS NOT NULL AND "rerunAt" < ${runAt} THEN "rerunAt" ELSE ${timestampValue(db, runAt)} END,
      "payload" = COALESCE(${newPayload}, "payload"),
      "attempts" = 0, "rerunAt" = NULL, "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = NULL
    WHERE "id" = ${job.id} AND "lockedBy" = ${job.lockedBy} AND "status" = 'running'`;
}

/** Extends the lease of a running job; false when the job was taken over (then its work must stop). */
export async function renewLease(db: PrismaClient | Prisma.TransactionClient, job: Job, leaseUntil: Date): Promise<boolean> {
  const renewed = await db.job.updateMany({ where: { id: job.id, lockedBy: job.lockedBy, status: "running" }, data: { lockedUntil: leaseUntil } });
  return renewed.count === 1;
}

/**
 * Hands a running job back unfinished (this worker is shutting down): queued again at once for
 * another worker, and the attempt it was in does not count. False when it was no longer ours.
 */
export async function releaseJob(db: PrismaClient, job: Job, now: Date): Promise<boolean> {
  const released = await db.job.updateMany({
    where: { id: job.id, lockedBy: job.lockedBy, status: "running" },
    data: { status: "queued", runAt: now, lockedBy: null, lockedUntil: null, attempts: { decrement: 1 } },
  });
  return released.count === 1;
}

/**
 * The merchant asks for a dead job of their shop to run again; false when the job is not dead, not
 * theirs, or died at once of a failure that retrying cannot help (isPermanentFailure: it used up
 * fewer than its attempts). It takes its dedupeKey back, so a recurring job does not run as two
 * chains; if a job with that key was queued since, that one does the work and the dead one is closed.
 */
export async function retryDeadJob(db: PrismaClient, shop: string, jobId: number, now: Date): Promise<boolean> {
  const retried = await db.$transaction(async (tx) => {
    const job = await tx.job.findFirst({ where: { id: jobId, shop, status: "dead", attempts: { gte: tx.job.fields.maxAttempts } } });
    if (!job) return false;
    const successor = job.deadKey === null ? null : await tx.job.findFirst({ where: { shop, kind: job.kind, dedupeKey: job.deadKey }, select: { id: true } });
    await tx.job.update({
      where: { id: job.id },
      data: successor
        ? { status: "done", finishedAt: now, deadKey: null }
        : {
            status: "queued",
            attempts: 0,
            runAt: now,
            finishedAt: null,
            lockedBy: null,
            lockedUntil: null,
            rerunAt: null,
            dedupeKey: job.deadKey,
            deadKey: null,
          },
    });
    return true;
  });
  if (retried) newWorkDue();
  return retried;
}

/** Every dead job of the shop that may be retried runs again; returns how many. */
export async function retryDeadJobs(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const dead = await db.job.findMany({ where: { shop, status: "dead", attempts: { gte: db.job.fields.maxAttempts } }, select: { id: true } });
  let retried = 0;
  for (const { id } of dead) if (await retryDeadJob(db, shop, id, now)) retried += 1;
  return retried;
}

/** app/uninstalled: nothing more runs for the shop. */
export async function cancelShopJobs(db: PrismaClient | Prisma.TransactionClient, shop: string, now: Date) {
  await db.job.updateMany({
    where: { shop, status: { in: ["queued", "running"] } },
    data: { status: "cancelled", finishedAt: now, lockedBy: null, lockedUntil: null, dedupeKey: null },
  });
}
