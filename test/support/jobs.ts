import PgBoss from "pg-boss";
import prisma from "~/db.server";
import { jobEngineFor } from "~/jobs/engines.server";
import { dialectOf } from "~/sql.server";

/** Whether the app's jobs run on pg-boss here (PostgreSQL's default engine), rather than the Job table. */
export const onPgBoss = () => jobEngineFor(prisma).name === "pg-boss";

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
