import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "~/db.server";
import { checkReadiness } from "~/readiness.server";
import { loader as healthz } from "~/routes/healthz";
import { loader as readyz } from "~/routes/readyz";
import { freshDatabaseUrl, TEST_DB_DIR } from "../setup/database";

const opened: { $disconnect: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const client of opened.splice(0)) await client.$disconnect();
});

describe("/readyz", () => {
  it("is ready on a migrated database, and says so in plain text that no cache keeps", async () => {
    const response = await readyz();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.text()).toBe("ready");
  });

  it("is not ready on a database without the app's schema, and tells the log why but not the prober", async () => {
    const logged = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const file = `${TEST_DB_DIR}/empty-${randomUUID()}.sqlite`;
    const empty = createPrismaClient(`file:${file}`);
    try {
      expect(await checkReadiness(empty)).toEqual({ ready: false, reason: "database unavailable or not migrated" });
      expect(logged).toHaveBeenCalledOnce();
    } finally {
      logged.mockRestore();
      await empty.$disconnect();
      rmSync(file, { force: true });
    }
  });

  it("is not ready while a migration is unfinished (a release that failed half-way)", async () => {
    const database = freshDatabaseUrl(`unfinished-${randomUUID()}`);
    const db = createPrismaClient(database.url);
    opened.push(db);
    try {
      await db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET finished_at = NULL WHERE id = (SELECT id FROM "_prisma_migrations" ORDER BY started_at DESC LIMIT 1)`);
      expect(await checkReadiness(db)).toEqual({ ready: false, reason: "a migration is unfinished" });
    } finally {
      database.remove();
    }
  });
});

describe("/healthz", () => {
  it("answers 200 as long as the process runs (liveness)", async () => {
    const response = healthz();
    expect(response.status).toBe(200);
  });
});
