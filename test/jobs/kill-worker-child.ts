/**
 * A worker process for engine-kill-pgboss.test.ts: the pg-boss engine's worker, on the database in
 * DATABASE_URL, running kind "slow" whose handler never finishes (its lease renewed meanwhile, as for
 * any long job). It tells the parent which job it claimed; the parent then kills it with SIGKILL.
 */
import prisma from "~/db.server";
import { createPgBossEngine } from "~/jobs/pgboss-engine.server";

const leaseMs = Number(process.env.KILL_TEST_LEASE_MS);

const engine = createPgBossEngine({ connectionString: process.env.DATABASE_URL!, maintenanceIntervalSeconds: 1 });
const worker = engine.createWorker({
  context: { db: prisma, now: () => new Date(), adminFor: () => Promise.reject(new Error("no Admin API here")) },
  handlers: {
    slow: async (_context, run) => {
      process.send!({ claimed: String(run.job.id) });
      await new Promise(() => {});
    },
  },
  leaseMs,
  renewEveryMs: leaseMs / 4,
  idlePollMs: 100,
});
worker.start();
