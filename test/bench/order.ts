/**
 * `npm run bench -- order --json [--customers N] [--orders N]`: the database time one order costs
 * the app in a shop of 100,000 customers: its webhooks stored and processed, the order upserted, its
 * customer recomputed, its points settled, and the write-back and loyalty-metafield jobs it
 * triggers (with the webhooks our own writes cause). Target: db_ms < 50, whatever the shop's size.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateDatabase } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import { numberOption } from "./options";

const TARGET_DB_MS = 50;

interface ChildResult {
  db_ms: number;
  [key: string]: unknown;
}

export async function runOrderBench(args: string[]) {
  const customers = numberOption(args, "customers", 100_000);
  const orders = numberOption(args, "orders", 5);
  const dir = mkdtempSync(path.join(tmpdir(), "lifecycle-order-"));
  try {
    const file = path.join(dir, "bench.sqlite");
    migrateDatabase(file);
    const child = fork(path.join(REPO_ROOT, "test", "bench", "order-child.ts"), [], {
      cwd: REPO_ROOT,
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: `file:${file}`,
        SHOPIFY_API_KEY: "order-bench-key",
        SHOPIFY_API_SECRET: "order-bench-secret",
        SHOPIFY_APP_URL: "https://lifecycle-order-bench.invalid",
        JOBS_WORKER: "off",
        BENCH_CUSTOMERS: String(customers),
        BENCH_ORDERS: String(orders),
      },
      // Whatever the child prints goes to stderr: stdout carries the result alone.
      stdio: ["ignore", 2, 2, "ipc"],
    });
    const result = await new Promise<ChildResult>((resolve, reject) => {
      child.once("message", (message) => resolve(message as ChildResult));
      child.once("exit", (code) => reject(new Error(`order child exited with ${code}`)));
    });
    return { ...result, targets_met: { db_ms: result.db_ms < TARGET_DB_MS } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
