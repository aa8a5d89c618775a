import { createClient, type Client, type Config } from "@libsql/client";
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
 * libsql hands its connection to each transaction and opens a new one afterwards; per-connection
 * pragmas must therefore be applied again to every new connection, before its first statement.
 */
function withConnectionPragmas(client: Client, pragmas: readonly string[]): Client {
  let freshConnection = true;
  const prepare = async () => {
    if (!freshConnection) return;
    freshConnection = false;
    for (const pragma of pragmas) await client.execute(pragma);
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === "execute" || property === "batch" || property === "executeMultiple" || property === "migrate") {
        return async (...args: unknown[]) => {
          await prepare();
          return (target[property as "execute"] as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (property === "transaction") {
        return async (...args: unknown[]) => {
          await prepare();
          const transaction = await (target.transaction as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          freshConnection = true;
          return transaction;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

class SqliteAdapterFactory extends PrismaLibSQL {
  override createClient(config: Config): Client {
    const client = createClient(config);
    return config.url.startsWith("file:") ? withConnectionPragmas(client, SQLITE_PRAGMAS) : client;
  }
}

export function createPrismaClient(url = databaseUrl()): PrismaClient {
  return new PrismaClient({ adapter: new SqliteAdapterFactory({ url }) });
}

const prisma = globalThis.lifecyclePrisma ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalThis.lifecyclePrisma = prisma;

export default prisma;
