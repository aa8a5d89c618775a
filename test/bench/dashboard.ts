/**
 * `npm run bench -- dashboard --json [--customers N] [--calls N]`: how long the merchant waits for the
 * dashboard and the customer list of a big store. A synthetic shop (the recompute bench's customers,
 * orders and refunds, plus names and emails, loyalty balances and referrals) is placed by the real
 * recompute and history replay, then the real route loaders are called one at a time with signed
 * session-token requests, over a mix of periods, filters, searches, sorts and a second page.
 * Target: p95_ms < 200 for each loader.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { migrateDatabase } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import { numberOption } from "./options";
import { seed } from "./recompute";

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
    const run = await runChild(`file:${file}`, customers, calls);
    const p95 = Math.max(run.dashboard.p95_ms, run.customer_list.p95_ms);
    return { customers, orders, ...run, p95_ms: p95, target_p95_ms: TARGET_P95_MS, targets_met: { p95_ms: p95 < TARGET_P95_MS } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
