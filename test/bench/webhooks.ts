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
import { BENCH_SECRET, BENCH_SHOP, signedDelivery, TEMPLATE_WEBHOOK_PATH } from "./webhook-deliveries";

const AUTHENTICATE_CALLS = 3000;

/**
 * Signed deliveries acknowledged per second by the real webhook route (production build, SQLite,
 * the shop's offline session stored as an installed shop has it), with duplicates among them,
 * against a do-nothing route of the same server, the same deliveries through a route written as
 * Shopify's app template writes it (authenticate.webhook, then the write inline), and plain node:http.
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
  const db = createPrismaClient(databaseUrl);
  // An installed shop: its offline session (an expiring token, fresh) is what authenticate.webhook loads.
  await db.session.create({
    data: {
      id: `offline_${BENCH_SHOP}`,
      shop: BENCH_SHOP,
      state: "",
      isOnline: false,
      scope: "read_customers,read_orders",
      accessToken: "shpat_bench",
      expires: new Date(Date.now() + 3_600_000),
      refreshToken: "shprt_bench",
      refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000),
    },
  });

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
    // Duplicates are spread through the run, as Shopify's retries and double deliveries would be.
    const sequenceOf = (prefix: string) => {
      const ids = Array.from({ length: distinct }, (_, index) => `${prefix}-${index}`);
      const sequence = [...ids];
      for (let index = 0; index < duplicates; index += 1) sequence.splice(Math.floor((index * 7919) % sequence.length), 0, ids[index]!);
      return sequence.map((webhookId, index) => signedDelivery(webhookId, index));
    };
    const deliveries = sequenceOf("bench");
    const templateDeliveries = sequenceOf("template");
    const to = (list: typeof deliveries, base: string, pathname: string) => list.map((delivery) => delivery.load(`${base}${pathname}`));

    const warmup = (prefix: string) => Array.from({ length: 200 }, (_, index) => signedDelivery(`${prefix}-${index}`, index));
    await runLoad(to(warmup("warmup"), appUrl, "/webhooks/orders/create"), concurrency);
    await runLoad(to(warmup("warmup-template"), appUrl, TEMPLATE_WEBHOOK_PATH), concurrency);
    await runLoad(to(warmup("warmup"), appUrl, "/healthz"), concurrency);

    const cpu = () =>
      new Promise<number>((resolve) => {
        child.once("message", (message) => resolve((message as { cpuMs: number }).cpuMs));
        child.send("cpu");
      });
    const cpuBeforeAck = await cpu();
    const ack = await runLoad(to(deliveries, appUrl, "/webhooks/orders/create"), concurrency);
    const cpuBeforeNoop = await cpu();
    const noop = await runLoad(to(deliveries, appUrl, "/healthz"), concurrency);
    const cpuBeforeTemplate = await cpu();
    const template = await runLoad(to(templateDeliveries, appUrl, TEMPLATE_WEBHOOK_PATH), concurrency);
    const cpuAfterTemplate = await cpu();
    const plain = await runLoad(to(deliveries, nodeUrl, "/"), concurrency);
    // authenticate.webhook alone, called in the server process on the same deliveries: what the
    // template's route spends on every delivery before its write, and the route no longer calls.
    const authenticateCpuMs = await new Promise<number>((resolve) => {
      child.once("message", (message) => resolve((message as { authenticateCpuMs: number }).authenticateCpuMs));
      child.send({ authenticate: AUTHENTICATE_CALLS });
    });

    const stored = await db.webhookDelivery.count({ where: { webhookId: { startsWith: "bench-" } } });
    const templateStored = await db.webhookDelivery.count({ where: { webhookId: { startsWith: "template-" } } });

    return {
      ack_rps: ack.rps,
      noop_rps: noop.rps,
      template_rps: template.rps,
      node_rps: plain.rps,
      ack_vs_noop: round(ack.rps / noop.rps),
      ack_vs_template: round(ack.rps / template.rps),
      p50_ms: ack.p50_ms,
      p99_ms: ack.p99_ms,
      noop_p99_ms: noop.p99_ms,
      template_p99_ms: template.p99_ms,
      body_bytes: deliveries[0]!.bytes,
      server_cpu_ms_per_ack: round((cpuBeforeNoop - cpuBeforeAck) / ack.sent, 3),
      server_cpu_ms_per_noop: round((cpuBeforeTemplate - cpuBeforeNoop) / noop.sent, 3),
      server_cpu_ms_per_template: round((cpuAfterTemplate - cpuBeforeTemplate) / template.sent, 3),
      // What authenticate.webhook alone costs, called on in-memory requests.
      authenticate_webhook_cpu_ms: round(authenticateCpuMs, 3),
      sent: ack.sent,
      distinct,
      stored,
      template_stored: templateStored,
      non_200: ack.sent - (ack.statuses[200] ?? 0),
      template_non_200: template.sent - (template.statuses[200] ?? 0),
      concurrency,
    };
  } finally {
    await db.$disconnect();
    child.send("stop");
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
