import { beforeEach, describe, expect, it, vi } from "vitest";
import prisma, { bulkWriterFor } from "~/db.server";
import { claimJob, enqueueJob } from "~/jobs/queue.server";
import { type JobHandler, type WorkContext } from "~/jobs/types";
import { createWorker } from "~/jobs/worker.server";

const SHOP = "lease-shop.myshopify.com";
const LEASE_MS = 60_000;
let nowMs = Date.parse("2026-11-23T10:00:00Z");
const now = () => new Date(nowMs);

function workerWith(handlers: Record<string, JobHandler>, options: { renewEveryMs?: number } = {}) {
  const context: WorkContext = { db: prisma, now, adminFor: () => Promise.reject(new Error("no Admin API here")) };
  return createWorker({ context, handlers, leaseMs: LEASE_MS, ...options });
}

/** A handler that waits where the test says: `reached` resolves when it gets there, `release` lets it go on. */
function pausePoint() {
  let reached!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { arrived, release, wait: () => (reached(), gate) };
}

const shopsWritten = async () => (await prisma.shop.findMany({ orderBy: { shop: "asc" } })).map((row) => row.shop);

beforeEach(async () => {
  nowMs = Date.parse("2026-11-23T10:00:00Z");
  await prisma.job.deleteMany();
  await prisma.shop.deleteMany();
});

describe("job leases", () => {
  it("renews a running job's lease on its own while the handler runs, so no other worker takes the job over", async () => {
    const pause = pausePoint();
    const worker = workerWith(
      {
        long: async ({ db }) => {
          // A long job that never calls run.heartbeat().
          await pause.wait();
          await db.shop.create({ data: { shop: "written-by-the-long-job" } });
        },
      },
      { renewEveryMs: 5 },
    );
    await enqueueJob(prisma, { shop: SHOP, kind: "long", runAt: now() });
    const running = worker.runOnce();
    await pause.arrived;

    // Two minutes pass while it runs, twice its lease.
    for (let step = 0; step < 4; step += 1) {
      nowMs += 30_000;
      await vi.waitFor(async () => expect((await prisma.job.findFirstOrThrow()).lockedUntil?.getTime()).toBe(nowMs + LEASE_MS), { timeout: 5_000 });
      expect(await claimJob(prisma, "another-worker", now(), new Date(nowMs + LEASE_MS))).toBeNull();
    }

    pause.release();
    await running;
    expect(await prisma.job.findFirstOrThrow()).toMatchObject({ status: "done", attempts: 0, lockedBy: null });
    expect(await shopsWritten()).toEqual(["written-by-the-long-job"]);
  });

  // Each way a handler writes: a model operation, raw SQL, a batch, an interactive transaction, the bulk writer.
  const writes: Record<string, (db: WorkContext["db"], shop: string) => Promise<unknown>> = {
    "a model operation": (db, shop) => db.shop.create({ data: { shop } }),
    "raw SQL": (db, shop) => db.$executeRaw`INSERT INTO "Shop" ("shop", "updatedAt") VALUES (${shop}, ${now()})`,
    "a batch transaction": (db, shop) => db.$transaction([db.shop.create({ data: { shop } })]),
    "an interactive transaction": (db, shop) => db.$transaction(async (tx) => tx.shop.create({ data: { shop } })),
    "the bulk writer": (db, shop) => bulkWriterFor(db).transaction((execute) => execute(`INSERT INTO "Shop" ("shop", "updatedAt") VALUES (?1, ?2)`, [shop, now().toISOString()])),
  };

  for (const [how, write] of Object.entries(writes)) {
    it(`stops a job that lost its lease before its next write (${how}), and leaves the job to the worker that took it over`, async () => {
      const pause = pausePoint();
      let runs = 0;
      const stalled: JobHandler = async ({ db }) => {
        runs += 1;
        const run = runs;
        // The first worker stalls here (a long GC, a frozen VM) past its lease; the second does not.
        if (run === 1) await pause.wait();
        await write(db, `written-by-run-${run}`);
      };
      // The first worker cannot renew while it is stalled: its timer never gets to run.
      const first = workerWith({ stalled }, { renewEveryMs: 3_600_000 });
      const second = workerWith({ stalled });
      await enqueueJob(prisma, { shop: SHOP, kind: "stalled", runAt: now() });
      const firstRun = first.runOnce();
      await pause.arrived;

      nowMs += LEASE_MS + 1_000;
      await second.runOnce();
      const afterTakeover = await prisma.job.findFirstOrThrow();
      expect(afterTakeover).toMatchObject({ status: "done", lastError: null });

      pause.release();
      await firstRun;
      expect(await shopsWritten()).toEqual(["written-by-run-2"]);
      // Neither completed again nor failed by the worker that lost it.
      expect(await prisma.job.findFirstOrThrow()).toEqual(afterTakeover);
    });
  }

  it("a write past the lease's end, when no other worker took the job over, renews the lease and goes on", async () => {
    const pause = pausePoint();
    const worker = workerWith(
      {
        stalled: async ({ db }) => {
          await pause.wait();
          await db.$transaction(async (tx) => tx.shop.create({ data: { shop: "written-late" } }));
          await db.shop.create({ data: { shop: "written-later" } });
        },
      },
      { renewEveryMs: 3_600_000 },
    );
    await enqueueJob(prisma, { shop: SHOP, kind: "stalled", runAt: now() });
    const running = worker.runOnce();
    await pause.arrived;
    nowMs += LEASE_MS + 1_000;
    pause.release();
    await running;
    expect(await shopsWritten()).toEqual(["written-late", "written-later"]);
    expect(await prisma.job.findFirstOrThrow()).toMatchObject({ status: "done" });
  });
});
