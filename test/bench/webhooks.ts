import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "~/db.server";
import { migrateDatabase } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import { ensureProductionBuild } from "./build";
import { round, runLoad } from "./load";
import { numberOption } from "./options";
import { BENCH_SECRET, signedDelivery } from "./webhook-deliveries";

const AUTHENTICATE_CALLS = 3000;

/**
 * Signed deliveries acknowledged per second by the real webhook route (production build, SQLite),
 * with duplicates among them, against a do-nothing route of the same server and plain node:http.
 */
export async function runWebhooksBench(args: string[]) {
  const distinct = numberOption(args, "deliveries", 4000);
  const duplicates = Math.round(distinct * 0.25);
  // 16 connections at once: a burst of deliveries for many shops; --concurrency changes it.
  const concurrency = numberOption(args, "concurrency", 16);

  ensureProductionBuild((line) => console.error(line));
  const dir = mkdtempSync(path.join(tmpdir(), "lifecycle-bench-"));
  const databaseFile = path.join(dir, "bench.sqlite");
  migrateDatabase(databaseFile);
  const databaseUrl = `file:${databaseFile}`;

  const child = fork(path.join(REPO_ROOT, "test", "bench", "webhook-server.ts"), [], {
    cwd: REPO_ROOT,
    execArgv: ["--import", "tsx", ...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [])],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench-api-key",
      SHOPIFY_API_SECRET: BENCH_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1",
      SCOPES: "read_customers,read_orders",
      // A web-only instance: what is measured is acknowledging deliveries; processing them is the
      // job worker's, which can run in another process (README, JOBS_WORKER).
      JOBS_WORKER: "off",
    },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const { appUrl, nodeUrl } = await new Promise<{ appUrl: string; nodeUrl: string }>((resolve, reject) => {
    child.once("message", (message) => resolve(message as { appUrl: string; nodeUrl: string }));
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });

  try {
    const ids = Array.from({ length: distinct }, (_, index) => `bench-${index}`);
    // Duplicates are spread through the run, as Shopify's retries and double deliveries would be.
    const sequence = [...ids];
    for (let index = 0; index < duplicates; index += 1) sequence.splice(Math.floor((index * 7919) % sequence.length), 0, ids[index]!);
    const deliveries = sequence.map((webhookId, index) => signedDelivery(webhookId, index));
    const to = (base: string, pathname: string) => deliveries.map((delivery) => () => delivery.request(`${base}${pathname}`));

    const warmup = Array.from({ length: 200 }, (_, index) => signedDelivery(`warmup-${index}`, index));
    await runLoad(
      warmup.map((delivery) => () => delivery.request(`${appUrl}/webhooks/orders/create`)),
      concurrency,
    );
    await runLoad(
      warmup.map((delivery) => () => delivery.request(`${appUrl}/healthz`)),
      concurrency,
    );

    const cpu = () =>
      new Promise<number>((resolve) => {
        child.once("message", (message) => resolve((message as { cpuMs: number }).cpuMs));
        child.send("cpu");
      });
    const cpuBeforeAck = await cpu();
    const ack = await runLoad(to(appUrl, "/webhooks/orders/create"), concurrency);
    const cpuBeforeNoop = await cpu();
    const noop = await runLoad(to(appUrl, "/healthz"), concurrency);
    const cpuAfterNoop = await cpu();
    const plain = await runLoad(to(nodeUrl, "/"), concurrency);
    // authenticate.webhook alone, called in the server process on the same deliveries: the part of
    // every acknowledgement that the issue fixes (the library's HMAC and header checks).
    const authenticateCpuMs = await new Promise<number>((resolve) => {
      child.once("message", (message) => resolve((message as { authenticateCpuMs: number }).authenticateCpuMs));
      child.send({ authenticate: AUTHENTICATE_CALLS });
    });

    const db = createPrismaClient(databaseUrl);
    const stored = await db.webhookDelivery.count({ where: { webhookId: { startsWith: "bench-" } } });
    await db.$disconnect();

    return {
      ack_rps: ack.rps,
      noop_rps: noop.rps,
      node_rps: plain.rps,
      ack_vs_noop: round(ack.rps / noop.rps),
      p50_ms: ack.p50_ms,
      p99_ms: ack.p99_ms,
      noop_p99_ms: noop.p99_ms,
      server_cpu_ms_per_ack: round((cpuBeforeNoop - cpuBeforeAck) / ack.sent, 3),
      server_cpu_ms_per_noop: round((cpuAfterNoop - cpuBeforeNoop) / noop.sent, 3),
      // What authenticate.webhook alone costs of server_cpu_ms_per_ack, called on in-memory requests.
      authenticate_webhook_cpu_ms: round(authenticateCpuMs, 3),
      sent: ack.sent,
      distinct,
      stored,
      non_200: ack.sent - (ack.statuses[200] ?? 0),
      concurrency,
    };
  } finally {
    child.send("stop");
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
