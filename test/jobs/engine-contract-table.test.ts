import prisma from "~/db.server";
import { tableEngine } from "~/jobs/table-engine.server";
import { engineContract } from "./engine-contract";

// The table engine on the suite's database: SQLite under `npm test`, PostgreSQL under `npm run test:postgres`.
let nowMs = Date.parse("2026-11-23T10:00:00Z");

engineContract(() => ({
  engine: tableEngine,
  db: prisma,
  now: () => new Date(nowMs),
  async advance(ms) {
    nowMs += ms;
  },
  async unfinished() {
    const jobs = await prisma.job.findMany({ where: { status: { in: ["queued", "running"] } }, orderBy: { id: "asc" } });
    return jobs.map((job) => ({
      shop: job.shop,
      kind: job.kind,
      key: job.dedupeKey,
      status: job.status as "queued" | "running",
      runAt: job.runAt,
      payload: JSON.parse(job.payload) as unknown,
      attempts: job.attempts,
    }));
  },
  async reset() {
    nowMs = Date.parse("2026-11-23T10:00:00Z");
    await prisma.job.deleteMany();
    await prisma.shop.deleteMany();
  },
}));
