/**
 * `npm run bench -- recompute --json [--customers N] [--db sqlite|postgres]`: a full lifecycle
 * recompute (stages, RFM, value bands, history rows, daily counts) of a synthetic shop, in a child
 * process whose peak RSS is reported, against the machine's floor: a plain read of the same orders
 * plus an update of the same customers in one transaction; at two sizes, to show memory flat.
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

export const BENCH_SHOP = "recompute-bench.myshopify.com";
const DAY_MS = 86_400_000;

type Cell = string | number | null;
interface SeedBatch {
  // shop, id, createdAt (also updatedAt and observedAt)
  customers: [string, string, string][];
  // shop, id, customerId, name, at (createdAt, processedAt, updatedAt, observedAt), cancelledAt, totalMinor (also subtotalMinor)
  orders: [string, string, string, string, string, string | null, number][];
  // shop, id, orderId, createdAt, amountMinor
  refunds: [string, string, string, string, number][];
}

/**
 * The seeded store's rows, 2,000 customers at a time: every customer with 0–7 orders over three
 * years, some refunded or cancelled. Customer ids count up from `firstCustomerId`.
 */
function* seedBatches(customers: number, now: Date, shop: string, firstCustomerId: number): Generator<SeedBatch> {
  let state = 42;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const iso = (ms: number) => new Date(ms).toISOString();
  let orders = 0;
  for (let start = 0; start < customers; start += 2_000) {
    const batch: SeedBatch = { customers: [], orders: [], refunds: [] };
    for (let index = start; index < Math.min(customers, start + 2_000); index += 1) {
      const id = String(firstCustomerId + index);
      const created = now.getTime() - random() * 1_100 * DAY_MS;
      batch.customers.push([shop, id, iso(created)]);
      const count = Math.floor(random() * random() * 8);
      let at = created;
      for (let n = 0; n < count; n += 1) {
        at += random() * 120 * DAY_MS;
        if (at > now.getTime()) break;
        orders += 1;
        const orderId = String(8_000_000_000_000 + orders);
        const total = 1_000 + Math.floor(random() * 20_000);
        const cancelled = random() < 0.03 ? iso(at + DAY_MS) : null;
        batch.orders.push([shop, orderId, id, `#${orders}`, iso(at), cancelled, total]);
        if (random() < 0.08) batch.refunds.push([shop, `r${orderId}`, orderId, iso(at + 2 * DAY_MS), Math.floor(total / 3)]);
      }
    }
    yield batch;
  }
}

/** A seeded SQLite store (see seedBatches). Returns the number of orders. */
export async function seed(client: Client, customers: number, now: Date, shop = BENCH_SHOP, firstCustomerId = 7_000_000_000_000) {
  let orders = 0;
  for (const batch of seedBatches(customers, now, shop, firstCustomerId)) {
    await client.batch(
      [
        ...batch.customers.map(([shopName, id, created]) => ({
          sql: `INSERT INTO "Customer" ("shop","id","createdAt","updatedAt","state","tags","observedAt") VALUES (?,?,?,?,?,?,?)`,
          args: [shopName, id, created, created, "ENABLED", "", created],
        })),
        ...batch.orders.map(([shopName, id, customerId, name, at, cancelled, total]) => ({
          sql: `INSERT INTO "Order" ("shop","id","customerId","name","createdAt","processedAt","updatedAt","cancelledAt","financialStatus","test","currencyCode","subtotalMinor","totalMinor","observedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          args: [shopName, id, customerId, name, at, at, at, cancelled, "PAID", 0, "USD", total, total, at],
        })),
        ...batch.refunds.map((args) => ({ sql: `INSERT INTO "Refund" ("shop","id","orderId","createdAt","amountMinor") VALUES (?,?,?,?,?)`, args })),
      ],
      "write",
    );
    orders += batch.orders.length;
  }
  await client.execute({
    sql: `INSERT INTO "Backfill" ("shop","trigger","status","phase","updatedAt") VALUES (?,?,?,?,?)`,
    args: [shop, "install", "completed", "done", now.toISOString()],
  });
  return orders;
}

/** The same store seeded on PostgreSQL, a batch per statement (arrays unnested). Returns the number of orders. */
export async function seedPostgres(client: pg.Client, customers: number, now: Date, shop = BENCH_SHOP, firstCustomerId = 7_000_000_000_000) {
  const columns = (rows: readonly Cell[][], count: number) => Array.from({ length: count }, (_, index) => rows.map((row) => row[index]));
  let orders = 0;
  for (const batch of seedBatches(customers, now, shop, firstCustomerId)) {
    await client.query(
      `INSERT INTO "Customer" ("shop","id","createdAt","updatedAt","state","tags","observedAt")
       SELECT s, i, c::timestamptz, c::timestamptz, 'ENABLED', '', c::timestamptz FROM unnest($1::text[], $2::text[], $3::text[]) AS t(s, i, c)`,
      columns(batch.customers, 3),
    );
    await client.query(
      `INSERT INTO "Order" ("shop","id","customerId","name","createdAt","processedAt","updatedAt","cancelledAt","financialStatus","test","currencyCode","subtotalMinor","totalMinor","observedAt")
       SELECT s, i, c, n, a::timestamptz, a::timestamptz, a::timestamptz, x::timestamptz, 'PAID', false, 'USD', t, t, a::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[]) AS u(s, i, c, n, a, x, t)`,
      columns(batch.orders, 7),
    );
    if (batch.refunds.length)
      await client.query(
        `INSERT INTO "Refund" ("shop","id","orderId","createdAt","amountMinor")
         SELECT s, i, o, c::timestamptz, a FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS u(s, i, o, c, a)`,
        columns(batch.refunds, 5),
      );
    orders += batch.orders.length;
  }
  await client.query(`INSERT INTO "Backfill" ("shop","trigger","status","phase","updatedAt") VALUES ($1, 'install', 'completed', 'done', $2)`, [shop, now]);
  await client.query(`ANALYZE`);
  return orders;
}

/** The floor: the same orders read and the same customers updated with one prepared statement each, in one transaction. */
async function floorSeconds(client: Client): Promise<number> {
  const started = performance.now();
  const rows = await client.execute({
    sql: `SELECT o."id", o."customerId", o."processedAt", o."totalMinor", o."financialStatus", o."cancelledAt", o."test", r."refundedMinor" FROM "Order" o
          LEFT JOIN (SELECT "orderId", SUM("amountMinor") AS "refundedMinor" FROM "Refund" WHERE "shop" = ? GROUP BY "orderId") r ON r."orderId" = o."id"
          WHERE o."shop" = ? AND o."customerId" IS NOT NULL`,
    args: [BENCH_SHOP, BENCH_SHOP],
  });
  const customers = await client.execute({ sql: `SELECT "id" FROM "Customer" WHERE "shop" = ?`, args: [BENCH_SHOP] });
  if (rows.rows.length === 0) throw new Error("the floor read no orders");
  const transaction = await client.transaction("write");
  for (const row of customers.rows) {
    await transaction.execute({
      sql: `UPDATE "CustomerLifecycle" SET "stage" = ?, "computedAt" = ? WHERE "shop" = ? AND "customerId" = ?`,
      args: ["loyal", new Date().toISOString(), BENCH_SHOP, row.id as string],
    });
  }
  await transaction.commit();
  return (performance.now() - started) / 1000;
}

/**
 * PostgreSQL's floor: the same read, and the same customers updated 5,000 at a time from unnested
 * arrays in one transaction (a statement per row costs a round trip each, which would flatter the app).
 */
async function postgresFloorSeconds(client: pg.Client): Promise<number> {
  const started = performance.now();
  const rows = await client.query(
    `SELECT o."id", o."customerId", o."processedAt", o."totalMinor", o."financialStatus", o."cancelledAt", o."test", r."refundedMinor" FROM "Order" o
     LEFT JOIN (SELECT "orderId", SUM("amountMinor") AS "refundedMinor" FROM "Refund" WHERE "shop" = $1 GROUP BY "orderId") r ON r."orderId" = o."id"
     WHERE o."shop" = $1 AND o."customerId" IS NOT NULL`,
    [BENCH_SHOP],
  );
  const customers = await client.query<{ id: string }>(`SELECT "id" FROM "Customer" WHERE "shop" = $1`, [BENCH_SHOP]);
  if (rows.rows.length === 0) throw new Error("the floor read no orders");
  await client.query("BEGIN");
  for (let start = 0; start < customers.rows.length; start += 5_000) {
    await client.query(
      `UPDATE "CustomerLifecycle" l SET "stage" = 'loyal', "computedAt" = $2 FROM unnest($3::text[]) AS u(id) WHERE l."shop" = $1 AND l."customerId" = u.id`,
      [BENCH_SHOP, new Date(), customers.rows.slice(start, start + 5_000).map((row) => row.id)],
    );
  }
  await client.query("COMMIT");
  return (performance.now() - started) / 1000;
}

interface ChildResult {
  seconds: number;
  peak_rss_mb: number;
  customers: number;
  changed: number;
  stageChanges: number;
}

function runChild(databaseUrl: string): Promise<ChildResult> {
  const child = fork(path.join(REPO_ROOT, "test", "bench", "recompute-child.ts"), [], {
    cwd: REPO_ROOT,
    execArgv: ["--import", "tsx", ...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [])],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: "bench",
      SHOPIFY_APP_URL: "http://127.0.0.1",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve(message as never));
    child.once("exit", (code) => code !== 0 && reject(new Error(`recompute child exited with ${code}`)));
  });
}

interface Measured {
  customers: number;
  orders: number;
  seconds: number;
  floor_seconds: number;
  ratio: number;
  peak_rss_mb: number;
  changed: number;
  stage_changes: number;
}

function measured(customers: number, orders: number, run: ChildResult, floor: number): Measured {
  if (run.customers !== customers) throw new Error(`the recompute placed ${run.customers} of ${customers} customers`);
  return {
    customers,
    orders,
    seconds: round(run.seconds),
    floor_seconds: round(floor),
    ratio: round(run.seconds / floor),
    peak_rss_mb: run.peak_rss_mb,
    changed: run.changed,
    stage_changes: run.stageChanges,
  };
}

/** A store of `customers` on a new SQLite file: seeded, recomputed by the app in a child, then the floor. */
async function measureSqlite(customers: number): Promise<Measured> {
  const dir = mkdtempSync(path.join(tmpdir(), "lifecycle-recompute-"));
  try {
    const file = path.join(dir, "bench.sqlite");
    migrateDatabase(file);
    const client = createClient({ url: `file:${file}` });
    await client.execute("PRAGMA journal_mode = WAL");
    const orders = await seed(client, customers, new Date());
    const run = await runChild(`file:${file}`);
    const floor = await floorSeconds(client);
    client.close();
    return measured(customers, orders, run, floor);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same on a scratch PostgreSQL database (on TEST_POSTGRES_URL's server), dropped afterwards. */
async function measurePostgres(customers: number): Promise<Measured> {
  const name = `lc_bench_recompute_${process.pid}_${customers}`;
  const url = await createMigratedPostgresDatabase(name);
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const orders = await seedPostgres(client, customers, new Date());
      const run = await runChild(url);
      const floor = await postgresFloorSeconds(client);
      return measured(customers, orders, run, floor);
    } finally {
      await client.end();
    }
  } finally {
    await dropPostgresDatabase(name);
  }
}

/**
 * `--customers N` (100,000 by default), then `--compare M` customers (a third of N by default): a
 * recompute's memory must not grow with the shop (rss_growth: the first store's peak over the
 * second's). `--db postgres` runs both on PostgreSQL.
 */
export async function runRecomputeBench(args: string[]) {
  const customers = numberOption(args, "customers", 100_000);
  const compare = numberOption(args, "compare", Math.round(customers / 3));
  const dbIndex = args.indexOf("--db");
  const db = dbIndex >= 0 ? args[dbIndex + 1] : "sqlite";
  if (db !== "sqlite" && db !== "postgres") throw new Error("--db is sqlite or postgres");
  const measure = db === "postgres" ? measurePostgres : measureSqlite;
  const main = await measure(customers);
  const other = await measure(compare);
  return {
    db,
    ...main,
    compared: { customers: other.customers, seconds: other.seconds, floor_seconds: other.floor_seconds, ratio: other.ratio, peak_rss_mb: other.peak_rss_mb },
    rss_growth: round(customers >= compare ? main.peak_rss_mb / other.peak_rss_mb - 1 : other.peak_rss_mb / main.peak_rss_mb - 1),
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
