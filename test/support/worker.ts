import type { PrismaClient } from "@prisma/client";
import { adminForShop, JOB_HANDLERS } from "~/jobs/app-worker.server";
import { createWorker, type JobHandler, type WorkContext } from "~/jobs/worker.server";
import prisma from "~/db.server";

export interface TestWorkerOptions {
  now?: () => Date;
  adminFor?: WorkContext["adminFor"];
  /** Replaces some of the app's job handlers (e.g. a backfill with small batches). */
  handlers?: Record<string, JobHandler>;
  db?: PrismaClient;
}

/**
 * The app's job worker, driven by the test instead of running in the background: the real
 * handlers, the real Admin API path (offline session → sandbox through msw), a clock the test may set.
 */
export function testWorker(options: TestWorkerOptions = {}) {
  const context: WorkContext = {
    db: options.db ?? prisma,
    now: options.now ?? (() => new Date()),
    adminFor: options.adminFor ?? adminForShop,
    wake: () => {},
  };
  return createWorker({ context, handlers: { ...JOB_HANDLERS, ...options.handlers } });
}
