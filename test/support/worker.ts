import { adminForShop, JOB_HANDLERS } from "~/jobs/app-worker.server";
import { createWorker, type WorkContext } from "~/jobs/worker.server";
import prisma from "~/db.server";

/**
 * The app's job worker, driven by the test instead of running in the background: the real
 * handlers, the real Admin API path (offline session → sandbox through msw), a clock the test may set.
 */
export function testWorker(options: { now?: () => Date; adminFor?: WorkContext["adminFor"] } = {}) {
  const context: WorkContext = {
    db: prisma,
    now: options.now ?? (() => new Date()),
    adminFor: options.adminFor ?? adminForShop,
    wake: () => {},
  };
  return createWorker({ context, handlers: JOB_HANDLERS });
}
