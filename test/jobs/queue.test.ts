import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { AdminApiInvalidArgumentsError } from "~/admin-api/errors";
import prisma from "~/db.server";
import { claimJob, enqueueJob, retryDeadJob, retryDeadJobs, retryDelayMs } from "~/jobs/queue.server";
import { customerFromGraphql } from "~/sync/records";
import { PermanentJobError, type JobHandler, type WorkContext } from "~/jobs/types";
import { createWorker } from "~/jobs/worker.server";

const SHOP = "queue-shop.myshopify.com";
let nowMs = Date.parse("2026-11-23T10:00:00Z");
const now = () => new Date(nowMs);

function workerWith(handlers: Record<string, JobHandler>) {
  const context: WorkContext = { db: prisma, now, adminFor: () => Promise.reject(new Error("no Admin API here")) };
  return createWorker({ context, handlers, leaseMs: 60_000 });
}

beforeEach(async () => {
  nowMs = Date.parse("2026-11-23T10:00:00Z");
  await prisma.job.deleteMany();
  await prisma.shop.deleteMany();
});

describe("job queue", () => {
  it("gives a due job to exactly one of several concurrent claimers", async () => {
    await enqueueJob(prisma, { shop: SHOP, kind: "k", runAt: now() });
    const lease = new Date(nowMs + 60_000);
    const claims = await Promise.all(Array.from({ length: 8 }, (_, index) => claimJob(prisma, `worker-${index}`, now(), lease)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("keeps one unfinished job per dedupe key, run no later than the earliest request", async () => {
    await enqueueJob(prisma, { shop: SHOP, kind: "k", dedupeKey: "x", runAt: new Date(nowMs + 60_000) });
    await enqueueJob(prisma, { shop: SHOP, kind: "k", dedupeKey: "x", runAt: new Date(nowMs + 10_000) });
    await enqueueJob(prisma, { shop: SHOP, kind: "k", dedupeKey: "x", runAt: new Date(nowMs + 90_000) });
    const jobs = await prisma.job.findMany();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.runAt.getTime()).toBe(nowMs + 10_000);
  });

  it("runs a job once more when it was asked for again while running, so a request made mid-run is never lost", async () => {
    const seen: string[] = [];
    let requestDuringRun = true;
    const worker = workerWith({
      k: async ({ db }, run) => {
        seen.push(run.job.payload);
        // Something changed after this run read its data: the same job is requested again.
        if (requestDuringRun) await enqueueJob(db, { shop: SHOP, kind: "k", dedupeKey: "x", runAt: now() });
        requestDuringRun = false;
      },
    });
    await enqueueJob(prisma, { shop: SHOP, kind: "k", dedupeKey: "x", runAt: now() });
    await worker.runUntilIdle();
    expect(seen).toHaveLength(2);
    const [job] = await prisma.job.findMany();
    expect(job).toMatchObject({ status: "done", dedupeKey: null, rerunAt: null });

    // A periodic job asked for while it runs comes back now, not at its next period.
    const periodic = workerWith({
      p: async ({ db }) => {
        if (requestDuringRun) await enqueueJob(db, { shop: SHOP, kind: "p", dedupeKey: "daily", runAt: now() });
        requestDuringRun = false;
        return { snoozeUntil: new Date(nowMs + 86_400_000) };
      },
    });
    requestDuringRun = true;
    await enqueueJob(prisma, { shop: SHOP, kind: "p", dedupeKey: "daily", runAt: now() });
    await periodic.runUntilIdle();
    const daily = await prisma.job.findFirstOrThrow({ where: { kind: "p" } });
    expect(daily).toMatchObject({ status: "queued", dedupeKey: "daily", rerunAt: null });
    expect(daily.runAt.getTime()).toBe(nowMs + 86_400_000);
  });

  it("retries a failure with backoff, then dead-letters it with the reason after maxAttempts", async () => {
    let calls = 0;
    const failing: JobHandler = async () => {
      calls += 1;
      throw new Error("Shopify said 502");
    };
    const retrying = workerWith({ flaky: failing });
    await enqueueJob(prisma, { shop: SHOP, kind: "flaky", maxAttempts: 3, runAt: now() });

    await retrying.runUntilIdle();
    let job = await prisma.job.findFirstOrThrow();
    expect(job).toMatchObject({ status: "queued", attempts: 1, lastError: "Error: Shopify said 502" });
    expect(job.runAt.getTime()).toBeGreaterThanOrEqual(nowMs + retryDelayMs(1, () => 0));

    // Nothing is due until the backoff has passed.
    expect(await retrying.runUntilIdle()).toBe(0);
    for (let attempt = 2; attempt <= 3; attempt += 1) {
      nowMs = job.runAt.getTime();
      await retrying.runUntilIdle();
      job = await prisma.job.findFirstOrThrow();
    }
    expect(calls).toBe(3);
    expect(job).toMatchObject({ status: "dead", attempts: 3, lastError: "Error: Shopify said 502", dedupeKey: null });
  });

  it("dead-letters at once what retrying cannot fix", async () => {
    const worker = workerWith({ broken: () => Promise.reject(new PermanentJobError("the payload names no shop")) });
    await enqueueJob(prisma, { shop: SHOP, kind: "broken", runAt: now() });
    await worker.runUntilIdle();
    expect(await prisma.job.findFirstOrThrow()).toMatchObject({ status: "dead", attempts: 1 });
  });

  it("dead-letters at once, with the reason, a job that no retry can help (arguments Shopify refused, unfit records), and offers no retry of it", async () => {
    const failures: Record<string, () => unknown> = {
      refused: () => {
        throw new AdminApiInvalidArgumentsError("SyncOrderRefunds: Invalid global id 'gid://shopify/Order/99999999999999999999'", "SyncOrderRefunds");
      },
      unfit: () => z.object({ order_id: z.string() }).parse({}),
      record: () => customerFromGraphql({ id: "gid://shopify/Order/1" }),
    };
    const worker = workerWith(Object.fromEntries(Object.entries(failures).map(([kind, fail]): [string, JobHandler] => [kind, async () => void fail()])));
    for (const kind of Object.keys(failures)) await enqueueJob(prisma, { shop: SHOP, kind, runAt: now() });
    await worker.runUntilIdle();

    const jobs = await prisma.job.findMany({ orderBy: { id: "asc" } });
    expect(jobs.map(({ kind, status, attempts }) => ({ kind, status, attempts }))).toEqual(
      Object.keys(failures).map((kind) => ({ kind, status: "dead", attempts: 1 })),
    );
    expect(jobs.map((job) => job.lastError?.split(":")[0])).toEqual(["AdminApiInvalidArgumentsError", "ZodError", "InvalidRecordError"]);
    expect(jobs[0]!.lastError).toContain("Invalid global id 'gid://shopify/Order/99999999999999999999'");
    // The merchant is not offered what would fail the same way again.
    for (const job of jobs) expect(await retryDeadJob(prisma, SHOP, job.id, now())).toBe(false);
    expect(await retryDeadJobs(prisma, SHOP, now())).toBe(0);
    expect(await prisma.job.count({ where: { status: "dead" } })).toBe(3);
  });

  it("hands a job whose worker died to another once the lease has run out, and redoes it", async () => {
    await enqueueJob(prisma, { shop: SHOP, kind: "k", runAt: now() });
    expect(await claimJob(prisma, "dies", now(), new Date(nowMs + 60_000))).not.toBeNull();

    expect(await claimJob(prisma, "survivor", new Date(nowMs + 59_000), new Date(nowMs + 120_000))).toBeNull();
    const takenOver = await claimJob(prisma, "survivor", new Date(nowMs + 61_000), new Date(nowMs + 121_000));
    expect(takenOver).toMatchObject({ lockedBy: "survivor", attempts: 2 });
  });

  it("dead-letters a job whose worker died on each of its attempts at the next claim, without running it, and the shop's other work goes on", async () => {
    const ran: string[] = [];
    const worker = workerWith({ crashes: async () => void ran.push("crashes"), other: async () => void ran.push("other") });
    await enqueueJob(prisma, { shop: SHOP, kind: "crashes", maxAttempts: 3, runAt: now() });
    await enqueueJob(prisma, { shop: SHOP, kind: "other", runAt: new Date(nowMs + 1) });

    // Each time, a process claims the job and dies with it (it never finishes); its lease runs out.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await claimJob(prisma, `process-${attempt}`, now(), new Date(nowMs + 60_000))).toMatchObject({ kind: "crashes", attempts: attempt });
      nowMs += 61_000;
    }

    await worker.runUntilIdle();
    expect(ran).toEqual(["other"]);
    const dead = await prisma.job.findFirstOrThrow({ where: { kind: "crashes" } });
    expect(dead).toMatchObject({ status: "dead", attempts: 3, lockedBy: null, finishedAt: now() });
    expect(dead.lastError).toMatch(/^Abandoned: its worker stopped before finishing on each of its 3 attempts/);
    expect(await prisma.job.findFirstOrThrow({ where: { kind: "other" } })).toMatchObject({ status: "done" });
  });

  it("stops all work for an uninstalled shop", async () => {
    let ran = false;
    const worker = workerWith({ k: async () => void (ran = true) });
    await prisma.shop.create({ data: { shop: SHOP, uninstalledAt: now() } });
    await enqueueJob(prisma, { shop: SHOP, kind: "k", runAt: now() });
    await worker.runUntilIdle();
    expect(ran).toBe(false);
    expect(await prisma.job.findFirstOrThrow()).toMatchObject({ status: "cancelled" });
  });
});
