import { afterAll, beforeAll, describe } from "vitest";
import prisma from "~/db.server";
import { createPgBossEngine } from "~/jobs/pgboss-engine.server";
import { TEST_ON_POSTGRES } from "../setup/database";
import { engineContract } from "./engine-contract";

// pg-boss needs PostgreSQL: this runs under `npm run test:postgres`, on the file's own database.
describe.skipIf(!TEST_ON_POSTGRES)("pg-boss engine", () => {
  const engine = createPgBossEngine({ connectionString: process.env.DATABASE_URL ?? "" });

  beforeAll(async () => {
    // pg-boss's schema, created at the engine's first use.
    await engine.countDead(prisma, "none");
  });
  afterAll(() => engine.close());

  engineContract(() => ({
    engine,
    db: prisma,
    now: () => new Date(),
    async advance(ms) {
      await prisma.$executeRaw`UPDATE pgboss.job SET start_after = start_after - ${ms}::double precision * interval '1 millisecond' WHERE state < 'active'`;
    },
    async unfinished() {
      const rows = await prisma.$queryRaw<{ shop: string; kind: string; key: string | null; state: string; runAt: Date; payload: string; attempts: number }[]>`
        SELECT data->>'shop' AS shop, name AS kind, data->>'key' AS key, state::text AS state, start_after AS "runAt", (data->'payload')::text AS payload,
          retry_count + CASE WHEN started_on IS NULL THEN 0 ELSE 1 END AS attempts
        FROM pgboss.job WHERE state <= 'active' ORDER BY created_on, id`;
      return rows.map((row) => ({
        shop: row.shop,
        kind: row.kind,
        key: row.key,
        status: row.state === "active" ? "running" : "queued",
        runAt: new Date(row.runAt),
        payload: JSON.parse(row.payload) as unknown,
        attempts: Number(row.attempts),
      }));
    },
    async reset() {
      await prisma.$executeRaw`TRUNCATE pgboss.job`;
      await prisma.shop.deleteMany();
    },
  }));
});
