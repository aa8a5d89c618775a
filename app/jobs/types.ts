/**
 * What jobs and the worker share: a handler's signature, what it is given, and the failures that
 * retrying cannot help. Features write handlers against these types; nothing here knows a feature.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { AdminApi } from "~/admin-api/client.server";
import { AdminApiInvalidArgumentsError, InvalidRecordError } from "~/admin-api/errors";

/**
 * What a job or a delivery processor may use: the database, the clock, and the Admin API of a shop.
 * The worker hands each piece of work a context whose database and Admin API stop working (throwing
 * LeaseLostError) once another worker has taken the work over.
 */
export interface WorkContext {
  db: PrismaClient;
  now: () => Date;
  /** The shop's Admin API through its offline session; `onCost` receives each operation's actual cost in points. */
  adminFor: (shop: string, onCost?: (points: number) => void) => Promise<AdminApi>;
}

/** What a handler is told of its job, whichever engine runs it (engine.ts). */
export interface RunningJob {
  /** The engine's id: a number on the table engine, a uuid on pg-boss. */
  id: number | string;
  shop: string;
  kind: string;
  dedupeKey: string | null;
  /** The payload as queued, in JSON (the handler is given it parsed, as `JobRun.payload`). */
  payload: string;
  /** This run included. */
  attempts: number;
  maxAttempts: number;
}

export interface JobRun {
  job: RunningJob;
  payload: unknown;
  /**
   * Extends the lease now; false when another worker took the job over. The worker renews it on its
   * own while the handler runs, and refuses the handler's writes once it is lost.
   */
  heartbeat: () => Promise<boolean>;
}

/** What a job asks for when it is not finished: run again at `at` (not counted as a failed attempt). */
export interface Snooze {
  snoozeUntil: Date;
  payload?: unknown;
}

export type JobHandler = (context: WorkContext, run: JobRun) => Promise<void | Snooze>;

/**
 * A second source of work with its own lane in the worker (the webhook inbox), so that a long job
 * never holds it up. It is handed to the worker by the app; the worker knows nothing of webhooks.
 */
export interface InboxLane {
  /** Claims the next due item for `workerId` until `leaseUntil`; null when nothing is due. */
  claim: (db: PrismaClient, workerId: string, now: Date, leaseUntil: Date) => Promise<ClaimedWork | null>;
}

/** One claimed item of an inbox lane. */
export interface ClaimedWork {
  /** What is held, for messages: "delivery 12 (orders/create)". */
  label: string;
  lockedUntil: Date | null;
  /** Extends the lease to `until` through `client` if this worker still holds the item; false when it does not. */
  renew: (client: PrismaClient | Prisma.TransactionClient, until: Date) => Promise<boolean>;
  /** Does the work, settling the item itself (processed, retried later or failed). */
  process: (context: WorkContext) => Promise<void>;
  /** Hands the item back unfinished, due again at once for another worker; false when it was no longer ours. */
  release: (db: PrismaClient) => Promise<boolean>;
}

/** A job that retrying cannot help; it goes straight to dead, with its reason. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/**
 * A failure that can never succeed, however often retried: arguments Shopify refused, a record or
 * payload that does not fit its shape. Work failing with one is given up at once with its reason,
 * and not offered to the merchant for a retry (retryFailedDelivery, retryDeadJob).
 */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof PermanentJobError || error instanceof AdminApiInvalidArgumentsError || error instanceof InvalidRecordError || error instanceof z.ZodError;
}

/** A job to queue. */
export interface JobSpec {
  shop: string;
  kind: string;
  payload?: unknown;
  /**
   * At most one unfinished job per (shop, kind, dedupeKey): enqueueing again only brings a queued
   * one's runAt forward, and makes a running one run once more when it ends (what it read may
   * predate the request). A periodic job keeps its key by snoozing itself to its next run.
   */
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
