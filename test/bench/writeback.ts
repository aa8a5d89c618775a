/**
 * `npm run bench -- writeback --json [--customers N] [--buyers N]`: the Admin API points an
 * incremental write-back spends after a day of store activity, against the least that writing only
 * the changed customers with the cheapest mutations could cost. Target: api_points ≤ 1.2 × min_points.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateDatabase } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import { numberOption } from "./options";

const TARGET_RATIO = 1.2;

interface ChildResult {
  api_points: number;
  min_points: number;
  [key: string]: unknown;
}

export async function runWritebackBench(args: string[]) {
  const customers = numberOption(args, "customers", 2_000);
  const buyers = numberOption(args, "buyers", 60);
  const dir = mkdtempSync(path.join(tmpdir(), "lifecycle-writeback-"));
  try {
    const file = path.join(dir, "bench.sqlite");
    migrateDatabase(file);
    const child = fork(path.join(REPO_ROOT, "test", "bench", "writeback-child.ts"), [], {
      cwd: REPO_ROOT,
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: `file:${file}`,
        SHOPIFY_API_KEY: "writeback-bench-key",
        SHOPIFY_API_SECRET: "writeback-bench-secret",
        SHOPIFY_APP_URL: "https://lifecycle-bench.invalid",
        JOBS_WORKER: "off",
        BENCH_CUSTOMERS: String(customers),
        BENCH_BUYERS: String(buyers),
      },
      // Whatever the child prints goes to stderr: stdout carries the result alone.
      stdio: ["ignore", 2, 2, "ipc"],
    });
    const result = await new Promise<ChildResult>((resolve, reject) => {
      child.once("message", (message) => resolve(message as ChildResult));
      child.once("exit", (code) => reject(new Error(`writeback child exited with ${code}`)));
    });
    const ratio = result.min_points === 0 ? (result.api_points === 0 ? 1 : Infinity) : result.api_points / result.min_points;
    return { ...result, ratio: Math.round(ratio * 100) / 100, targets_met: { api_points: ratio <= TARGET_RATIO } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
