import { createRequire } from "node:module";
import { createClient, type Client, type Config, type InStatement, type Transaction } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { PostgresBulkWriter } from "./db/postgres-bulk-writer.server";
import { databaseDialect, databaseUrl, type DatabaseDialect } from "./db-url";
import { PrismaBulkWriter, SqliteBulkWriter, type BulkWriter } from "./sqlite-bulk-writer.server";

declare global {
  // Survives Vite's module reloads in development, so a reload does not open another connection.
  var lifecyclePrisma: PrismaClient | undefined;
}

/**
 * SQLite settings for every connection. WAL lets the admin UI read while webhooks are written;
 * synchronous=NORMAL makes a commit an append without an fsync (SQLite runs on the event loop, so an
 * fsync per commit stalls every request): a killed process loses nothing, a power cut may lose the
 * last moments, which reconciliation with Shopify repairs.
 */
const SQLITE_PRAGMAS = ["journal_mode = WAL", "synchronous = NORMAL", "busy_timeout = 5000", "foreign_keys = ON"];

let sqliteMs = 0;
/**
 * Milliseconds this process has spent inside SQLite statements, on Prisma's connection and the bulk
 * writer's (benchmarks read it). The libsql client runs a local statement synchronously before returning its promise, so
 * timing the call alone measures the database's work and nothing that waits on the event loop.
 */
export const sqliteMilliseconds = () => sqliteMs;
function timed<T>(run: () => T): T {
  const started = performance.now();
  try {
    return run();
  } finally {
    sqliteMs += performance.now() - started;
  }
}

/**
 * A transaction on the client's own connection. @libsql/client gives every transaction a connection
 * of its own and opens a new one for the client afterwards, and libsql never frees a closed
 * connection's page cache: every transaction leaked megabytes. Prisma's adapter already runs one
 * transaction at a time and holds back every other statement until it ends, so the one connection
 * is all a transaction needs.
 */
class SameConnectionTransaction implements Transaction {
  closed = false;
  constructor(private readonly client: Client) {}
  execute(statement: InStatement) {
    return timed(() => this.client.execute(statement));
  }
  batch(statements: InStatement[]) {
    return timed(() => this.client.batch(statements, "deferred"));
  }
  executeMultiple(sql: string) {
    return timed(() => this.client.executeMultiple(sql));
  }
  async commit() {
    if (this.closed) return;
    this.closed = true;
    await timed(() => this.client.execute("COMMIT"));
  }
  async rollback() {
    if (this.closed) return;
    this.closed = true;
    await timed(() => this.client.execute("ROLLBACK"));
  }
  close() {
    if (!this.closed) void this.rollback();
  }
}

/** The SQLite client: pragmas applied to its single connection before the first statement, transactions on that connection. */
function sqliteClient(config: Config, pragmas: readonly string[]): Client {
  const client = createClient(config);
  let prepared: Promise<void> | undefined;
  const prepare = () =>
    (prepared ??= (async () => {
      for (const pragma of pragmas) await client.execute(`PRAGMA ${pragma}`);
    })());
  return new Proxy(client, {
    get(target, property) {
      if (property === "transaction") {
        return async () => {
          await prepare();
          // Every transaction takes the write lock when it begins. The adapter runs them one at a
          // time on this connection anyway; but one that began deferred and read first could not
          // write once another connection (the bulk writer, a worker process) had committed in
          // between: SQLite fails such a write as busy, without waiting.
          await timed(() => target.execute("BEGIN IMMEDIATE"));
          return new SameConnectionTransaction(target);
        };
      }
      if (property === "execute" || property === "batch" || property === "executeMultiple" || property === "migrate") {
        return async (...args: unknown[]) => {
          await prepare();
          return timed(() => (target[property as "execute"] as (...a: unknown[]) => unknown).apply(target, args));
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

class SqliteAdapterFactory extends PrismaLibSQL {
  override createClient(config: Config): Client {
    return config.url.startsWith("file:") ? sqliteClient(config, SQLITE_PRAGMAS) : createClient(config);
  }
}

const clientUrls = new WeakMap<PrismaClient, string>();
const postgresPools = new WeakMap<PrismaClient, pg.Pool>();
const bulkWriters = new Map<string, SqliteBulkWriter>();
const postgresBulkWriters = new WeakMap<pg.Pool, PostgresBulkWriter>();
const guardedClients = new WeakMap<PrismaClient, { base: PrismaClient; check: () => Promise<void> }>();

/**
 * `client` stands for `base` with a check before each operation (a job's lease): the bulk writer,
 * which writes on a connection of its own, makes the same check before each of its transactions.
 */
export function registerGuardedClient(client: PrismaClient, base: PrismaClient, check: () => Promise<void>) {
  guardedClients.set(client, { base, check });
}

/** Connections per process to PostgreSQL (web and worker alike); DATABASE_POOL_SIZE overrides. */
const DEFAULT_POOL_SIZE = 10;

/**
 * The client generated from prisma/postgresql/schema.prisma. Its model types are those of
 * `@prisma/client` (both come from one schema source, docs/decisions/0001-database-dialects.md), so
 * the app keeps one PrismaClient type; loaded only when a PostgreSQL URL asks for it.
 */
function postgresPrismaClient(url: string): { client: PrismaClient; pool: pg.Pool } {
  const { PrismaClient: PostgresPrismaClient } = createRequire(import.meta.url)(".prisma/client-postgresql") as {
    PrismaClient: new (options: { adapter: PrismaPg }) => unknown;
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE) || DEFAULT_POOL_SIZE,
    // Every session in UTC, whatever the server's default: raw SQL formats and truncates times.
    options: "-c TimeZone=UTC",
  });
  // $disconnect ends the pool too, as it closes the SQLite connection.
  const client = new PostgresPrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }) as PrismaClient;
  return { client, pool };
}

export function createPrismaClient(url = databaseUrl()): PrismaClient {
  let client: PrismaClient;
  if (databaseDialect(url) === "postgresql") {
    const postgres = postgresPrismaClient(url);
    client = postgres.client;
    postgresPools.set(client, postgres.pool);
  } else {
    client = new PrismaClient({ adapter: new SqliteAdapterFactory({ url }) });
  }
  clientUrls.set(client, url);
  return client;
}

/** The SQL dialect of the database `db` is connected to (a job's guarded client: its base's). */
export function dialectOf(db: PrismaClient): DatabaseDialect {
  const url = clientUrls.get(guardedClients.get(db)?.base ?? db);
  if (!url) throw new Error("Not a client made by createPrismaClient");
  return databaseDialect(url);
}

/** The pg pool under a PostgreSQL client (for the bulk writer's own statements), else undefined. */
export function postgresPoolOf(db: PrismaClient): pg.Pool | undefined {
  return postgresPools.get(guardedClients.get(db)?.base ?? db);
}

/**
 * The bulk writer (app/sqlite-bulk-writer.server.ts) on the database `db` is connected to: on a
 * SQLite file, one connection of its own per file, opened on first use; on PostgreSQL, the `pg`
 * pool under `db` (app/db/postgres-bulk-writer.server.ts); elsewhere, through `db`.
 */
export function bulkWriterFor(db: PrismaClient): BulkWriter {
  const guarded = guardedClients.get(db);
  if (guarded) {
    const writer = bulkWriterFor(guarded.base);
    return {
      async transaction(write, options) {
        await guarded.check();
        return writer.transaction(write, options);
      },
    };
  }
  const url = clientUrls.get(db);
  if (!url) throw new Error("Not a client made by createPrismaClient");
  const pool = postgresPools.get(db);
  if (pool) {
    let postgresWriter = postgresBulkWriters.get(pool);
    if (!postgresWriter) {
      postgresWriter = new PostgresBulkWriter(pool);
      postgresBulkWriters.set(pool, postgresWriter);
    }
    return postgresWriter;
  }
  const file = /^file:([^?]+)/.exec(url)?.[1];
  if (!file || file === ":memory:") return new PrismaBulkWriter(db);
  let writer = bulkWriters.get(file);
  if (!writer) {
    writer = SqliteBulkWriter.open(file, SQLITE_PRAGMAS, timed);
    bulkWriters.set(file, writer);
  }
  return writer;
}

/** Closes the bulk writers' connections (Prisma's own close with `$disconnect`). */
export function closeBulkWriters() {
  for (const writer of bulkWriters.values()) writer.close();
  bulkWriters.clear();
}

const prisma = globalThis.lifecyclePrisma ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalThis.lifecyclePrisma = prisma;

export default prisma;
