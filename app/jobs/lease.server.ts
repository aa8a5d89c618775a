import { Prisma, type PrismaClient } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { registerGuardedClient } from "~/db.server";
import { logEvent } from "~/log.server";
import type { WorkContext } from "./types";

/**
 * The work is no longer this worker's (its lease ran out and another worker took it over, or the
 * shop's work was cancelled): nothing more is written or asked of Shopify for it here.
 */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

type Client = PrismaClient | Prisma.TransactionClient;

export interface LeaseOptions {
  /** What is held, for messages: "job 12 (backfill)". */
  label: string;
  /** The lease this worker claimed the work with. */
  until: Date;
  leaseMs: number;
  now: () => Date;
  db: PrismaClient;
  /** Extends the lease to `until` through `client` if this worker still holds the work; false when it does not. */
  extend: (client: Client, until: Date) => Promise<boolean>;
}

/**
 * A worker's hold on a job or a delivery. It is renewed while the work runs (`keepAlive`), and
 * every database operation and Admin API call made for the work checks it first (`leasedContext`):
 * before the lease's end, at no cost; after it, by renewing it, which fails if the work was taken
 * over. Once lost, every further operation throws LeaseLostError, whatever the handler does.
 */
export class Lease {
  private until: number;
  private lost = false;
  private renewing: Promise<boolean> | undefined;

  constructor(private readonly options: LeaseOptions) {
    this.until = options.until.getTime();
  }

  get isLost(): boolean {
    return this.lost;
  }

  /** This worker lets the work go (it is shutting down): every further operation for it throws LeaseLostError. */
  giveUp(): void {
    this.lost = true;
  }

  /** Extends the lease now; false once the work was taken over (then it must stop). */
  renew(): Promise<boolean> {
    if (this.lost) return Promise.resolve(false);
    this.renewing ??= this.extend(this.options.db).finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  /** Resolves while the work is still this worker's; throws LeaseLostError once it is not. */
  async check(): Promise<void> {
    if (this.lost) throw this.lostError();
    if (this.options.now().getTime() < this.until) return;
    if (!(await this.renew())) throw this.lostError();
  }

  /**
   * The same check inside a transaction on `tx`: past the lease's end it is renewed through the
   * transaction (the connection is the transaction's; on PostgreSQL the row stays locked against a
   * takeover until the commit). The renewal counts only once `committed` is called.
   */
  inTransaction(tx: Prisma.TransactionClient): { check: () => Promise<void>; committed: () => void } {
    let renewedUntil = 0;
    return {
      check: async () => {
        if (this.lost) throw this.lostError();
        if (this.options.now().getTime() < Math.max(this.until, renewedUntil)) return;
        const until = this.options.now().getTime() + this.options.leaseMs;
        if (!(await this.options.extend(tx, new Date(until)))) {
          this.lost = true;
          throw this.lostError();
        }
        renewedUntil = until;
      },
      committed: () => {
        this.until = Math.max(this.until, renewedUntil);
      },
    };
  }

  /** Renews the lease every `everyMs` until the returned function is called, or the lease is lost. */
  keepAlive(everyMs: number): () => void {
    const timer = setInterval(() => {
      this.renew().then(
        (held) => {
          if (!held) clearInterval(timer);
        },
        // The database failed this once (busy, gone): the next tick tries again; the lease lasts several ticks.
        (error: unknown) => logEvent("error", "lease.renew_failed", { work: this.options.label, error }),
      );
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async extend(client: Client): Promise<boolean> {
    const until = this.options.now().getTime() + this.options.leaseMs;
    const held = await this.options.extend(client, new Date(until));
    if (held) this.until = Math.max(this.until, until);
    else this.lost = true;
    return held;
  }

  private lostError() {
    return new LeaseLostError(`${this.options.label} is no longer this worker's (its lease ran out and another worker took it over, or it was cancelled)`);
  }
}

// The client's model delegates (db.customer, db.webhookDelivery, …): every method checks the lease.
const DELEGATES: ReadonlySet<string> = new Set(Object.values(Prisma.ModelName).map((name) => name.charAt(0).toLowerCase() + name.slice(1)));
const RAW = new Set(["$executeRaw", "$executeRawUnsafe", "$queryRaw", "$queryRawUnsafe"]);

/**
 * `db` for the work of one lease: each operation runs only after `check` resolves. Prisma's
 * operations are lazy promises that run when awaited or when a batch `$transaction` takes them; the
 * check goes before the first, and before the batch for the second. An interactive transaction
 * checks when it begins, before each of its operations, and before it commits.
 */
function guardedClient<T extends Client>(client: T, check: () => Promise<void>, lease: Lease): T {
  const delegates = new Map<string, unknown>();
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof property !== "string") return value;
      if (property === "$transaction" && typeof value === "function") return guardedTransaction(target as PrismaClient, check, lease);
      if (RAW.has(property) && typeof value === "function") {
        return (...args: unknown[]) => checkedFirst((value as (...a: unknown[]) => object).apply(target, args), check);
      }
      if (DELEGATES.has(property) && typeof value === "object" && value !== null) {
        if (!delegates.has(property)) delegates.set(property, guardedDelegate(value, check));
        return delegates.get(property);
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function guardedDelegate(delegate: object, check: () => Promise<void>): object {
  return new Proxy(delegate, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => checkedFirst((value as (...a: unknown[]) => object).apply(target, args), check);
    },
  });
}

/** A Prisma promise that runs only once `check` has resolved; a batch `$transaction` still takes it as Prisma's own. */
function checkedFirst<P extends object>(operation: P, check: () => Promise<void>): P {
  let started: Promise<unknown> | undefined;
  const start = () => (started ??= check().then(() => operation as PromiseLike<unknown>));
  return new Proxy(operation, {
    get(target, property) {
      if (property === "then") return (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => start().then(onFulfilled, onRejected);
      if (property === "catch") return (onRejected?: (reason: unknown) => unknown) => start().catch(onRejected);
      if (property === "finally") return (onFinally?: () => void) => start().finally(onFinally);
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function guardedTransaction(db: PrismaClient, check: () => Promise<void>, lease: Lease) {
  return async (input: unknown, options?: unknown) => {
    await check();
    if (Array.isArray(input)) return db.$transaction(input as Prisma.PrismaPromise<unknown>[], options as Parameters<PrismaClient["$transaction"]>[1]);
    const work = input as (tx: Prisma.TransactionClient) => Promise<unknown>;
    let scope: ReturnType<Lease["inTransaction"]> | undefined;
    const result = await db.$transaction(
      async (tx) => {
        scope = lease.inTransaction(tx);
        const value = await work(guardedClient(tx, scope.check, lease));
        // Nothing commits for work that is no longer ours.
        await scope.check();
        return value;
      },
      options as Parameters<PrismaClient["$transaction"]>[1],
    );
    scope?.committed();
    return result;
  };
}

/** The Admin API for the work of one lease: each call is made only while the lease holds. */
function guardedAdminApi(api: AdminApi, lease: Lease): AdminApi {
  return {
    async request<TData, TVariables extends Record<string, unknown> = Record<string, unknown>>(document: string, variables?: TVariables) {
      await lease.check();
      return api.request<TData, TVariables>(document, variables);
    },
  };
}

/** What the work of one lease is given: its writes to the database and to Shopify stop once the lease is lost. */
export function leasedContext(context: WorkContext, lease: Lease): WorkContext {
  const check = () => lease.check();
  const db = guardedClient(context.db, check, lease);
  // The bulk writer's own connection checks the lease before each of its transactions.
  registerGuardedClient(db, context.db, check);
  return {
    ...context,
    db,
    adminFor: async (shop, onCost) => guardedAdminApi(await context.adminFor(shop, onCost), lease),
  };
}
