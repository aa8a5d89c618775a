import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createMigratedPostgresDatabase, dropPostgresDatabase, migrateDatabase, postgresUrl, TEST_POSTGRES_URL } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import type { AppResult } from "./backfill-app";
import { measureFloor, type FloorResult } from "./backfill-floor";
import { measurePostgresFloor } from "./backfill-floor-postgres";
import type { SandboxConfig, SandboxReady } from "./backfill-sandbox";
import { round } from "./load";
import { numberOption } from "./options";

const SHOP = "backfill-bench.myshopify.com";
const SEED = 20261123;
const API_KEY = "backfill-bench-key";
const API_SECRET = "backfill-bench-secret";

// The targets of the issue: at least this share of the floor's rate, a peak RSS under this many MB,
// and that peak, at the full size, no more than this much above the small run's (memory stays flat).
const TARGET_RATIO = 0.3;
const TARGET_PEAK_RSS_MB = 400;
const FLAT_RSS_GROWTH = 1.1;

/**
 * The app's backfill of a generated store (customers, orders, refunds), run by the app's job worker
 * in a child process against the sandbox served over loopback HTTP by another, against the floor:
 * the same rows written by a plain prepared-statement loop in one transaction (SQLite), or by
 * `INSERT … SELECT unnest(…)` in one transaction (PostgreSQL, `--db postgres`: scratch databases on
 * the server at TEST_POSTGRES_URL, created and dropped here). A smaller store (a third the size) is
 * backfilled first, to show that memory does not grow with the store.
 */
export async function runBackfillBench(args: string[]) {
  const db = dbOption(args);
  const customers = numberOption(args, "customers", 100_000);
  // The smaller run must last long enough for the process to reach its steady state: importing
  // 10,000 customers takes under two seconds, while V8 is still growing its young generation, so
  // that comparison measured warm-up (a 10–15 % difference at any size), not the store's size.
  const smallCustomers = numberOption(args, "small-customers", 30_000);
  const dir = mkdtempSync(path.join(tmpdir(), "lifecycle-backfill-bench-"));
  const databases = db === "postgres" ? await postgresDatabases() : sqliteDatabases(dir);
  try {
    const small = await measureRun(databases, smallCustomers);
    const full = await measureRun(databases, customers);
    return {
      db,
      ...full,
      small: { customers: small.customers, rows: small.rows, seconds: small.seconds, peak_rss_mb: small.peak_rss_mb, rows_per_s: small.rows_per_s, ratio: small.ratio },
      targets_met: {
        ratio: full.ratio >= TARGET_RATIO,
        peak_rss: full.peak_rss_mb < TARGET_PEAK_RSS_MB,
        flat_rss: full.peak_rss_mb <= small.peak_rss_mb * FLAT_RSS_GROWTH,
      },
    };
  } finally {
    await databases.dropAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

function dbOption(args: string[]): "sqlite" | "postgres" {
  const index = args.indexOf("--db");
  const value = index >= 0 ? args[index + 1] : "sqlite";
  if (value !== "sqlite" && value !== "postgres") throw new Error("--db is sqlite or postgres");
  return value;
}

/** Where a run writes: an empty migrated database for the app, and one for the floor, by name. */
interface BenchDatabases {
  create(name: string): Promise<string>;
  floor(appUrl: string, floorUrl: string): Promise<FloorResult>;
  dropAll(): Promise<void>;
}

function sqliteDatabases(dir: string): BenchDatabases {
  const fileOf = (url: string) => url.slice("file:".length);
  return {
    create(name) {
      const file = path.join(dir, `${name}.sqlite`);
      migrateDatabase(file);
      return Promise.resolve(`file:${file}`);
    },
    floor: (appUrl, floorUrl) => Promise.resolve(measureFloor(fileOf(appUrl), fileOf(floorUrl))),
    dropAll: () => Promise.resolve(),
  };
}

/** Scratch databases on the PostgreSQL server, each a copy of one migrated here (migrating takes ~12 s; a copy ~60 ms). */
async function postgresDatabases(): Promise<BenchDatabases> {
  const prefix = `lc_bench_${process.pid}`;
  const template = `${prefix}_template`;
  const created = [template];
  await createMigratedPostgresDatabase(template);
  const server = async (sql: string) => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    async create(name) {
      const database = `${prefix}_${name.replace(/\W/g, "_")}`;
      await dropPostgresDatabase(database);
      await server(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
      created.push(database);
      return postgresUrl(database);
    },
    floor: measurePostgresFloor,
    async dropAll() {
      for (const database of created) await dropPostgresDatabase(database);
    },
  };
}

async function measureRun(databases: BenchDatabases, customers: number) {
  const appUrl = await databases.create(`app-${customers}`);
  const config: SandboxConfig = { shop: SHOP, customers, seed: SEED, apiKey: API_KEY, apiSecret: API_SECRET };
  // The sandbox stands in for Shopify and holds the whole store in memory (about 4.7 GB at 1,000,000 customers); only the app's memory is measured.
  const sandbox = await startChild<SandboxReady>("backfill-sandbox.ts", [JSON.stringify(config)], {}, ["--max-old-space-size=16384"]);
  let app: AppResult;
  try {
    ({ message: app } = await startChild<AppResult>("backfill-app.ts", [], {
      NODE_ENV: "production",
      DATABASE_URL: appUrl,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1",
      SCOPES: "read_customers,read_orders",
      BENCH_SANDBOX_URL: sandbox.message.url,
      BENCH_SHOP: SHOP,
    }));
  } finally {
    sandbox.child.send("stop");
    await new Promise((resolve) => sandbox.child.once("exit", resolve));
  }

  const store = sandbox.message;
  for (const kind of ["customers", "orders", "refunds"] as const) {
    if (app[kind] !== store[kind]) throw new Error(`The backfill wrote ${app[kind]} ${kind}; the sandbox store has ${store[kind]}`);
  }
  const rows = app.customers + app.orders + app.refunds;
  const floor = await databases.floor(appUrl, await databases.create(`floor-${customers}`));
  if (floor.rows !== rows) throw new Error(`The floor wrote ${floor.rows} rows, the backfill ${rows}`);
  const rowsPerSecond = rows / app.seconds;
  return {
    customers: app.customers,
    orders: app.orders,
    refunds: app.refunds,
    rows,
    seconds: round(app.seconds, 2),
    // Part of `seconds`: waiting for the sandbox's bulk exports, during which the app does nothing.
    export_seconds: round(app.exportSeconds, 2),
    rows_per_s: Math.round(rowsPerSecond),
    // The app's own rate, export waits left out.
    app_rows_per_s: Math.round(rows / (app.seconds - app.exportSeconds)),
    // CPU time of the app process over the backfill: steadier than wall time on a busy machine.
    app_cpu_seconds: round(app.cpuSeconds, 2),
    floor_rows_per_s: Math.round(floor.rowsPerSecond),
    floor_seconds: round(floor.seconds, 2),
    ratio: round(rowsPerSecond / floor.rowsPerSecond, 3),
    peak_rss_mb: Math.round(app.peakRssMb),
    baseline_rss_mb: Math.round(app.baselineRssMb),
    generate_seconds: round(store.generateSeconds, 2),
  };
}

/** Forks a benchmark process (TypeScript through tsx) and waits for its first message. */
async function startChild<T>(script: string, args: string[], env: Record<string, string>, nodeOptions: string[] = []): Promise<{ child: ChildProcess; message: T }> {
  const profile = process.env.BENCH_CPU_PROFILE;
  const child = fork(path.join(REPO_ROOT, "test", "bench", script), args, {
    cwd: REPO_ROOT,
    execArgv: [...nodeOptions, "--import", "tsx", ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [])],
    env: { ...process.env, ...env },
    // Whatever the children print goes to stderr: stdout carries the result alone.
    stdio: ["ignore", 2, 2, "ipc"],
  });
  const message = await new Promise<T>((resolve, reject) => {
    child.once("message", (value) => resolve(value as T));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, message };
}
