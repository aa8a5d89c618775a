import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { enqueueJob } from "~/jobs/queue.server";
import type { ClaimedWork, InboxLane, JobHandler, WorkContext } from "~/jobs/types";
import { createWorker } from "~/jobs/worker.server";

const SHOP = "lanes-shop.myshopify.com";
const context: WorkContext = { db: prisma, now: () => new Date(), adminFor: () => Promise.reject(new Error("no Admin API here")) };
// How long a test waits for what it expects before it reports what it saw instead.
const PATIENCE_MS = 3_000;

/** Resolves once `condition` holds, or after PATIENCE_MS (the assertions after it then say what was wrong). */
async function eventually(condition: () => boolean) {
  const giveUpAt = Date.now() + PATIENCE_MS;
  while (!condition() && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 5));
}

beforeEach(async () => {
  await prisma.job.deleteMany();
});

describe("a worker's lanes", () => {
  it("processes as many deliveries at once as it has inbox lanes", async () => {
    const queued = [1, 2, 3, 4, 5, 6];
    const processed: number[] = [];
    let inFlight = 0;
    let mostAtOnce = 0;
    const inbox: InboxLane = {
      async claim() {
        const item = queued.shift();
        if (item === undefined) return null;
        const work: ClaimedWork = {
          label: `delivery ${item}`,
          lockedUntil: null,
          renew: async () => true,
          async process() {
            inFlight += 1;
            mostAtOnce = Math.max(mostAtOnce, inFlight);
            // Each delivery waits until three are in hand (or the test's patience runs out).
            await eventually(() => mostAtOnce >= 3);
            inFlight -= 1;
            processed.push(item);
          },
          release: async () => true,
        };
        return work;
      },
    };
    const worker = createWorker({ context, handlers: {}, inbox, inboxLanes: 3, idlePollMs: 10 });
    worker.start();
    await eventually(() => processed.length === 6);
    await worker.stop();
    expect(mostAtOnce).toBe(3);
    expect(processed.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("keeps a lane for quick jobs while bulk jobs hold the others", async () => {
    const start = Date.now();
    // Two shops' imports came first; an order's points came after.
    await enqueueJob(prisma, { shop: "big-1.myshopify.com", kind: "import", dedupeKey: "1", runAt: new Date(start - 2_000) });
    await enqueueJob(prisma, { shop: "big-2.myshopify.com", kind: "import", dedupeKey: "2", runAt: new Date(start - 1_000) });
    await enqueueJob(prisma, { shop: SHOP, kind: "points", dedupeKey: "order-1", runAt: new Date(start) });
    let importsRunning = 0;
    let letImportsFinish = false;
    // Whether the points were settled while an import still ran (before the test let them finish).
    let pointsSettledWhileImporting: boolean | undefined;
    const handlers: Record<string, JobHandler> = {
      async import() {
        importsRunning += 1;
        await eventually(() => letImportsFinish);
        importsRunning -= 1;
      },
      async points() {
        pointsSettledWhileImporting = importsRunning > 0 && !letImportsFinish;
      },
    };
    const worker = createWorker({ context, handlers, jobLanes: 2, bulkKinds: ["import"], idlePollMs: 10 });
    worker.start();
    await eventually(() => pointsSettledWhileImporting !== undefined);
    letImportsFinish = true;
    let done = 0;
    const giveUpAt = Date.now() + PATIENCE_MS;
    while ((done = await prisma.job.count({ where: { status: "done" } })) < 3 && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 10));
    await worker.stop();
    expect(pointsSettledWhileImporting).toBe(true);
    // The imports ran all the same, one after the other in the lane that takes everything.
    expect(done).toBe(3);
  });
});
