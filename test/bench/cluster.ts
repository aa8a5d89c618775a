import { fork, type ChildProcess } from "node:child_process";
import { openSync, readFileSync, mkdtempSync, rmSync, closeSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { API_VERSION } from "~/api-version";
import { createPrismaClient } from "~/db.server";
import { reversalOwed } from "~/loyalty/points";
import { orderEarning } from "~/loyalty-models/ledger.server";
import { migrate } from "../setup/database";
import { REPO_ROOT } from "../support/paths";
import { ensureProductionBuild } from "./build";
import type { ClusterSandboxConfig, ClusterSandboxReady, PlannedDelivery, WriteCounts } from "./cluster-sandbox";
import { runClusterLoad, sendOrder, signDelivery, type Instance, type LoadState, type SignedDelivery } from "./cluster-load";
import { startThrowawayPostgres, type ThrowawayPostgres } from "./cluster-postgres";
import { round } from "./load";
import { numberOption } from "./options";
import { exchangeOfflineToken } from "./sandbox-server";

const API_KEY = "cluster-bench-key";
const API_SECRET = "cluster-bench-secret";
const SEED = 20261204;
const BIG_SHOP = "cluster-big.myshopify.com";
const DUPLICATE_SHARE = 0.1;
// The issue's target for the small shops' processing lag while the big shop imports.
const TARGET_LAG_P95_S = 5;
// Processing is done once nothing moved for this long after the last send (the killed worker's
// lease, 60 s, must be able to run out within it).
const STALL_MS = 150_000;

const smallShop = (index: number) => `cluster-small-${String(index).padStart(3, "0")}.myshopify.com`;

interface Child {
  process: ChildProcess;
  url?: string;
}

/**
 * The app as a cluster on PostgreSQL with faults (issue 15 §5): its own throwaway PostgreSQL, the
 * sandbox serving every shop (one big shop being imported all along), 2 web instances and 2 workers
 * on the pg-boss engine, signed deliveries sent at a steady rate with duplicates, reordering and
 * Shopify's retries; one worker and one web instance killed with SIGKILL mid-work and PostgreSQL
 * restarted during the run. Then it counts what was lost (acknowledged but never processed) and
 * what was done twice (ledger entries, tags and discount codes written to the sandbox).
 */
export async function runClusterBench(args: string[]) {
  const shopCount = numberOption(args, "shops", 200);
  const distinct = numberOption(args, "deliveries", 50_000);
  const bigCustomers = numberOption(args, "big-customers", 100_000);
  // Deliveries per second, as Shopify sends them to an app with many shops (not a closed loop: a
  // backlog shows as lag, not as a slower sender). 20/s is about 8,600 a day for each of the 200
  // shops, and what the whole cluster keeps up with on a 2-core machine that also runs PostgreSQL, the
  // sandbox and the sender; above what it keeps up with, the lag is the backlog's, not unfairness's.
  const rate = numberOption(args, "rate", 20);
  const concurrency = numberOption(args, "concurrency", 32);
  const perShop = Math.ceil(distinct / shopCount);
  // About four deliveries a customer (an update, orders/create and /paid, a refund now and then).
  const smallCustomers = numberOption(args, "small-customers", Math.max(10, Math.ceil(perShop / 2)));
  const keep = args.includes("--keep");
  const log = (line: string) => console.error(`[cluster ${new Date().toISOString().slice(11, 19)}] ${line}`);

  ensureProductionBuild(log);
  const dir = mkdtempSync(path.join(tmpdir(), "lifecycle-cluster-"));
  const logFd = openSync(path.join(dir, "app.log"), "a");
  const children = new Set<ChildProcess>();
  let postgres: ThrowawayPostgres | undefined;
  let db: PrismaClient | undefined;
  let sandbox: Child | undefined;
  try {
    log(`throwaway PostgreSQL in ${dir}`);
    postgres = await startThrowawayPostgres(dir, "lifecycle");
    const url = postgres.url("lifecycle");
    migrate(url);
    db = createPrismaClient(url);

    const smallShops = Array.from({ length: shopCount - 1 }, (_, index) => smallShop(index));
    const deliveriesFile = path.join(dir, "deliveries.jsonl");
    const sandboxConfig: ClusterSandboxConfig = { bigShop: BIG_SHOP, smallShops, bigCustomers, smallCustomers, deliveries: distinct, seed: SEED, apiKey: API_KEY, apiSecret: API_SECRET, deliveriesFile };
    log(`sandbox: ${shopCount} shops (${bigCustomers} customers in the big one, ${smallCustomers} in each small one), ${distinct} deliveries`);
    const sandboxStart = await startChild<ClusterSandboxReady>(children, "cluster-sandbox.ts", [JSON.stringify(sandboxConfig)], {}, "inherit");
    sandbox = { process: sandboxStart.child, url: sandboxStart.message.url };
    const store = sandboxStart.message;

    await installShops(db, store.url, [BIG_SHOP, ...smallShops], smallShops);

    const env = {
      NODE_ENV: "production",
      DATABASE_URL: url,
      JOB_ENGINE: "pg-boss",
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1",
      SCOPES: "read_customers,write_customers,read_orders,read_all_orders,read_discounts,write_discounts,write_app_proxy",
      BENCH_SANDBOX_URL: store.url,
    };
    const startWeb = async () => {
      const { child, message } = await startChild<{ url: string }>(children, "cluster-app.ts", ["web"], { ...env, JOBS_WORKER: "off" }, logFd);
      return { process: child, url: message.url };
    };
    const startWorker = async () => ({ process: (await startChild(children, "cluster-app.ts", ["worker"], { ...env, JOBS_WORKER: "on" }, logFd)).child });
    const webs = [await startWeb(), await startWeb()];
    const workers = [await startWorker(), await startWorker()];
    log(`web instances ${webs.map((web) => web.url).join(", ")}; workers ${workers.map((worker) => worker.process.pid).join(", ")}`);

    // Peak RSS of the workers, killed ones included: sampled from /proc while they live.
    let workerPeakMb = 0;
    const sampleRss = setInterval(() => {
      for (const worker of workers) workerPeakMb = Math.max(workerPeakMb, peakRssOf(worker.process.pid));
    }, 500);

    // The big shop's import starts as its install starts it, and runs through the delivery phase.
    const backfillId = await startBigBackfill(db, url);
    log("big shop's backfill started; waiting for it to write customers");
    await waitFor(async () => (await backfillState(db!, backfillId)).customers_done > 0, 600_000);

    const planned = readFileSync(deliveriesFile, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as PlannedDelivery);
    const baseTime = Date.now() - planned.length;
    const deliveries: SignedDelivery[] = planned.map((delivery, index) => signDelivery(delivery, `cluster-${index}`, new Date(baseTime + index)));
    planned.length = 0;
    const order = sendOrder(deliveries.length, DUPLICATE_SHARE, SEED);
    const instances: Instance[] = webs.map((web) => ({ url: web.url, agent: new Agent({ keepAlive: true, maxSockets: concurrency }), inFlight: 0 }));
    const state: LoadState = { ackedAt: new Float64Array(deliveries.length).fill(Number.NaN), sends: 0, attempts: 0, retries: 0, gaveUp: 0, ackLatencies: [], failures: {}, pending: 0 };

    // The faults, at these shares of the sends; each waits for its victim to be busy.
    const faults: Record<string, unknown>[] = [];
    const phaseStarted = performance.now();
    const at = () => round((performance.now() - phaseStarted) / 1000, 1);
    const scheduled = [
      { share: 0.3, run: () => killWorker() },
      { share: 0.5, run: () => killWeb() },
      { share: 0.7, run: () => restartPostgres() },
    ];
    let faultRunning: Promise<void> = Promise.resolve();

    const killWorker = async () => {
      const victim = workers[0]!;
      const pid = victim.process.pid!;
      // Mid-batch: it holds a delivery of the inbox.
      let held = 0;
      await waitFor(async () => (held = await db!.webhookDelivery.count({ where: { status: "processing", lockedBy: { startsWith: `${pid}-` } } })) > 0, 10_000).catch(() => {});
      const activeJobs = await db!.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) FROM pgboss.job WHERE state = 'active'`).catch(() => [{ count: -1n }]);
      workerPeakMb = Math.max(workerPeakMb, peakRssOf(pid));
      victim.process.kill("SIGKILL");
      const killedAt = at();
      const backfill = await backfillState(db!, backfillId);
      log(`fault: kill -9 worker ${pid} at ${killedAt} s (holding ${held} deliveries; ${activeJobs[0]!.count} jobs active in the cluster)`);
      workers[0] = await startWorker();
      faults.push({ fault: "kill -9 worker", at_s: killedAt, deliveries_held: held, jobs_active: Number(activeJobs[0]!.count), restarted_at_s: at(), big_shop_customers_done: backfill.customers_done });
    };

    const killWeb = async () => {
      const slot = 0;
      const instance = instances[slot]!;
      const victim = webs[slot]!;
      await waitFor(() => Promise.resolve(instance.inFlight > 0), 10_000).catch(() => {});
      const inFlight = instance.inFlight;
      victim.process.kill("SIGKILL");
      const killedAt = at();
      // The load balancer takes it out of rotation; what it was answering fails and is retried.
      instances.splice(instances.indexOf(instance), 1);
      log(`fault: kill -9 web ${victim.url} at ${killedAt} s (${inFlight} requests in flight)`);
      const replacement = await startWeb();
      webs[slot] = replacement;
      instance.agent.destroy();
      instances.push({ url: replacement.url!, agent: new Agent({ keepAlive: true, maxSockets: concurrency }), inFlight: 0 });
      faults.push({ fault: "kill -9 web", at_s: killedAt, requests_in_flight: inFlight, restarted_at_s: at() });
    };

    const restartPostgres = async () => {
      const startedAt = at();
      log(`fault: PostgreSQL restart at ${startedAt} s`);
      await postgres!.restart();
      faults.push({ fault: "postgres restart -m fast", at_s: startedAt, back_at_s: at() });
    };

    log(`sending ${order.length} deliveries (${deliveries.length} distinct) at ${rate}/s`);
    const progress = setInterval(() => {
      void db!.webhookDelivery
        .count({ where: { status: { in: ["processed", "skipped"] } } })
        .catch(() => -1)
        .then((processed) =>
          log(`${at()} s: sent ${state.sends}, in flight ${instances.map((instance) => instance.inFlight).join("+")}, retries ${state.retries}, processed ${processed}`),
        );
    }, 10_000);
    await runClusterLoad(
      {
        deliveries,
        order,
        instances,
        rate,
        concurrency,
        secret: API_SECRET,
        apiVersion: API_VERSION,
        onSend(sent) {
          const next = scheduled[0];
          if (next && sent >= next.share * order.length) {
            scheduled.shift();
            // The sender goes on while the fault runs (and its victim restarts).
            faultRunning = faultRunning.then(next.run).catch((error: unknown) => log(`fault failed: ${String(error)}`));
          }
        },
      },
      state,
    );
    await faultRunning;
    clearInterval(progress);
    const sendSeconds = (performance.now() - phaseStarted) / 1000;
    const backfillAtSendEnd = await backfillState(db, backfillId);
    log(`sent in ${round(sendSeconds)} s: ${state.attempts} attempts, ${state.retries} retries, ${state.gaveUp} given up; waiting for processing`);

    const acked = new Set<string>();
    deliveries.forEach((delivery, index) => {
      if (!Number.isNaN(state.ackedAt[index]!)) acked.add(delivery.webhookId);
    });
    const processing = await waitForProcessing(db, deliveries.length, log);
    const processedSeconds = (performance.now() - phaseStarted) / 1000;
    const backfillAtProcessed = await backfillState(db, backfillId);

    // Lag: from the delivery's acknowledgement (stored, `receivedAt`) to its processing, for the small shops.
    const lag = await db.$queryRawUnsafe<{ p50: number; p95: number; p99: number; max: number }[]>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY s) AS p99, max(s) AS max
       FROM (SELECT EXTRACT(EPOCH FROM ("processedAt" - "receivedAt"))::float8 AS s FROM "WebhookDelivery"
             WHERE "webhookId" LIKE 'cluster-%' AND "shop" <> $1 AND "processedAt" IS NOT NULL) lags`,
      BIG_SHOP,
    );

    // The same, for the deliveries acknowledged while the big shop's import ran (issue §4's condition).
    const importWindow = await db.backfill.findUniqueOrThrow({ where: { id: backfillId }, select: { startedAt: true, finishedAt: true } });
    const lagDuringImport = await db.$queryRawUnsafe<{ p95: number | null; count: bigint }[]>(
      `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("processedAt" - "receivedAt"))::float8) AS p95, count(*) AS count
       FROM "WebhookDelivery" WHERE "webhookId" LIKE 'cluster-%' AND "shop" <> $1 AND "processedAt" IS NOT NULL
         AND "receivedAt" >= $2 AND "receivedAt" <= $3`,
      BIG_SHOP,
      importWindow.startedAt,
      importWindow.finishedAt ?? new Date(),
    );

    // Jobs the deliveries caused (points, recomputes, write-backs) finish before effects are counted.
    await waitForJobs(db, log);
    const effects = await countEffects(db, sandbox.process, smallShops);
    const stored = await db.$queryRawUnsafe<{ webhookId: string; status: string }[]>(`SELECT "webhookId", "status" FROM "WebhookDelivery" WHERE "webhookId" LIKE 'cluster-%'`);
    const statusOf = new Map(stored.map((row) => [row.webhookId, row.status]));
    let lost = 0;
    const lostExamples: string[] = [];
    for (const delivery of deliveries) {
      const status = statusOf.get(delivery.webhookId);
      // Acknowledged or not: Shopify sent it, and it had to end up processed.
      if (status !== "processed" && status !== "skipped") {
        lost += 1;
        if (lostExamples.length < 10) lostExamples.push(`${delivery.webhookId} ${delivery.topic} ${delivery.shop}: ${status ?? (acked.has(delivery.webhookId) ? "acknowledged, not stored" : "never acknowledged")}`);
      }
    }
    const failedReasons = await db.$queryRawUnsafe<{ lastError: string | null; count: bigint }[]>(
      `SELECT "lastError", count(*) FROM "WebhookDelivery" WHERE "webhookId" LIKE 'cluster-%' AND "status" = 'failed' GROUP BY 1 ORDER BY 2 DESC LIMIT 5`,
    );

    clearInterval(sampleRss);
    for (const worker of workers) workerPeakMb = Math.max(workerPeakMb, peakRssOf(worker.process.pid));
    const backfillFinal = await backfillState(db, backfillId);
    const latencies = state.ackLatencies.sort((a, b) => a - b);
    const percentile = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
    const doubled = effects.ledger_earn_doubled + effects.ledger_reversal_excess + effects.tag_rewrites + effects.discount_codes_extra;
    const smallLagP95 = round(lag[0]?.p95 ?? Number.NaN, 2);
    const result = {
      shops: shopCount,
      distinct: deliveries.length,
      delivered: state.sends,
      attempts: state.attempts,
      retried: state.retries,
      acknowledged: acked.size,
      never_acknowledged: state.gaveUp,
      processed: processing.processed,
      failed: processing.failed,
      lost,
      doubled,
      ack_p50_ms: percentile(0.5),
      ack_p99_ms: percentile(0.99),
      small_shop_lag_p50_s: round(lag[0]?.p50 ?? Number.NaN, 2),
      small_shop_lag_p95_s: smallLagP95,
      small_shop_lag_p99_s: round(lag[0]?.p99 ?? Number.NaN, 2),
      small_shop_lag_max_s: round(lag[0]?.max ?? Number.NaN, 2),
      small_shop_lag_p95_during_import_s: round(lagDuringImport[0]?.p95 ?? Number.NaN, 2),
      deliveries_during_import: Number(lagDuringImport[0]?.count ?? 0),
      worker_rss_mb: workerPeakMb,
      rate_per_s: rate,
      send_seconds: round(sendSeconds, 1),
      processed_after_s: round(processedSeconds, 1),
      effects,
      big_shop: {
        customers: store.bigCustomers,
        orders: store.bigOrders,
        at_send_end: backfillAtSendEnd,
        at_processed: backfillAtProcessed,
        final: backfillFinal,
      },
      faults,
      failures_seen: state.failures,
      ...(lostExamples.length ? { lost_examples: lostExamples } : {}),
      ...(failedReasons.length ? { failed_reasons: failedReasons.map((row) => ({ reason: row.lastError, count: Number(row.count) })) } : {}),
      topics: store.topics,
      targets_met: { lost: lost === 0, doubled: doubled === 0, small_shop_lag_p95: smallLagP95 < TARGET_LAG_P95_S },
    };
    if (lost !== 0 || doubled !== 0) process.exitCode = 1;
    return result;
  } finally {
    await db?.$disconnect().catch(() => {});
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    postgres?.remove();
    closeSync(logFd);
    if (keep) log(`kept ${dir} (app.log: every app process's log lines)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every shop installed as Shopify-managed installation leaves it: a Shop row and an expiring offline
 * session from a token exchange with the sandbox. The small shops have the loyalty programme on
 * (every past order earns, so each paid order delivered is a ledger entry) and the write-back approved
 * (stage tags are written to Shopify).
 */
async function installShops(db: PrismaClient, sandboxUrl: string, shops: string[], smallShops: string[]) {
  for (const shop of shops) {
    const session = await exchangeOfflineToken(sandboxUrl, shop, { apiKey: API_KEY, apiSecret: API_SECRET });
    await db.session.create({ data: session });
    await db.shop.create({ data: { shop, scopes: session.scope, name: shop } });
  }
  await db.loyaltySettings.createMany({ data: smallShops.map((shop) => ({ shop, enabled: true, earnSince: new Date("2000-01-01T00:00:00Z") })) });
  await db.lifecycleSettings.createMany({ data: smallShops.map((shop) => ({ shop, writeBackApprovedAt: new Date() })) });
}

/** The big shop's first backfill, started as the app starts it at install (through the pg-boss engine). */
async function startBigBackfill(db: PrismaClient, url: string): Promise<number> {
  process.env.DATABASE_URL = url;
  process.env.JOB_ENGINE = "pg-boss";
  const { startBackfill } = await import("~/sync/backfill.server");
  const { pgBossEngineFor } = await import("~/jobs/engines.server");
  const backfill = await startBackfill(db, BIG_SHOP, "install");
  await pgBossEngineFor(url).close();
  return backfill.id;
}

async function backfillState(db: PrismaClient, id: number) {
  const row = await db.backfill.findUnique({ where: { id } }).catch(() => null);
  if (!row) return { status: "unknown", phase: "unknown", customers_done: 0, orders_done: 0, seconds: 0 };
  return {
    status: row.status,
    phase: row.phase,
    customers_done: row.customersDone,
    orders_done: row.ordersDone,
    refunds_done: row.refundsDone,
    seconds: round(((row.finishedAt ?? new Date()).getTime() - row.startedAt.getTime()) / 1000, 1),
    ...(row.lastError ? { last_error: row.lastError } : {}),
  };
}

/** Waits until every stored delivery of the run is processed, skipped or failed, or nothing moves for STALL_MS. */
async function waitForProcessing(db: PrismaClient, distinct: number, log: (line: string) => void) {
  let last = -1;
  let lastMoved = performance.now();
  for (;;) {
    const rows = await db
      .$queryRawUnsafe<{ status: string; count: bigint }[]>(`SELECT "status", count(*) FROM "WebhookDelivery" WHERE "webhookId" LIKE 'cluster-%' GROUP BY 1`)
      .catch(() => null);
    if (rows) {
      const count = (status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
      const processed = count("processed") + count("skipped");
      const failed = count("failed");
      const settled = processed + failed;
      if (settled >= distinct) return { processed, failed };
      if (settled !== last) {
        if (Math.floor(settled / 1000) !== Math.floor(last / 1000)) log(`processed ${settled}/${distinct}`);
        last = settled;
        lastMoved = performance.now();
      } else if (performance.now() - lastMoved > STALL_MS) {
        log(`processing stalled at ${settled}/${distinct}`);
        return { processed, failed };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Waits until no job of a small shop is due or running (periodic chains wait for their time), at most 20 minutes. */
async function waitForJobs(db: PrismaClient, log: (line: string) => void) {
  const started = performance.now();
  let quiet = 0;
  let logged = started;
  while (performance.now() - started < 1_200_000) {
    const rows = await db
      .$queryRawUnsafe<{ count: bigint }[]>(
        `SELECT count(*) FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now() AND data->>'shop' <> $1`,
        BIG_SHOP,
      )
      .catch(() => null);
    quiet = rows && Number(rows[0]!.count) === 0 ? quiet + 1 : 0;
    if (rows && performance.now() - logged > 30_000) {
      logged = performance.now();
      log(`small shops' jobs due or running: ${Number(rows[0]!.count)}`);
    }
    if (quiet >= 3) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  log("jobs of the small shops still due after 20 minutes: effects counted as they are");
}

/**
 * What was done twice. The ledger: more than one earn entry for an order, or reversals beyond what
 * the order's refunds owe. Shopify (the sandbox): tags added that the customer already had, discount
 * codes beyond the referral codes and redemptions the app holds. And what is missing: paid orders
 * of a shop with the programme on that earned nothing.
 */
async function countEffects(db: PrismaClient, sandbox: ChildProcess, smallShops: string[]) {
  const entries = await db.pointsEntry.findMany({ where: { shop: { in: smallShops }, kind: { in: ["earn", "reverse"] } }, select: { shop: true, orderId: true, kind: true, points: true, basisMinor: true } });
  const orders = await db.order.findMany({
    where: { shop: { in: smallShops }, customerId: { not: null } },
    select: { shop: true, id: true, processedAt: true, subtotalMinor: true, totalMinor: true, financialStatus: true, cancelledAt: true, test: true, currencyCode: true },
  });
  const refunds = await db.refund.groupBy({ by: ["shop", "orderId"], where: { shop: { in: smallShops } }, _sum: { amountMinor: true } });
  const refundedOf = new Map(refunds.map((row) => [`${row.shop}/${row.orderId}`, row._sum.amountMinor ?? 0]));
  const earnOf = new Map<string, { count: number; points: number; basisMinor: number }>();
  const reversedOf = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.shop}/${entry.orderId}`;
    if (entry.kind === "earn") {
      const earn = earnOf.get(key) ?? { count: 0, points: entry.points, basisMinor: entry.basisMinor ?? 0 };
      earn.count += 1;
      earnOf.set(key, earn);
    } else reversedOf.set(key, (reversedOf.get(key) ?? 0) - entry.points);
  }
  let earnDoubled = 0;
  let reversalExcess = 0;
  let earnMissing = 0;
  const settings = await db.loyaltySettings.findMany({ where: { shop: { in: smallShops } } });
  const rulesOf = new Map(settings.map((row) => [row.shop, row]));
  for (const order of orders) {
    const key = `${order.shop}/${order.id}`;
    const earn = earnOf.get(key);
    const rules = rulesOf.get(order.shop)!;
    const expected = orderEarning(order, rules);
    if (!earn) {
      if (expected && rules.enabled && order.processedAt >= rules.earnSince) earnMissing += 1;
      continue;
    }
    earnDoubled += earn.count - 1;
    const owed = reversalOwed({ points: earn.points, basisMinor: earn.basisMinor }, refundedOf.get(key) ?? 0, order.cancelledAt !== null, 0);
    reversalExcess += Math.max(0, (reversedOf.get(key) ?? 0) - owed);
  }

  const writes = await new Promise<Record<string, WriteCounts>>((resolve) => {
    sandbox.once("message", (message) => resolve(message as Record<string, WriteCounts>));
    sandbox.send("counts");
  });
  const sum = (field: keyof WriteCounts) => Object.values(writes).reduce((total, counts) => total + counts[field], 0);
  const expectedCodes = (await db.referralCode.count()) + (await db.redemption.count({ where: { discountId: { not: null } } }));
  const codes = sum("discountCodes");
  return {
    orders_held: orders.length,
    ledger_earn_entries: [...earnOf.values()].reduce((total, earn) => total + earn.count, 0),
    ledger_earn_doubled: earnDoubled,
    ledger_reversal_excess: reversalExcess,
    ledger_earn_missing: earnMissing,
    tag_writes: sum("tagWrites"),
    tag_rewrites: sum("tagRewrites"),
    discount_codes: codes,
    discount_codes_expected: expectedCodes,
    discount_codes_extra: Math.max(0, codes - expectedCodes) + sum("discountRepeats"),
  };
}

function peakRssOf(pid: number | undefined): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const started = performance.now();
  for (;;) {
    if (await check().catch(() => false)) return;
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Forks a benchmark process (TypeScript through tsx) and waits for its first message; its output goes to `output`. */
async function startChild<T>(children: Set<ChildProcess>, script: string, args: string[], env: Record<string, string>, output: number | "inherit"): Promise<{ child: ChildProcess; message: T }> {
  const child = fork(path.join(REPO_ROOT, "test", "bench", script), args, {
    cwd: REPO_ROOT,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    // Whatever the children print goes to stderr or the log file: stdout carries the result alone.
    stdio: ["ignore", output === "inherit" ? 2 : output, output === "inherit" ? 2 : output, "ipc"],
  });
  children.add(child);
  const message = await new Promise<T>((resolve, reject) => {
    child.once("message", (value) => resolve(value as T));
    child.once("exit", (code, signal) => reject(new Error(`${script} ${args.join(" ")} exited with ${code ?? signal}`)));
  });
  return { child, message };
}
