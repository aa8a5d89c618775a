/**
 * The job engine: what queues, runs, retries and dead-letters the app's jobs. Two engines keep one
 * contract (test/jobs/engine-contract.ts runs the same cases against both):
 * - the table engine (app/jobs/table-engine.server.ts): our own `Job` table and leases
 *   (app/jobs/queue.server.ts), the engine on SQLite;
 * - the pg-boss engine (app/jobs/pgboss-engine.server.ts): pg-boss 10's tables on PostgreSQL,
 *   one queue per job kind (docs/decisions/0002-job-engine.md).
 * Features never pick one: they queue through the catalogue (app/jobs/catalogue.server.ts), which
 * asks `jobEngineFor` (app/jobs/engines.server.ts).
 *
 * The semantics both keep (S1–S13 of docs/decisions/0002-job-engine.md):
 * - S1 At most one unfinished job per (shop, kind, dedupeKey): enqueueing again only brings a
 *   queued job's runAt forward. Race-free across processes, and done inside the caller's
 *   transaction when given one (queued with the write that caused it).
 * - S2 Asked for again while it runs, a job runs exactly once more when it ends; never alongside itself.
 * - S3 Every claim is an attempt; work whose worker died is taken over once its lease runs out, and
 *   dead-lettered instead once every attempt ended that way.
 * - S4 A lease (60 s) is renewed while the handler runs; every write and Admin API call of the
 *   handler checks it first and throws LeaseLostError once the job is no longer this worker's
 *   (app/jobs/lease.server.ts).
 * - S5 A failure is retried with exponential backoff (10 s doubling) up to maxAttempts (8), then
 *   dead with its reason; a permanent failure (isPermanentFailure) is dead at once.
 * - S6 Dead jobs are listed per shop; the merchant retries one or all (only those that used up their
 *   attempts); a retried job takes its key back unless a successor holds it (then it is closed).
 * - S7 A handler returning `{ snoozeUntil, payload }` is queued again at that time (sooner if asked
 *   for meanwhile), attempts reset, payload replaced.
 * - S8/S9 Periodic chains and on-demand keyed jobs are plain keyed jobs (catalogue.server.ts).
 * - S10 An uninstalled shop's jobs are cancelled (on uninstall, and when one is claimed).
 * - S11 The worker has two lanes (inbox, jobs); `newWorkDue` wakes in-process workers.
 * - S12 The webhook inbox stays the WebhookDelivery table, worked in its own lane (app/webhooks/inbox.server.ts).
 * - S13 Nothing relies on per-shop order: only a job and its own key are serial.
 * - A worker told to stop (SIGTERM) hands back what does not finish by its deadline: due again at
 *   once, the attempt not counted.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import type { Worker, WorkerOptions } from "./worker.server";

export type Client = PrismaClient | Prisma.TransactionClient;

// Kept in types.ts, which the table queue reads too (an import here would close a cycle through the worker).
import type { JobSpec } from "./types";
export { DEFAULT_MAX_ATTEMPTS, type JobSpec } from "./types";

/** A dead job as the Sync page lists it. `id` is the engine's (a number's text on the table engine, a uuid on pg-boss). */
export interface DeadJob {
  id: string;
  kind: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  finishedAt: Date | null;
  /** As retryDead decides: only a job that used up its attempts; one that died at once could not be helped. */
  retryable: boolean;
}

export interface JobEngine {
  readonly name: "table" | "pg-boss";
  /** Queues a job through `db` (a transaction's client: with its writes), per S1/S2. */
  enqueue(db: Client, spec: JobSpec): Promise<void>;
  /** A worker running this engine's jobs (and the inbox lane it is given). */
  createWorker(options: WorkerOptions): Worker;
  /** The shop's dead jobs, latest first. */
  listDead(db: PrismaClient, shop: string, limit: number): Promise<DeadJob[]>;
  countDead(db: PrismaClient, shop: string): Promise<number>;
  /** How many jobs of `kind` the shop has running, or queued and due by `now` (the settings page's "recompute running"). */
  countActive(db: Client, shop: string, kind: string, now: Date): Promise<number>;
  /** The merchant retries one dead job of their shop; false when it is not dead, not theirs, or not retryable. */
  retryDead(db: PrismaClient, shop: string, id: string, now: Date): Promise<boolean>;
  /** Every retryable dead job of the shop runs again; returns how many. */
  retryAllDead(db: PrismaClient, shop: string, now: Date): Promise<number>;
  /** Nothing more runs for the shop (app/uninstalled); through `db`, so inside the caller's transaction when given one. */
  cancelShop(db: Client, shop: string, now: Date): Promise<void>;
  /** shop/redact: every job of the shop is erased, finished ones and their archive included. */
  deleteShop(db: Client, shop: string): Promise<void>;
}
