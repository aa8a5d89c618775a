import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

/**
 * PostgreSQL for the Prisma CLI (prisma.config.ts), which applies migrations through the driver
 * adapter. Prisma's migration engine cannot read catalog columns typed name, char, oid-like or
 * their arrays (an open Prisma issue: "Column type 'name' could not be deserialized"), so the
 * CLI's pg client reports them as text. The app's own client (app/db.server.ts) is not patched.
 */
const CATALOG_TEXT_OIDS = new Set([18, 19, 22, 24, 28, 30, 194, 2205, 1002, 1003]);
const TEXT_OID = 25;

function asText<R extends pg.QueryResult | undefined>(result: R): R {
  for (const field of result?.fields ?? []) if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  return result;
}

let patched = false;
function patchCatalogTypes() {
  if (patched) return;
  patched = true;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const last = args.at(-1);
    // pg.Pool queries with a callback; direct callers get a promise.
    if (typeof last === "function") {
      args[args.length - 1] = (error: unknown, result: pg.QueryResult) => (last as (e: unknown, r: unknown) => void)(error, asText(result));
    }
    const result = query.apply(this, args) as Promise<pg.QueryResult> | undefined;
    return result && typeof result.then === "function" ? result.then(asText) : result;
  };
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/**
 * The adapter runs a migration by splitting it on every ";", which breaks a PL/pgSQL body or a
 * comment holding one. PostgreSQL takes the whole file as one simple query, in one implicit
 * transaction, so a migration is applied entirely or not at all.
 */
function wholeScripts(adapter: Adapter): Adapter {
  const driver = adapter.underlyingDriver() as pg.Pool;
  adapter.executeScript = async (script: string) => {
    await driver.query(script);
  };
  return adapter;
}

class PostgresMigrationAdapter extends PrismaPg {
  override async connect() {
    return wholeScripts(await super.connect());
  }
  override async connectToShadowDb() {
    return wholeScripts(await super.connectToShadowDb());
  }
}

export function postgresMigrationAdapter(url: string): PrismaPg {
  patchCatalogTypes();
  const parsed = new URL(url);
  // Fields rather than the URL, and a tiny idle timeout so `migrate dev` can drop its shadow database.
  return new PostgresMigrationAdapter({
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    ssl: sslOf(parsed),
    idleTimeoutMillis: 1,
  });
}

function sslOf(url: URL): pg.ClientConfig["ssl"] {
  const mode = url.searchParams.get("sslmode");
  if (!mode || mode === "disable") return undefined;
  return mode === "verify-full" || mode === "verify-ca" ? { rejectUnauthorized: true } : { rejectUnauthorized: false };
}
