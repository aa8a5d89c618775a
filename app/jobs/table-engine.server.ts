/**
 * The table engine: our own `Job` table with leases (queue.server.ts), worked by worker.server.ts.
 * The engine on SQLite; it runs on PostgreSQL too (the same SQL) when JOB_ENGINE=table, where
 * pg-boss is otherwise the default (engines.server.ts).
 */
import type { JobEngine } from "./engine";
import { cancelShopJobs, enqueueJob, retryDeadJob, retryDeadJobs } from "./queue.server";
import { createWorker, tableJobSource } from "./worker.server";

export const tableEngine: JobEngine = {
  name: "table",
  enqueue: enqueueJob,
  createWorker: (options) => createWorker({ ...options, jobs: tableJobSource }),
  async listDead(db, shop, limit) {
    const jobs = await db.job.findMany({
      where: { shop, status: "dead" },
      orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
      take: limit,
      select: { id: true, kind: true, attempts: true, maxAttempts: true, lastError: true, finishedAt: true },
    });
    return jobs.map((job) => ({ ...job, id: String(job.id), retryable: job.attempts >= job.maxAttempts }));
  },
  countDead: (db, shop) => db.job.count({ where: { shop, status: "dead" } }),
  countActive: (db, shop, kind, now) => db.job.count({ where: { shop, kind, OR: [{ status: "running" }, { status: "queued", runAt: { lte: now } }] } }),
  async retryDead(db, shop, id, now) {
    // Ids are the table's integers; anything else names no job.
    return /^\d+$/.test(id) ? retryDeadJob(db, shop, Number(id), now) : false;
  },
  retryAllDead: retryDeadJobs,
  cancelShop: cancelShopJobs,
  async deleteShop(db, shop) {
    await db.job.deleteMany({ where: { shop } });
  },
};
