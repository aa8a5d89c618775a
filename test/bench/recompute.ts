/**
 * `npm run bench -- recompute --json [--customers N]`: a full lifecycle recompute (stages, RFM,
 * value bands, history rows, daily counts) of a synthetic shop, in a child process whose peak RSS is
 * reported, against the machine's floor: a plain prepared-statement read of the same orders plus an
 * update of the same customers in one transaction.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { migrateDatabase } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import { numberOption } from "./options";

export const BENCH_SHOP = "recompute-bench.myshopify.com";
const DAY_MS = 86_400_000;

/**
 * A seeded store: every customer with 0–7 orders over three years, some refunded or cancelled.
 * Customer ids count up from `firstCustomerId`. Returns the number of orders.
 */
export async function seed(client: Client, customers: number, now: Date, shop = BENCH_SHOP, firstCustomerId = 7_000_000_000_000) {
  let state = 42;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const iso = (ms: number) => new Date(ms).toISOString();
  let orders = 0;
  for (let start = 0; start < customers; start += 2_000) {
    const statements: { sql: string; args: (string | number | null)[] }[] = [];
    for (let index = start; index < Math.min(customers, start + 2_000); index += 1) {
      const id = String(firstCustomerId + index);
      const created = now.getTime() - random() * 1_100 * DAY_MS;
      statements.push({
        sql: `INSERT INTO "Customer" ("shop","id","createdAt","updatedAt","state","tags","observedAt") VALUES (?,?,?,?,?,?,?)`,
        args: [shop, id, iso(created), iso(created), "ENABLED", "", iso(created)],
      });
      const count = Math.floor(random() * random() * 8);
      let at = created;
      for (let n = 0; n < count; n += 1) {
        at += random() * 120 * DAY_MS;
        if (at > now.getTime()) break;
        orders += 1;
        const orderId = String(8_000_000_000_000 + orders);
        const total = 1_000 + Math.floor(random() * 20_000);
        const cancelled = random() < 0.03 ? iso(at + DAY_MS) : null;
        statements.push({
          sql: `INSERT INTO "Order" ("shop","id","customerId","name","createdAt","processedAt","updatedAt","cancelledAt","financialStatus","test","currencyCode","subtotalMinor","totalMinor","observedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          args: [shop, orderId, id, `#${orders}`, iso(at), iso(at), iso(at), cancelled, "PAID", 0, "USD", total, total, iso(at)],
        });
        if (random() < 0.08) {
          statements.push({
            sql: `INSERT INTO "Refund" ("shop","id","orderId","createdAt","amountMinor") VALUES (?,?,?,?,?)`,
            args: [shop, `r${orderId}`, orderId, iso(at + 2 * DAY_MS), Math.floor(total / 3)],
          });
        }
      }
    }
    await client.batch(statements, "write");
  }
  await client.execute({
    sql: `INSERT INTO "Backfill" ("shop","trigger","status","phase","updatedAt") VALUES (?,?,?,?,?)`,
    args: [shop, "install", "completed", "done", iso(now.getTime())],
  });
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

function runChild(databaseUrl: string): Promise<{ seconds: number; peak_rss_mb: number; changed: number; stageChanges: number }> {
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

export async function runRecomputeBench(args: string[]) {
  const customers = numberOption(args, "customers", 100_000);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
