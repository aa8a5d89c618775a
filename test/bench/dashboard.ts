/**
 * `npm run bench -- dashboard --json [--customers N] [--calls N] [--db sqlite|postgres]`: how long the merchant waits for the
 * dashboard and the customer list of a big store. A synthetic shop (the recompute bench's customers,
 * orders and refunds, plus names and emails, loyalty balances and referrals) is placed by the real
 * recompute and history replay, then the real route loaders are called one at a time with signed
 * session-token requests, over a mix of periods, filters, searches, sorts and a second page.
 * Target: p95_ms < 200 for each loader.
 * BENCH_KEEP_DATABASE=1 keeps the PostgreSQL database afterwards (its URL goes to stderr), to EXPLAIN the loaders' queries.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import pg from "pg";
import { createMigratedPostgresDatabase, dropPostgresDatabase, migrateDatabase } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import { numberOption } from "./options";
import { seed, seedPostgres } from "./recompute";

/** The store name Shopify's test helpers sign session tokens for, and its domain. */
export const DASHBOARD_BENCH_STORE = "dashboard-bench";
export const DASHBOARD_BENCH_SHOP = `${DASHBOARD_BENCH_STORE}.myshopify.com`;
const TARGET_P95_MS = 200;
const DAY_MS = 86_400_000;
const FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis"];
const LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Kay", "Backus", "Wirth"];

export interface LatencyStats {
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  /** Each query's median, to tell which one is slow. */
  median_ms_by_query: Record<string, number>;
}

interface ChildResult {
  setup_seconds: number;
  recompute_seconds: number;
  replay_seconds: number;
  dashboard: LatencyStats;
  customer_list: LatencyStats;
}

/**
 * What the dashboard reads besides lifecycle rows: the shop's currency and time zone, names and
 * emails for search and sorting, points balances on every fifth customer, and paid and held referrals.
 */
async function seedDashboardData(client: Client, customers: number, now: Date) {
  const iso = (ms: number) => new Date(ms).toISOString();
  await client.execute({
    sql: `INSERT INTO "Shop" ("shop","installedAt","scopes","name","currencyCode","ianaTimezone","updatedAt") VALUES (?,?,?,?,?,?,?)`,
    args: [DASHBOARD_BENCH_SHOP, iso(now.getTime() - 400 * DAY_MS), null, "Dashboard Bench", "USD", "Europe/Paris", iso(now.getTime())],
  });
  // SET reads the row as it was, so emails are made from the names in a second statement. (The
  // lengths are written into the SQL: numbers bound from JavaScript are REAL, which a JSON path refuses.)
  await client.execute({
    sql: `UPDATE "Customer" SET "firstName" = json_extract(?, '$[' || (CAST("id" AS INTEGER) % ${FIRST_NAMES.length}) || ']'),
            "lastName" = json_extract(?, '$[' || (CAST("id" AS INTEGER) / ${FIRST_NAMES.length} % ${LAST_NAMES.length}) || ']') WHERE "shop" = ?`,
    args: [JSON.stringify(FIRST_NAMES), JSON.stringify(LAST_NAMES), DASHBOARD_BENCH_SHOP],
  });
  await client.execute({
    sql: `UPDATE "Customer" SET "email" = LOWER("firstName" || '.' || "lastName" || '.' || SUBSTR("id", -6)) || '@example.com' WHERE "shop" = ?`,
    args: [DASHBOARD_BENCH_SHOP],
  });
  const statements: { sql: string; args: (string | number | null)[] }[] = [];
  for (let index = 0; index < customers; index += 1) {
    const id = String(7_000_000_000_000 + index);
    if (index % 5 === 0) {
      statements.push({
        sql: `INSERT INTO "LoyaltyAccount" ("shop","customerId","available","pending","updatedAt") VALUES (?,?,?,?,?)`,
        args: [DASHBOARD_BENCH_SHOP, id, (index * 7_919) % 2_000, (index * 104_729) % 300, iso(now.getTime())],
      });
    }
    // One referral per 200 customers over the last 400 days: most paid, some held for the merchant.
    if (index % 200 === 0 && index + 1 < customers) {
      const n = index / 200;
      statements.push({
        sql: `INSERT INTO "Referral" ("shop","code","referrerId","friendId","orderId","channel","status","createdAt") VALUES (?,?,?,?,?,?,?,?)`,
        args: [
          DASHBOARD_BENCH_SHOP,
          `FRIEND${n}`,
          id,
          String(7_000_000_000_001 + index),
          `referral-${n}`,
          "discount_code",
          n % 4 === 3 ? "held" : n % 2 ? "approved" : "rewarded",
          iso(now.getTime() - ((n * 37) % 400) * DAY_MS),
        ],
      });
    }
  }
  await client.batch(statements, "write");
}

/** The same on PostgreSQL, a few set-based statements. */
async function seedDashboardDataPostgres(client: pg.Client, customers: number, now: Date) {
  await client.query(
    `INSERT INTO "Shop" ("shop","installedAt","scopes","name","currencyCode","ianaTimezone","updatedAt") VALUES ($1, $2, NULL, 'Dashboard Bench', 'USD', 'Europe/Paris', $3)`,
    [DASHBOARD_BENCH_SHOP, new Date(now.getTime() - 400 * DAY_MS), now],
  );
  await client.query(
    `UPDATE "Customer" SET "firstName" = ($1::text[])[("id"::bigint % ${FIRST_NAMES.length}) + 1],
            "lastName" = ($2::text[])[("id"::bigint / ${FIRST_NAMES.length} % ${LAST_NAMES.length}) + 1] WHERE "shop" = $3`,
    [FIRST_NAMES, LAST_NAMES, DASHBOARD_BENCH_SHOP],
  );
  await client.query(`UPDATE "Customer" SET "email" = LOWER("firstName" || '.' || "lastName" || '.' || RIGHT("id", 6)) || '@example.com' WHERE "shop" = $1`, [
    DASHBOARD_BENCH_SHOP,
  ]);
  // The customers' index is their id's offset, as in seedDashboardData.
  await client.query(
    `INSERT INTO "LoyaltyAccount" ("shop","customerId","available","pending","updatedAt")
     SELECT $1, (7000000000000 + i)::text, (i::bigint * 7919) % 2000, (i::bigint * 104729) % 300, $2 FROM generate_series(0, $3 - 1, 5) AS i`,
    [DASHBOARD_BENCH_SHOP, now, customers],
  );
  await client.query(
    `INSERT INTO "Referral" ("shop","code","referrerId","friendId","orderId","channel","status","createdAt")
     SELECT $1, 'FRIEND' || (i / 200), (7000000000000 + i)::text, (7000000000001 + i)::text, 'referral-' || (i / 200), 'discount_code',
            CASE WHEN (i / 200) % 4 = 3 THEN 'held' WHEN (i / 200) % 2 = 1 THEN 'approved' ELSE 'rewarded' END,
            $2::timestamptz - make_interval(days => ((i / 200) * 37) % 400)
     FROM generate_series(0, $3 - 2, 200) AS i`,
    [DASHBOARD_BENCH_SHOP, now, customers],
  );
  await client.query("ANALYZE");
}

function runChild(databaseUrl: string, customers: number, calls: number): Promise<ChildResult> {
  const child = fork(path.join(REPO_ROOT, "test", "bench", "dashboard-child.ts"), [], {
    cwd: REPO_ROOT,
    execArgv: ["--import", "tsx", ...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [])],
    // The child takes the tests' environment itself (test/setup/env.ts) before loading the app.
    env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_CUSTOMERS: String(customers), BENCH_CALLS: String(calls) },
    // shopify-app logs every authenticated request to stdout; warnings and errors still show.
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve(message as ChildResult));
    child.once("exit", (code) => reject(new Error(`dashboard child exited with ${code}`)));
  });
}

export async function runDashboardBench(args: string[]) {
  const customers = numberOption(args, "customers", 100_000);
  const calls = numberOption(args, "calls", 60);
  const dbIndex = args.indexOf("--db");
  const db = dbIndex >= 0 ? args[dbIndex + 1] : "sqlite";
  if (db !== "sqlite" && db !== "postgres") throw new Error("--db is sqlite or postgres");
  const placed = db === "postgres" ? await onPostgres(customers, calls) : await onSqlite(customers, calls);
  const { orders, run } = placed;
  const p95 = Math.max(run.dashboard.p95_ms, run.customer_list.p95_ms);
  return { db, customers, orders, ...run, p95_ms: p95, target_p95_ms: TARGET_P95_MS, targets_met: { p95_ms: p95 < TARGET_P95_MS } };
}

async function onSqlite(customers: number, calls: number) {
  const dir = mkdtempSync(path.join(tmpdir(), "lifecycle-dashboard-"));
  try {
    const file = path.join(dir, "bench.sqlite");
    migrateDatabase(file);
    const client = createClient({ url: `file:${file}` });
    await client.execute("PRAGMA journal_mode = WAL");
    const now = new Date();
    const orders = await seed(client, customers, now, DASHBOARD_BENCH_SHOP);
    await seedDashboardData(client, customers, now);
    client.close();
    return { orders, run: await runChild(`file:${file}`, customers, calls) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A scratch PostgreSQL database (on TEST_POSTGRES_URL's server), dropped afterwards. */
async function onPostgres(customers: number, calls: number) {
  const name = `lc_bench_dashboard_${process.pid}`;
  const url = await createMigratedPostgresDatabase(name);
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let orders: number;
    try {
      const now = new Date();
      orders = await seedPostgres(client, customers, now, DASHBOARD_BENCH_SHOP);
      await seedDashboardDataPostgres(client, customers, now);
    } finally {
      await client.end();
    }
    return { orders, run: await runChild(url, customers, calls) };
  } finally {
    if (process.env.BENCH_KEEP_DATABASE) console.error(`kept ${url}`);
    else await dropPostgresDatabase(name);
  }
}
