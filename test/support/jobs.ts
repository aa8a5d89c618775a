/**
 * The app's jobs as tests see them, whichever engine runs them (app/jobs/engines.server.ts): the
 * Job table on SQLite (and on PostgreSQL with JOB_ENGINE=table), pg-boss's tables on PostgreSQL.
 * Each job is read in the table's terms, so one assertion holds on both.
 */
import PgBoss from "pg-boss";
import { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { jobEngineFor } from "~/jobs/engines.server";
import { dialectOf } from "~/sql.server";

export type JobStatus = "queued" | "running" | "done" | "dead" | "cancelled";

export interface EngineJob {
  id: string;
  shop: string;
  kind: string;
  dedupeKey: string | null;
  status: JobStatus;
  runAt: Date;
  payload: unknown;
  /** Attempts used (claims), the running one included. */
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
}

export interface JobWhere {
  shop?: string;
  kind?: string | readonly string[];
  status?: JobStatus | readonly JobStatus[];
  dedupeKey?: string;
  /** Due by then (runAt ≤ it). */
  dueBy?: Date;
}

/** Whether the app's jobs run on pg-boss here (PostgreSQL's default engine), rather than the Job table. */
export const onPgBoss = () => jobEngineFor(prisma).name === "pg-boss";

const PGBOSS_STATUS: Record<string, JobStatus> = { created: "queued", retry: "queued", active: "running", completed: "done", failed: "dead", cancelled: "cancelled" };

async function allJobs(shop?: string): Promise<EngineJob[]> {
  if (!onPgBoss()) {
    const rows = await prisma.job.findMany({ where: shop ? { shop } : {}, orderBy: { id: "asc" } });
    return rows.map((row) => ({
      id: String(row.id),
      shop: row.shop,
      kind: row.kind,
      dedupeKey: row.dedupeKey ?? row.deadKey,
      status: row.status as JobStatus,
      runAt: row.runAt,
      payload: JSON.parse(row.payload) as unknown,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      lastError: row.lastError,
    }));
  }
  // Through the engine first: pg-boss's schema is made at its first use.
  await jobEngineFor(prisma).countDead(prisma, "");
  const rows = await prisma.$queryRaw<
    { id: string; shop: string; kind: string; key: string | null; state: string; runAt: Date; payload: string; attempts: number; retryLimit: number; output: string | null }[]
  >`
    SELECT id::text AS id, data->>'shop' AS shop, name AS kind, data->>'key' AS key, state::text AS state, start_after AS "runAt",
      (data->'payload')::text AS payload, retry_count + CASE WHEN started_on IS NULL THEN 0 ELSE 1 END AS attempts, retry_limit AS "retryLimit", output::text AS output
    FROM pgboss.job ${shop ? Prisma.sql`WHERE data->>'shop' = ${shop}` : Prisma.empty} ORDER BY created_on, id`;
  return rows.map((row) => {
    const output = (row.output === null ? {} : JSON.parse(row.output)) as { error?: string; value?: { message?: string } };
    return {
      id: row.id,
      shop: row.shop,
      kind: row.kind,
      dedupeKey: row.key,
      status: PGBOSS_STATUS[row.state] ?? "cancelled",
      runAt: new Date(row.runAt),
      payload: JSON.parse(row.payload) as unknown,
      attempts: Number(row.attempts),
      maxAttempts: Number(row.retryLimit) + 1,
      lastError: output.error ?? output.value?.message ?? null,
    };
  });
}

const oneOf = <T>(wanted: T | readonly T[] | undefined, value: T) => wanted === undefined || (Array.isArray(wanted) ? wanted.includes(value) : wanted === value);

/** The jobs matching `where`, in the order they were queued. */
export async function findJobs(where: JobWhere = {}): Promise<EngineJob[]> {
  return (await allJobs(where.shop)).filter(
    (job) =>
      oneOf(where.kind, job.kind) &&
      oneOf(where.status, job.status) &&
      (where.dedupeKey === undefined || job.dedupeKey === where.dedupeKey) &&
      (where.dueBy === undefined || job.runAt <= where.dueBy),
  );
}

export async function countJobs(where: JobWhere = {}): Promise<number> {
  return (await findJobs(where)).length;
}

/** Forgets jobs (of a shop, of kinds) on either engine, as if never queued. */
export async function deleteJobs(where: { shop?: string; kind?: string | readonly string[] } = {}) {
  const kinds = where.kind === undefined ? undefined : typeof where.kind === "string" ? [where.kind] : [...where.kind];
  if (!onPgBoss()) {
    await prisma.job.deleteMany({ where: { ...(where.shop ? { shop: where.shop } : {}), ...(kinds ? { kind: { in: kinds } } : {}) } });
    return;
  }
  await jobEngineFor(prisma).countDead(prisma, "");
  const conditions = [
    Prisma.sql`TRUE`,
    ...(where.shop ? [Prisma.sql`data->>'shop' = ${where.shop}`] : []),
    ...(kinds ? [Prisma.sql`name IN (${Prisma.join(kinds)})`] : []),
  ];
  await prisma.$executeRaw`DELETE FROM pgboss.job WHERE ${Prisma.join(conditions, " AND ")}`;
}

/** The queued jobs of `kind` give up after `maxAttempts` attempts. */
export async function limitAttempts(kind: string, maxAttempts: number) {
  if (!onPgBoss()) {
    await prisma.job.updateMany({ where: { kind, status: "queued" }, data: { maxAttempts } });
    return;
  }
  await prisma.$executeRaw`UPDATE pgboss.job SET retry_limit = ${maxAttempts - 1} WHERE name = ${kind} AND state < 'active'`;
}

/** Queued jobs (of a shop, of kinds) become due now, as if their time had come. */
export async function makeJobsDue(where: { shop: string; kind: readonly string[] }) {
  if (!onPgBoss()) {
    await prisma.job.updateMany({ where: { shop: where.shop, kind: { in: [...where.kind] }, status: "queued" }, data: { runAt: new Date() } });
    return;
  }
  await prisma.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE data->>'shop' = ${where.shop} AND name IN (${Prisma.join(where.kind)}) AND state < 'active'`;
}

/** pg-boss's rows of the shop, in its job table and its archive (0 each when pg-boss is not in use or not yet set up). */
export async function pgBossRowsOf(shop: string): Promise<{ job: number; archive: number }> {
  if (dialectOf(prisma) !== "postgresql") return { job: 0, archive: 0 };
  const [exists] = await prisma.$queryRaw<{ found: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS found`;
  if (!exists?.found) return { job: 0, archive: 0 };
  const [row] = await prisma.$queryRaw<{ job: number; archive: number }[]>`
    SELECT (SELECT count(*)::int FROM pgboss.job WHERE data->>'shop' = ${shop}) AS job,
      (SELECT count(*)::int FROM pgboss.archive WHERE data->>'shop' = ${shop}) AS archive`;
  return { job: Number(row!.job), archive: Number(row!.archive) };
}

/**
 * pg-boss's maintenance archives the finished jobs, as it does once they are older than its
 * archive interval (12 h): their completion is moved back by a day, then pg-boss's own archive runs.
 */
export async function archiveFinishedPgBossJobs() {
  await prisma.$executeRaw`UPDATE pgboss.job SET completed_on = completed_on - interval '1 day' WHERE state >= 'completed'`;
  const boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: "pgboss", supervise: false, schedule: false, max: 1 });
  await boss.start();
  try {
    // Promoted onto the instance by pg-boss, but not in its types.
    await (boss as unknown as { archive(): Promise<void> }).archive();
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
