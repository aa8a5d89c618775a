/**
 * Which job engine (engine.ts) the app's jobs run on: on PostgreSQL the pg-boss engine, unless
 * JOB_ENGINE=table keeps them on the app's own job table; on SQLite the table engine (JOB_ENGINE=pg-boss
 * with a SQLite database is refused at startup by app/env.server.ts). Everything that reads jobs
 * (the Sync page, the settings page, shop/redact) goes through the engine, never the `Job` table.
 */
import type { PrismaClient } from "@prisma/client";
import { databaseUrl } from "~/db-url";
import { dialectOf } from "~/sql.server";
import type { Client, JobEngine, JobSpec } from "./engine";
import { createPgBossEngine, type PgBossEngine } from "./pgboss-engine.server";
import { tableEngine } from "./table-engine.server";

declare global {
  // One pg-boss engine per process and database, kept across dev-server module reloads.
  var pgBossEngines: Map<string, PgBossEngine> | undefined;
}

/** The pg-boss engine of the database at `url`, made once per process. */
export function pgBossEngineFor(url: string): PgBossEngine {
  const engines = (globalThis.pgBossEngines ??= new Map());
  let engine = engines.get(url);
  if (!engine) {
    engine = createPgBossEngine({ connectionString: url });
    engines.set(url, engine);
  }
  return engine;
}

/** The engine of the app's jobs on the database behind `db` (a client or a transaction's). */
export function jobEngineFor(db: Client): JobEngine {
  return runsOnPgBoss(db) ? pgBossEngineFor(databaseUrl()) : tableEngine;
}

function runsOnPgBoss(db: Client): boolean {
  return process.env.JOB_ENGINE !== "table" && dialectOf(db) === "postgresql";
}

/**
 * Whether the webhook inbox is dispatched by pg-boss on the database behind `db` (the app's engine is
 * pg-boss), with its queue made ready; otherwise the inbox is the WebhookDelivery table's own leases.
 */
export async function inboxOnPgBoss(db: Client): Promise<boolean> {
  if (!runsOnPgBoss(db)) return false;
  await pgBossEngineFor(databaseUrl()).prepareInbox();
  return true;
}

/** Queues a job on the app's engine, through `db` (inside the caller's transaction when given one). */
export function enqueue(db: Client, spec: JobSpec): Promise<void> {
  return jobEngineFor(db).enqueue(db, spec);
}

/** The shop's dead jobs for the Sync page, latest first, and their count. */
export function listDeadJobs(db: PrismaClient, shop: string, limit: number) {
  return jobEngineFor(db).listDead(db, shop, limit);
}

export function countDeadJobs(db: PrismaClient, shop: string) {
  return jobEngineFor(db).countDead(db, shop);
}

/** How many jobs of `kind` the shop has running, or queued and due by `now`. */
export function countActiveJobs(db: PrismaClient, shop: string, kind: string, now: Date) {
  return jobEngineFor(db).countActive(db, shop, kind, now);
}

/** The merchant's retry of one dead job (`id` as listDeadJobs gave it), or of all their shop's. */
export function retryDeadJob(db: PrismaClient, shop: string, id: string, now: Date) {
  return jobEngineFor(db).retryDead(db, shop, id, now);
}

export function retryDeadJobs(db: PrismaClient, shop: string, now: Date) {
  return jobEngineFor(db).retryAllDead(db, shop, now);
}

/** shop/redact: the shop's jobs are erased from the engine. */
export function deleteShopJobs(db: Client, shop: string) {
  return jobEngineFor(db).deleteShop(db, shop);
}

/** app/uninstalled: nothing more runs for the shop. */
export function cancelShopJobs(db: Client, shop: string, now: Date) {
  return jobEngineFor(db).cancelShop(db, shop, now);
}
