import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { Lease, leasedContext, LeaseLostError } from "./lease.server";
import { logEvent } from "~/log.server";
import { isPermanentFailure, type InboxLane, type JobHandler, type JobRun, type RunningJob, type WorkContext } from "./types";
import { listenForNewWork } from "./wake";
import { cancelShopJobs, claimJob, completeJob, failJob, releaseJob, renewLease, snoozeJob } from "./queue.server";

export interface WorkerOptions {
  context: WorkContext;
  handlers: Readonly<Record<string, JobHandler>>;
  /** The webhook inbox, worked in lanes of its own; without it the worker runs jobs only. */
  inbox?: InboxLane;
  /** How many deliveries this worker processes at once (its inbox lanes); 1 by default. */
  inboxLanes?: number;
  /**
   * How many jobs this worker runs at once; 1 by default. With more than one, all lanes but the
   * first leave `bulkKinds` alone, so a shop's import or full recompute never holds up another
   * shop's order points.
   */
  jobLanes?: number;
  bulkKinds?: readonly string[];
  leaseMs?: number;
  /** How often a running job's or delivery's lease is renewed (real time); a third of the lease by default. */
  renewEveryMs?: number;
  idlePollMs?: number;
  /** Where jobs come from: an engine's (engine.ts); the table engine's when not given. */
  jobs?: JobSource;
  /** Called when the worker starts and once it has stopped (an engine's own machinery: pg-boss's maintenance). */
  onStart?: () => void;
  onStop?: () => Promise<void>;
}

/**
 * What an engine gives the worker: a claimed job, and the ways it ends. Each ending applies only
 * while this worker still holds the job (its lease): otherwise it changes nothing.
 */
export interface ClaimedJob {
  job: RunningJob;
  payload: unknown;
  lockedUntil: Date | null;
  /** Extends the lease to `until` through `client`; false when the job is no longer this worker's. */
  renew: (client: PrismaClient | Prisma.TransactionClient, until: Date) => Promise<boolean>;
  complete: (now: Date) => Promise<void>;
  /** A failed attempt: retried later, or dead (returns true) after its last attempt or at once when permanent. */
  fail: (error: unknown, now: Date, permanent: boolean) => Promise<boolean>;
  snooze: (runAt: Date, payload: unknown) => Promise<void>;
  /** Due again at once for another worker, the attempt not counted; false when it was no longer ours. */
  release: (now: Date) => Promise<boolean>;
}

export interface JobSource {
  /** Claims the next due job of one of `kinds` for `workerId` until `leaseUntil`; null when none is due. */
  claim: (db: PrismaClient, workerId: string, now: Date, leaseUntil: Date, kinds: readonly string[]) => Promise<ClaimedJob | null>;
  cancelShop: (db: PrismaClient, shop: string, now: Date) => Promise<void>;
}

// After handing work back, how long a stopping worker waits for it to notice before it returns anyway.
const RELEASED_GRACE_MS = 2_000;

/** Whether `promise` settles within `ms` (its outcome is the caller's to await). */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => (clearTimeout(timer), resolve(true)),
      () => (clearTimeout(timer), resolve(true)),
    );
  });
}

export interface Worker {
  /** Processes one inbox item or one job if any is due; false when there was nothing to do. */
  runOnce(): Promise<boolean>;
  /** Works until nothing is due (snoozed jobs wait for their time). For tests and scripts. */
  runUntilIdle(options?: { maxSteps?: number }): Promise<number>;
  start(): void;
  /**
   * Stops taking work and waits for what runs to finish. With a deadline, what has not finished
   * by then is handed back (released for another worker, the attempt not counted) and stopped at
   * its next database operation or Admin API call.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
  wake(): void;
}

/**
 * Lanes, so a long backfill never holds up webhooks: inbox lanes take deliveries from the inbox it is
 * handed, job lanes jobs from the queue, each lane one item at a time. All claim with leases, so
 * several processes share the work (on PostgreSQL); on SQLite one process runs it. A lease is renewed while its work runs; work
 * whose lease was lost (this process stalled, another took it over) stops before its next write
 * and is left to the other worker: neither completed nor failed here.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { context, handlers, inbox } = options;
  const jobs = options.jobs ?? tableJobSource;
  const leaseMs = options.leaseMs ?? 60_000;
  const renewEveryMs = options.renewEveryMs ?? leaseMs / 3;
  const idlePollMs = options.idlePollMs ?? 2_000;
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  let running = false;
  let loops: Promise<void>[] = [];
  // Idle lanes, each with its group ("inbox", "jobs").
  const sleepers = new Map<() => void, string>();
  // What this worker holds right now, to hand back if it must stop before it finishes.
  const inFlight = new Set<{ label: string; lease: Lease; release: () => Promise<boolean> }>();
  let stopListening = () => {};

  const leaseUntil = () => new Date(context.now().getTime() + leaseMs);

  async function nextInboxItem(): Promise<boolean> {
    const claimed = await inbox?.claim(context.db, workerId, context.now(), leaseUntil());
    if (!claimed) return false;
    const lease = leaseOf(claimed.label, claimed.lockedUntil, claimed.renew);
    const held = { label: claimed.label, lease, release: () => claimed.release(context.db) };
    inFlight.add(held);
    const stopRenewing = lease.keepAlive(renewEveryMs);
    try {
      await claimed.process(leasedContext(context, lease));
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      logEvent("warn", "work.lease_lost", { work: claimed.label, error });
    } finally {
      stopRenewing();
      inFlight.delete(held);
    }
    return true;
  }

  function leaseOf(label: string, until: Date | null, extend: ConstructorParameters<typeof Lease>[0]["extend"]) {
    return new Lease({ label, until: until ?? leaseUntil(), leaseMs, now: context.now, db: context.db, extend });
  }

  const allKinds = Object.keys(handlers);
  const bulkKinds = new Set(options.bulkKinds ?? []);
  const quickKinds = allKinds.filter((kind) => !bulkKinds.has(kind));

  async function nextJob(kinds: readonly string[] = allKinds): Promise<boolean> {
    if (kinds.length === 0) return false;
    const claimed = await jobs.claim(context.db, workerId, context.now(), leaseUntil(), kinds);
    if (!claimed) return false;
    await runJob(claimed);
    return true;
  }

  async function runJob(claimed: ClaimedJob) {
    const { job } = claimed;
    const shop = await context.db.shop.findUnique({ where: { shop: job.shop }, select: { uninstalledAt: true } });
    if (shop?.uninstalledAt) {
      await jobs.cancelShop(context.db, job.shop, context.now());
      logEvent("info", "job.finished", { shop: job.shop, job: job.kind, id: job.id, outcome: "cancelled-uninstalled" });
      return;
    }
    const started = performance.now();
    const finished = (level: "info" | "warn" | "error", outcome: string, error?: unknown) =>
      logEvent(level, "job.finished", { shop: job.shop, job: job.kind, id: job.id, attempt: job.attempts, durationMs: performance.now() - started, outcome, error });
    const label = `job ${job.id} (${job.kind} for ${job.shop})`;
    const lease = leaseOf(label, claimed.lockedUntil, claimed.renew);
    const run: JobRun = { job, payload: claimed.payload, heartbeat: () => lease.renew() };
    const held = { label, lease, release: () => claimed.release(context.now()) };
    inFlight.add(held);
    const stopRenewing = lease.keepAlive(renewEveryMs);
    try {
      const outcome = await handlers[job.kind]!(leasedContext(context, lease), run);
      stopRenewing();
      // Ended after its lease was lost: left as it is, for the worker that took it over.
      if (lease.isLost) return finished("warn", "lease-lost");
      if (outcome) await claimed.snooze(outcome.snoozeUntil, outcome.payload);
      else await claimed.complete(context.now());
      finished("info", outcome ? "snoozed" : "done");
    } catch (error) {
      stopRenewing();
      // No longer ours: the worker that took it over completes or fails it.
      if (error instanceof LeaseLostError || lease.isLost) return finished("warn", "lease-lost", error);
      const dead = await claimed.fail(error, context.now(), isPermanentFailure(error));
      finished("error", dead ? "dead" : "retrying", error);
    } finally {
      inFlight.delete(held);
    }
  }

  const idle = (group: string) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, idlePollMs);
      sleepers.set(done, group);
    });

  // A lane that found work wakes one idle lane of its group: a burst draws the lanes in one by one,
  // without every lane polling on every item.
  function wakeOne(group: string) {
    for (const [wakeUp, sleeping] of sleepers) {
      if (sleeping === group) return wakeUp();
    }
  }

  async function lane(step: () => Promise<boolean>, name: string, group: string) {
    while (running) {
      let worked = false;
      try {
        worked = await step();
      } catch (error) {
        // The database itself failed (locked, gone): back off and try again; nothing was lost.
        logEvent("error", "worker.lane_error", { lane: name, error });
      }
      if (worked) wakeOne(group);
      else if (running) await idle(group);
    }
  }

  const worker: Worker = {
    async runOnce() {
      return (await nextInboxItem()) || (await nextJob());
    },
    async runUntilIdle({ maxSteps = 100_000 } = {}) {
      let steps = 0;
      while (steps < maxSteps && (await worker.runOnce())) steps += 1;
      return steps;
    },
    start() {
      if (running) return;
      running = true;
      options.onStart?.();
      stopListening = listenForNewWork(() => worker.wake());
      const inboxLanes = inbox ? Math.max(1, options.inboxLanes ?? 1) : 0;
      const jobLanes = Math.max(1, options.jobLanes ?? 1);
      loops = [
        ...Array.from({ length: inboxLanes }, (_, index) => lane(nextInboxItem, `inbox-${index + 1}`, "inbox")),
        ...Array.from({ length: jobLanes }, (_, index) => lane(() => nextJob(index === 0 ? allKinds : quickKinds), index === 0 ? "jobs" : `quick-jobs-${index}`, "jobs")),
      ];
    },
    async stop({ deadlineMs } = {}) {
      running = false;
      stopListening();
      worker.wake();
      const finished = Promise.all(loops);
      if (deadlineMs !== undefined && !(await settlesWithin(finished, deadlineMs))) {
        for (const held of [...inFlight]) {
          held.lease.giveUp();
          const released = await held.release().catch(() => false);
          logEvent("warn", "work.released", { work: held.label, outcome: released ? "released" : "no-longer-ours" });
        }
        // What was let go stops at its next operation; one stuck in a call that never returns is not waited for.
        await settlesWithin(finished, RELEASED_GRACE_MS);
      } else {
        await finished;
      }
      loops = [];
      await options.onStop?.();
    },
    wake() {
      for (const wakeUp of [...sleepers.keys()]) wakeUp();
    },
  };
  return worker;
}

/** The table engine's jobs (app/jobs/queue.server.ts): the `Job` table and its leases. */
export const tableJobSource: JobSource = {
  async claim(db, workerId, now, leaseUntil, kinds) {
    const job = await claimJob(db, workerId, now, leaseUntil, kinds);
    if (!job) return null;
    return {
      job,
      payload: JSON.parse(job.payload) as unknown,
      lockedUntil: job.lockedUntil,
      renew: (client, until) => renewLease(client, job, until),
      complete: (at) => completeJob(db, job, at),
      fail: (error, at, permanent) => failJob(db, job, error, at, { permanent }),
      snooze: (runAt, payload) => snoozeJob(db, job, runAt, payload),
      release: (at) => releaseJob(db, job, at),
    };
  },
  cancelShop: (db, shop, now) => cancelShopJobs(db, shop, now),
};
