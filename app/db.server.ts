import { createClient, type Client, type Config, type InStatement, type Transaction, type TransactionMode } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import { databaseUrl } from "./db-url";

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
const SQLITE_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON"];

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
    return this.client.execute(statement);
  }
  batch(statements: InStatement[]) {
    return this.client.batch(statements, "deferred");
  }
  executeMultiple(sql: string) {
    return this.client.executeMultiple(sql);
  }
  async commit() {
    if (this.closed) return;
    this.closed = true;
    await this.client.execute("COMMIT");
  }
  async rollback() {
    if (this.closed) return;
    this.closed = true;
    await this.client.execute("ROLLBACK");
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
      for (const pragma of pragmas) await client.execute(pragma);
    })());
  return new Proxy(client, {
    get(target, property) {
      if (property === "transaction") {
        return async (mode: TransactionMode = "deferred") => {
          await prepare();
          await target.execute(mode === "write" ? "BEGIN IMMEDIATE" : mode === "read" ? "BEGIN" : "BEGIN DEFERRED");
          return new SameConnectionTransaction(target);
        };
      }
      if (property === "execute" || property === "batch" || property === "executeMultiple" || property === "migrate") {
        return async (...args: unknown[]) => {
          await prepare();
          return (target[property as "execute"] as (...a: unknown[]) => unknown).apply(target, args);
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

export function createPrismaClient(url = databaseUrl()): PrismaClient {
  return new PrismaClient({ adapter: new SqliteAdapterFactory({ url }) });
}

const prisma = globalThis.lifecyclePrisma ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalThis.lifecyclePrisma = prisma;

export default prisma;
