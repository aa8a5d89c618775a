import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { enqueueJob } from "~/jobs/queue.server";
import type { InboxLane, JobHandler, WorkContext } from "~/jobs/types";
import { createWorker } from "~/jobs/worker.server";
import { claimDelivery, releaseDelivery } from "~/webhooks/inbox.server";

const SHOP = "shutdown-shop.myshopify.com";
const context: WorkContext = { db: prisma, now: () => new Date(), adminFor: () => Promise.reject(new Error("no Admin API here")) };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  await prisma.job.deleteMany();
  await prisma.webhookDelivery.deleteMany();
});

/** A job that keeps reading the database until told to stop, recording what it saw. */
function endlessJob(seen: { rounds: number; stoppedBy?: string }): JobHandler {
  return async ({ db }) => {
    try {
      for (;;) {
        await db.job.count();
        seen.rounds += 1;
        await sleep(5);
      }
    } catch (error) {
      seen.stoppedBy = (error as Error).name;
      throw error;
    }
  };
}

async function started(handlers: Record<string, JobHandler>, inbox?: InboxLane) {
  const worker = createWorker({ context, handlers, inbox, leaseMs: 60_000, idlePollMs: 10 });
  worker.start();
  return worker;
}

describe("a worker told to stop (SIGTERM)", () => {
  it("lets a job that finishes within the deadline finish", async () => {
    await enqueueJob(prisma, { shop: SHOP, kind: "short", runAt: new Date() });
    let finished = false;
    const worker = await started({
      short: async () => {
        await sleep(100);
        finished = true;
      },
    });
    while ((await prisma.job.count({ where: { status: "running" } })) === 0) await sleep(5);
    await worker.stop({ deadlineMs: 5_000 });
    expect(finished).toBe(true);
    expect(await prisma.job.findFirstOrThrow()).toMatchObject({ status: "done", lockedBy: null });
  });

  it("hands back a job that does not finish in time, without counting the attempt, and another worker runs it", async () => {
    await enqueueJob(prisma, { shop: SHOP, kind: "long", runAt: new Date() });
    const seen = { rounds: 0 } as { rounds: number; stoppedBy?: string };
    const worker = await started({ long: endlessJob(seen) });
    while (seen.rounds === 0) await sleep(5);
    await worker.stop({ deadlineMs: 50 });
    // It stopped at its next database operation, and nothing more ran for it here.
    expect(seen.stoppedBy).toBe("LeaseLostError");
    const roundsAtStop = seen.rounds;
    await sleep(30);
    expect(seen.rounds).toBe(roundsAtStop);
    expect(await prisma.job.findFirstOrThrow()).toMatchObject({ status: "queued", lockedBy: null, lockedUntil: null, attempts: 0 });

    // Another worker takes it at once, not when a lease would have run out.
    let ranElsewhere = false;
    const next = createWorker({ context, handlers: { long: async () => void (ranElsewhere = true) }, leaseMs: 60_000 });
    expect(await next.runOnce()).toBe(true);
    expect(ranElsewhere).toBe(true);
    expect(await prisma.job.findFirstOrThrow()).toMatchObject({ status: "done" });
  });

  it("hands back a webhook delivery it is still processing", async () => {
    const delivery = await prisma.webhookDelivery.create({
      data: { shop: SHOP, topic: "orders/create", webhookId: "shutdown-1", apiVersion: "2026-07", payload: "{}", receivedAt: new Date() },
    });
    const seen = { rounds: 0 } as { rounds: number; stoppedBy?: string };
    const endless = endlessJob(seen);
    // The endless handler reads only the database; it never looks at its job.
    const claimedAsJob = {} as Parameters<JobHandler>[1]["job"];
    // The real inbox's claim and release, with processing that does not end.
    const inbox: InboxLane = {
      async claim(db, workerId, now, leaseUntil) {
        const claimed = await claimDelivery(db, workerId, now, leaseUntil);
        if (!claimed) return null;
        return {
          label: `delivery ${claimed.id}`,
          lockedUntil: claimed.lockedUntil,
          renew: async () => true,
          process: async (work) => {
            await endless(work, { job: claimedAsJob, payload: null, heartbeat: async () => true });
          },
          release: (client) => releaseDelivery(client, claimed),
        };
      },
    };
    const worker = await started({ unused: async () => {} }, inbox);
    while (seen.rounds === 0) await sleep(5);
    await worker.stop({ deadlineMs: 50 });
    expect(seen.stoppedBy).toBe("LeaseLostError");
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "pending",
      lockedBy: null,
      lockedUntil: null,
      availableAt: null,
      attempts: 0,
    });
  });
});
