import type { PrismaClient } from "@prisma/client";
import { createAdminApi } from "~/admin-api/client.server";
import { adminForShop, JOB_HANDLERS } from "~/app-worker.server";
import { type JobHandler, type WorkContext } from "~/jobs/types";
import { jobEngineFor } from "~/jobs/engines.server";
import prisma from "~/db.server";
import { webhookInbox } from "~/webhooks/process.server";
import { unauthenticated } from "~/shopify.server";

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
  };
  // The app's engine: the Job table, or pg-boss (PostgreSQL's default).
  return jobEngineFor(context.db).createWorker({ context, handlers: { ...JOB_HANDLERS, ...options.handlers }, inbox: webhookInbox });
}

/**
 * The shop's Admin API as a job gets it (offline session → sandbox), recording the name of every
 * operation asked of Shopify in `operations`, in order. With `loseAnswerOf`, every call of that
 * operation is done at Shopify and then fails as if its answer had been lost.
 */
export function recordingAdminFor(operations: string[], options: { loseAnswerOf?: string } = {}): WorkContext["adminFor"] {
  return async (shop, onCost) => {
    const { admin } = await unauthenticated.admin(shop);
    return createAdminApi(
      async (query, graphqlOptions) => {
        const operation = /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
        operations.push(operation);
        const response = await admin.graphql(query, graphqlOptions);
        // Shopify did it, the answer never came back (the worker died, the connection dropped).
        if (operation === options.loseAnswerOf) throw new Error(`${operation}: the connection dropped before Shopify's answer arrived`);
        return response;
      },
      { onCost: (_operation, cost) => onCost?.(cost.actualQueryCost ?? 0) },
    );
  };
}
