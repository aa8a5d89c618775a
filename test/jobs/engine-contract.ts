/**
 * The job engines' one contract (app/jobs/engine.ts), run against each engine by
 * engine-contract-table.test.ts and engine-contract-pgboss.test.ts. Each engine is reached only
 * through its JobEngine and a harness that reads its unfinished jobs and lets time pass.
 */
import type { PrismaClient } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import type { JobEngine } from "~/jobs/engine";
import { retryDelayMs } from "~/jobs/queue.server";
import { PermanentJobError, type JobHandler, type WorkContext } from "~/jobs/types";

export interface UnfinishedJob {
  shop: string;
  kind: string;
  key: string | null;
  status: "queued" | "running";
  runAt: Date;
  payload: unknown;
  /** Attempts used so far (the running one included). */
  attempts: number;
}

export interface EngineHarness {
  engine: JobEngine;
  db: PrismaClient;
  /** The workers' clock. */
  now: () => Date;
  /** `ms` pass for what is due (the clock, or the queued jobs' times brought back by as much). */
  advance: (ms: number) => Promise<void>;
  unfinished: () => Promise<UnfinishedJob[]>;
  /** No jobs, no shops. */
  reset: () => Promise<void>;
}

const SHOP = "contract-shop.myshopify.com";
const OTHER_SHOP = "other-contract-shop.myshopify.com";
const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler that waits where the test says: `arrived` resolves when it gets there, `release` lets it go on. */
function pausePoint() {
  let reached!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { arrived, release, wait: () => (reached(), gate) };
}

export function engineContract(harness: () => EngineHarness) {
  let h: EngineHarness;

  const workerWith = (handlers: Record<string, JobHandler>, options: { idlePollMs?: number } = {}) => {
    const context: WorkContext = { db: h.db, now: h.now, adminFor: () => Promise.reject(new Error("no Admin API here")) };
    return h.engine.createWorker({ context, handlers, leaseMs: 60_000, ...options });
  };
  const enqueue = (spec: { kind: string; dedupeKey?: string; runAt?: Date; payload?: unknown; maxAttempts?: number; shop?: string }) =>
    h.engine.enqueue(h.db, { shop: SHOP, runAt: h.now(), ...spec });

  beforeEach(async () => {
    h = harness();
    await h.reset();
  });

  describe(`the job engine contract`, () => {
    it("runs a key enqueued 1,000 times at once exactly once", async () => {
      await Promise.all(Array.from({ length: 1000 }, () => enqueue({ kind: "k", dedupeKey: "x" })));
      expect(await h.unfinished()).toHaveLength(1);
      let runs = 0;
      await workerWith({ k: async () => void (runs += 1) }).runUntilIdle();
      expect(runs).toBe(1);
      expect(await h.unfinished()).toEqual([]);
    });

    it("runs a job asked for again while it runs exactly once more, never alongside itself", async () => {
      const pause = pausePoint();
      let runs = 0;
      let running = 0;
      let overlaps = 0;
      const handler: JobHandler = async () => {
        runs += 1;
        running += 1;
        if (running > 1) overlaps += 1;
        if (runs === 1) await pause.wait();
        running -= 1;
      };
      await enqueue({ kind: "k", dedupeKey: "x" });
      const first = workerWith({ k: handler });
      const firstRun = first.runOnce();
      await pause.arrived;
      await Promise.all(Array.from({ length: 100 }, () => enqueue({ kind: "k", dedupeKey: "x" })));
      // Another worker finds nothing it may start: the key is running.
      expect(await workerWith({ k: handler }).runOnce()).toBe(false);
      pause.release();
      await firstRun;
      await workerWith({ k: handler }).runUntilIdle();
      expect({ runs, overlaps }).toEqual({ runs: 2, overlaps: 0 });
      expect(await h.unfinished()).toEqual([]);
    });

    it("brings a queued job's runAt forward when it is asked for sooner, never back", async () => {
      const t = h.now().getTime();
      await enqueue({ kind: "k", dedupeKey: "x", runAt: new Date(t + 60_000) });
      await enqueue({ kind: "k", dedupeKey: "x", runAt: new Date(t + 10_000) });
      await enqueue({ kind: "k", dedupeKey: "x", runAt: new Date(t + 90_000) });
      const [job, ...more] = await h.unfinished();
      expect(more).toEqual([]);
      expect(job!.runAt.getTime()).toBe(t + 10_000);
      let runs = 0;
      const worker = workerWith({ k: async () => void (runs += 1) });
      expect(await worker.runUntilIdle()).toBe(0);
      await h.advance(11_000);
      await worker.runUntilIdle();
      expect(runs).toBe(1);
    });

    it("counts a shop's jobs of a kind that run or are due, not those queued for later nor of another kind or shop", async () => {
      const t = h.now().getTime();
      await enqueue({ kind: "r", dedupeKey: "due" });
      await enqueue({ kind: "r", dedupeKey: "later", runAt: new Date(t + DAY_MS) });
      await enqueue({ kind: "other", dedupeKey: "due" });
      await enqueue({ kind: "r", dedupeKey: "due", shop: OTHER_SHOP });
      expect(await h.engine.countActive(h.db, SHOP, "r", h.now())).toBe(1);
      expect(await h.engine.countActive(h.db, SHOP, "r", new Date(t + DAY_MS))).toBe(2);

      const pause = pausePoint();
      const worker = workerWith({ r: () => pause.wait() });
      const running = worker.runOnce();
      await pause.arrived;
      // Running, it still counts (and the later one does not yet).
      expect(await h.engine.countActive(h.db, SHOP, "r", h.now())).toBe(1);
      pause.release();
      await running;
      expect(await h.engine.countActive(h.db, SHOP, "r", h.now())).toBe(0);
      expect(await h.engine.countActive(h.db, OTHER_SHOP, "r", h.now())).toBe(1);
    });

    it("snoozes a job to its next run with its new payload and attempts reset, sooner if asked for meanwhile", async () => {
      const payloads: unknown[] = [];
      let requestDuringRun = false;
      const worker = workerWith({
        p: async ({ db }, run) => {
          payloads.push(run.payload);
          if (requestDuringRun) await h.engine.enqueue(db, { shop: SHOP, kind: "p", dedupeKey: "daily", runAt: h.now() });
          requestDuringRun = false;
          return { snoozeUntil: new Date(h.now().getTime() + DAY_MS), payload: { cursor: payloads.length } };
        },
      });
      await enqueue({ kind: "p", dedupeKey: "daily", payload: { cursor: 0 } });
      expect(await worker.runUntilIdle()).toBe(1);
      let [job, ...more] = await h.unfinished();
      expect(more).toEqual([]);
      expect(job).toMatchObject({ status: "queued", key: "daily", payload: { cursor: 1 }, attempts: 0 });
      expect(job!.runAt.getTime()).toBeGreaterThanOrEqual(h.now().getTime() + DAY_MS - 1_000);

      // Asked for while it runs: it snoozes, but comes back now, with the payload it snoozed with.
      await h.advance(DAY_MS);
      requestDuringRun = true;
      expect(await worker.runUntilIdle()).toBe(2);
      expect(payloads).toEqual([{ cursor: 0 }, { cursor: 1 }, { cursor: 2 }]);
      [job, ...more] = await h.unfinished();
      expect(more).toEqual([]);
      expect(job).toMatchObject({ status: "queued", key: "daily", payload: { cursor: 3 }, attempts: 0 });
    });

    it("retries a failure with backoff, then dead-letters it with its reason, for the merchant to retry", async () => {
      let calls = 0;
      const worker = workerWith({
        flaky: async () => {
          calls += 1;
          throw new Error("Shopify said 502");
        },
      });
      await enqueue({ kind: "flaky", dedupeKey: "x", maxAttempts: 3 });
      await worker.runUntilIdle();
      const [job] = await h.unfinished();
      expect(job).toMatchObject({ status: "queued", attempts: 1 });
      expect(job!.runAt.getTime()).toBeGreaterThanOrEqual(h.now().getTime() + retryDelayMs(1, () => 0) - 1_000);
      // Nothing is due until the backoff has passed.
      expect(await worker.runUntilIdle()).toBe(0);
      for (let attempt = 2; attempt <= 3; attempt += 1) {
        await h.advance(3_600_000);
        await worker.runUntilIdle();
      }
      expect(calls).toBe(3);
      expect(await h.unfinished()).toEqual([]);
      const dead = await h.engine.listDead(h.db, SHOP, 50);
      expect(dead).toMatchObject([{ kind: "flaky", attempts: 3, maxAttempts: 3, lastError: "Error: Shopify said 502", retryable: true }]);
      expect(await h.engine.countDead(h.db, SHOP)).toBe(1);
    });

    it("dead-letters a job whose worker died on each of its attempts, with that reason, instead of taking it over again", async () => {
      const LEASE_MS = 150;
      const gates: (() => void)[] = [];
      const runs: Promise<boolean>[] = [];
      // A worker that stops answering mid-job (killed, frozen): its lease is never renewed, its run never ends.
      const dyingWorker = () => {
        const context: WorkContext = { db: h.db, now: h.now, adminFor: () => Promise.reject(new Error("no Admin API here")) };
        return h.engine.createWorker({ context, handlers: { crashes: () => new Promise<void>((resolve) => gates.push(resolve)) }, leaseMs: LEASE_MS, renewEveryMs: 3_600_000 });
      };
      await enqueue({ kind: "crashes", dedupeKey: "x", maxAttempts: 2 });
      // Until `done`, or 10 s: claims are made again as the lease runs out, on the workers' clock and in real time
      // (pg-boss dates a claim with the database's clock, and leases last at least a second there).
      const untilDone = async (claim: () => Promise<boolean>, done: () => Promise<boolean> | boolean) => {
        const giveUpAt = Date.now() + 10_000;
        while (!(await done()) && Date.now() < giveUpAt) {
          await claim();
          await h.advance(LEASE_MS * 2);
          await sleep(LEASE_MS);
        }
      };
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        await untilDone(
          async () => (runs.push(dyingWorker().runOnce()), true),
          () => gates.length >= attempt,
        );
        expect(gates).toHaveLength(attempt);
      }
      let ranAgain = false;
      const survivor = workerWith({ crashes: async () => void (ranAgain = true) });
      await untilDone(
        () => survivor.runOnce(),
        async () => (await h.engine.countDead(h.db, SHOP)) === 1,
      );
      expect(ranAgain).toBe(false);
      expect(await h.unfinished()).toEqual([]);
      const dead = await h.engine.listDead(h.db, SHOP, 50);
      expect(dead).toMatchObject([{ kind: "crashes", attempts: 2, maxAttempts: 2, retryable: true }]);
      expect(dead[0]!.lastError).toMatch(/^Abandoned: its worker stopped before finishing on each of its 2 attempts/);
      // The stale runs end without touching it.
      for (const release of gates) release();
      await Promise.all(runs);
      expect(await h.engine.listDead(h.db, SHOP, 50)).toMatchObject([{ kind: "crashes", attempts: 2 }]);
    });

    it("dead-letters a permanent failure at once and offers no retry of it", async () => {
      const worker = workerWith({ broken: () => Promise.reject(new PermanentJobError("the payload names no shop")) });
      await enqueue({ kind: "broken", dedupeKey: "x" });
      await worker.runUntilIdle();
      const dead = await h.engine.listDead(h.db, SHOP, 50);
      expect(dead).toMatchObject([{ kind: "broken", attempts: 1, retryable: false, lastError: "PermanentJobError: the payload names no shop" }]);
      expect(await h.engine.retryDead(h.db, SHOP, dead[0]!.id, h.now())).toBe(false);
      expect(await h.engine.retryAllDead(h.db, SHOP, h.now())).toBe(0);
      expect(await h.engine.countDead(h.db, SHOP)).toBe(1);
    });

    it("lets the merchant retry one dead job, then all, and closes one whose key a successor holds", async () => {
      let failing = true;
      const ran: string[] = [];
      const worker = workerWith({
        k: async (_context, run) => {
          if (failing) throw new Error("Shopify is down");
          ran.push(run.job.dedupeKey ?? "");
        },
      });
      for (const key of ["a", "b", "c", "d"]) await enqueue({ kind: "k", dedupeKey: key, maxAttempts: 1 });
      await worker.runUntilIdle();
      const dead = await h.engine.listDead(h.db, SHOP, 50);
      expect(dead).toHaveLength(4);
      // Latest first: they died in the order they were queued.
      const idOf = Object.fromEntries(["d", "c", "b", "a"].map((key, index) => [key, dead[index]!.id]));
      failing = false;

      // "d" was asked for again since it died: that job does the work, the dead one is closed.
            await enqueue({ kind: "k", dedupeKey: "d" });
      expect(await h.engine.retryDead(h.db, SHOP, idOf.d!, h.now())).toBe(true);
      expect((await h.unfinished()).map((job) => job.key)).toEqual(["d"]);

      expect(await h.engine.retryDead(h.db, SHOP, idOf.a!, h.now())).toBe(true);
      expect(await h.engine.retryDead(h.db, OTHER_SHOP, idOf.b!, h.now())).toBe(false);
      expect(await h.engine.retryAllDead(h.db, SHOP, h.now())).toBe(2);
      expect(await h.engine.listDead(h.db, SHOP, 50)).toEqual([]);
      await worker.runUntilIdle();
      expect(ran.sort()).toEqual(["a", "b", "c", "d"]);
      expect(await h.unfinished()).toEqual([]);
    });

    it("cancels a shop's jobs on uninstall, and those of an uninstalled shop when one is claimed", async () => {
      const ran: string[] = [];
      const worker = workerWith({ k: async (_context, run) => void ran.push(run.job.shop) });
      await enqueue({ kind: "k", dedupeKey: "one" });
      await enqueue({ kind: "k", dedupeKey: "two", runAt: new Date(h.now().getTime() + DAY_MS) });
      await enqueue({ kind: "k", dedupeKey: "one", shop: OTHER_SHOP });
      await h.engine.cancelShop(h.db, SHOP, h.now());
      expect((await h.unfinished()).map((job) => job.shop)).toEqual([OTHER_SHOP]);

      await h.db.shop.create({ data: { shop: OTHER_SHOP, uninstalledAt: h.now() } });
      await worker.runUntilIdle();
      expect(ran).toEqual([]);
      expect(await h.unfinished()).toEqual([]);
    });

    it("erases a shop's jobs, queued and dead, on shop/redact, and no other shop's", async () => {
      await enqueue({ kind: "broken", dedupeKey: "x" });
      await workerWith({ broken: () => Promise.reject(new PermanentJobError("no")) }).runUntilIdle();
      await enqueue({ kind: "k", dedupeKey: "later", runAt: new Date(h.now().getTime() + DAY_MS) });
      await enqueue({ kind: "k", dedupeKey: "later", shop: OTHER_SHOP });
      expect(await h.engine.countDead(h.db, SHOP)).toBe(1);
      await h.engine.deleteShop(h.db, SHOP);
      expect(await h.engine.countDead(h.db, SHOP)).toBe(0);
      expect((await h.unfinished()).map((job) => job.shop)).toEqual([OTHER_SHOP]);
    });

    it("hands back a job that does not finish by the stop deadline (SIGTERM): due again at once, the attempt not counted", async () => {
      const seen = { rounds: 0 } as { rounds: number; stoppedBy?: string };
      const worker = workerWith(
        {
          long: async ({ db }) => {
            try {
              for (;;) {
                await db.shop.count();
                seen.rounds += 1;
                await sleep(5);
              }
            } catch (error) {
              seen.stoppedBy = (error as Error).name;
              throw error;
            }
          },
        },
        { idlePollMs: 10 },
      );
      await enqueue({ kind: "long", dedupeKey: "x" });
      worker.start();
      while (seen.rounds === 0) await sleep(5);
      await worker.stop({ deadlineMs: 50 });
      expect(seen.stoppedBy).toBe("LeaseLostError");
      const [job, ...more] = await h.unfinished();
      expect(more).toEqual([]);
      expect(job).toMatchObject({ status: "queued", attempts: 0 });
      expect(job!.runAt.getTime()).toBeLessThanOrEqual(h.now().getTime() + 1_000);

      let attempt = 0;
      expect(await workerWith({ long: async (_context, run) => void (attempt = run.job.attempts) }).runOnce()).toBe(true);
      expect(attempt).toBe(1);
      expect(await h.unfinished()).toEqual([]);
    });
  });
}
