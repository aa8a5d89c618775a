/**
 * The app side of the backfill benchmark: the app's own backfill job, run by the app's job worker
 * against the sandbox over loopback HTTP, in a process of its own whose peak RSS is what is measured.
 * No web server: the offline session is stored after a token exchange, and instead of the
 * bulk_operations/finish webhook this process watches the running export and wakes the job as
 * that webhook's handler would.
 */
import type { WorkContext } from "~/jobs/types";
import { peakRssMb } from "./peak-rss";
import { exchangeOfflineToken, routeShopifyToBenchSandbox } from "./sandbox-server";

export interface AppResult {
  customers: number;
  orders: number;
  refunds: number;
  seconds: number;
  exportSeconds: number;
  cpuSeconds: number;
  baselineRssMb: number;
  peakRssMb: number;
}

const sandboxUrl = process.env.BENCH_SANDBOX_URL!;
const shop = process.env.BENCH_SHOP!;
const apiKey = process.env.SHOPIFY_API_KEY!;
const apiSecret = process.env.SHOPIFY_API_SECRET!;
// The export is looked at this often while it runs: the delay it adds stands in for the webhook's.
const EXPORT_POLL_MS = 20;

// Before the app is loaded (shopify-api keeps the fetch it finds at import): the shop's domain goes to the sandbox process.
// The sandbox's own routes (its session token) are fetched past the routing.
const nativeFetch = globalThis.fetch;
routeShopifyToBenchSandbox(sandboxUrl);

const { Session } = await import("@shopify/shopify-api");
const { default: prisma } = await import("~/db.server");
const { sessionStorage } = await import("~/shopify.server");
const { adminForShop, JOB_HANDLERS } = await import("~/app-worker.server");
const { jobEngineFor } = await import("~/jobs/engines.server");
const { webhookInbox } = await import("~/webhooks/process.server");
const { fetchBulkOperation } = await import("~/admin-api/bulk-operations.server");
const { BACKFILL_JOB } = await import("~/jobs/catalogue.server");
const { startBackfill, wakeWaitingBackfill } = await import("~/sync/backfill.server");

await storeOfflineSession();
const context: WorkContext = { db: prisma, now: () => new Date(), adminFor: adminForShop };
// The backfill's own job only: what it requests once done (the lifecycle recompute) is other work, not timed here.
// On the app's engine for this database (pg-boss on PostgreSQL), where startBackfill queues the job.
const engine = jobEngineFor(prisma);
const worker = engine.createWorker({ context, handlers: { [BACKFILL_JOB]: JOB_HANDLERS[BACKFILL_JOB]! }, inbox: webhookInbox });
const api = await adminForShop(shop);
const baselineRss = process.memoryUsage().rss;

const started = performance.now();
const cpuAtStart = process.cpuUsage();
const { id } = await startBackfill(prisma, shop, "install");
let exportMs = 0;
for (;;) {
  await worker.runUntilIdle();
  const [failed] = await engine.listDead(prisma, shop, 1);
  if (failed) throw new Error(`The ${failed.kind} job failed: ${failed.lastError}`);
  const backfill = await prisma.backfill.findUniqueOrThrow({ where: { id } });
  if (backfill.status === "completed") break;
  if (backfill.status !== "running" || !backfill.bulkOperationId) throw new Error(`Backfill stopped: ${JSON.stringify(backfill)}`);
  const waitStarted = performance.now();
  await exportFinished(backfill.bulkOperationId);
  exportMs += performance.now() - waitStarted;
  await wakeWaitingBackfill(context.db, shop, context.now());
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);

const where = { where: { shop } };
const result: AppResult = {
  customers: await prisma.customer.count(where),
  orders: await prisma.order.count(where),
  refunds: await prisma.refund.count(where),
  seconds,
  exportSeconds: exportMs / 1000,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  baselineRssMb: baselineRss / 2 ** 20,
  peakRssMb: peakRssMb(),
};
await prisma.$disconnect();
process.send?.(result, undefined, undefined, () => process.exit(0));

/** What the first embedded load does at install: an expiring offline session, stored as the app stores it. */
async function storeOfflineSession() {
  await sessionStorage.storeSession(new Session(await exchangeOfflineToken(sandboxUrl, shop, { apiKey, apiSecret }, nativeFetch)));
}

async function exportFinished(operationId: string) {
  for (;;) {
    const operation = await fetchBulkOperation(api, operationId);
    if (!operation || !["CREATED", "RUNNING", "CANCELING"].includes(operation.status)) return;
    await new Promise((resolve) => setTimeout(resolve, EXPORT_POLL_MS));
  }
}
