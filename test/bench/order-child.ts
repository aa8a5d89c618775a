/**
 * The order benchmark's measured side, in a process of its own (the app reads its database and
 * credentials from the environment at import). A small sandbox shop is installed for real and
 * imported; synthetic customers with three years of orders bring it to the asked size, are placed
 * by a full recompute, hold points, and are in step with Shopify as after the first write-back.
 * Then sandbox customers buy, one order at a time, and the database time the app spends on each
 * (webhooks stored and processed, every job they lead to, the webhooks our own writes cause) is
 * measured inside SQLite's statements.
 */
import { createClient } from "@libsql/client";
import type { JobHandler } from "~/jobs/types";
import { bulkOperationsSettled, generateShopData, Sandbox } from "@lifecycle/shopify-sandbox";
import { appFromToml } from "../support/sandbox-app";
import { seed } from "./recompute";

const SHOP = "order-bench.myshopify.com";
const SANDBOX_ORIGIN = "https://sandbox.order-bench.invalid";
const SANDBOX_CUSTOMERS = 20;
const appUrl = process.env.SHOPIFY_APP_URL!;
const customers = Number(process.env.BENCH_CUSTOMERS);
const orders = Number(process.env.BENCH_ORDERS);

type Route = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
const webhookRoute: { action?: Route } = {};
let intakeMs = 0;
const sandbox = new Sandbox({
  app: appFromToml({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl }),
  publicUrl: SANDBOX_ORIGIN,
  fetch: async (input, init) => {
    const started = sqliteMilliseconds();
    try {
      return await webhookRoute.action!({ request: new Request(input, init), params: {}, context: {} });
    } finally {
      intakeMs += sqliteMilliseconds() - started;
    }
  },
});
const nativeFetch = globalThis.fetch;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  const host = new URL(request.url).hostname;
  return host.endsWith(".myshopify.com") || request.url.startsWith(SANDBOX_ORIGIN) ? sandbox.handle(request) : nativeFetch(request);
};

const { default: prisma, sqliteMilliseconds } = await import("~/db.server");
const { authenticate, unauthenticated } = await import("~/shopify.server");
const { createAdminApi } = await import("~/admin-api/client.server");
const { JOB_HANDLERS } = await import("~/app-worker.server");
const { createWorker } = await import("~/jobs/worker.server");
const { webhookInbox } = await import("~/webhooks/process.server");
const { recomputeShop } = await import("~/lifecycle-models/recompute.server");
const { lifecycleSettings } = await import("~/lifecycle-models/settings.server");
const { loyaltySettings } = await import("~/loyalty-models/settings.server");
const { planLoyaltyMetafields } = await import("~/loyalty-models/metafields.server");
const { desiredSegments } = await import("~/write-back/write-back.server");
webhookRoute.action = (await import("~/routes/webhooks.$")).action as Route;

const shop = sandbox.addShop(generateShopData({ seed: 11, customers: SANDBOX_CUSTOMERS, now: new Date(), domain: SHOP, name: "Order Bench" }));
sandbox.install(SHOP);

let points = 0;
let calls = 0;
const adminFor = async (domain: string, onCost?: (points: number) => void) => {
  const { admin } = await unauthenticated.admin(domain);
  return createAdminApi(admin.graphql, {
    onCost: (_operation, cost) => {
      calls += 1;
      points += cost.actualQueryCost ?? cost.requestedQueryCost;
      onCost?.(cost.actualQueryCost ?? cost.requestedQueryCost);
    },
  });
};

// Each job's database time, by kind: the worker runs one thing at a time, so nothing overlaps.
const jobMs: Record<string, number> = {};
const measuredHandlers = Object.fromEntries(
  Object.entries(JOB_HANDLERS).map(([kind, handler]): [string, JobHandler] => [
    kind,
    async (context, run) => {
      const started = sqliteMilliseconds();
      try {
        return await handler(context, run);
      } finally {
        jobMs[kind] = (jobMs[kind] ?? 0) + sqliteMilliseconds() - started;
      }
    },
  ]),
);
const worker = createWorker({ context: { db: prisma, now: () => new Date(), adminFor }, handlers: measuredHandlers, inbox: webhookInbox });

/** Setup only: runs everything due, bulk operations and webhooks included, until nothing is left. */
async function settle() {
  for (let round = 0; round < 200; round += 1) {
    await worker.runUntilIdle();
    await bulkOperationsSettled(shop);
    const delivered = await sandbox.webhooks(SHOP).flush();
    const waiting = await prisma.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] }, runAt: { lte: new Date() } } });
    const backfilling = await prisma.backfill.count({ where: { shop: SHOP, status: "running" } });
    if (delivered.length === 0 && waiting === 0 && backfilling === 0) return;
  }
  throw new Error("the app did not settle");
}

/** Measured: the webhooks go out, the worker does everything they lead to, and again for the webhooks that causes. No query of our own. */
async function processEverything() {
  for (let round = 0; round < 50; round += 1) {
    const delivered = await sandbox.webhooks(SHOP).flush();
    const steps = await worker.runUntilIdle();
    if (delivered.length === 0 && steps === 0) return;
  }
  throw new Error("the order's processing did not end");
}

/**
 * The state after the first write-back: every customer carries our tags and metafields, holds
 * points whose storefront summary was written, and our segments exist. Written here directly
 * rather than through 100,000 customers' worth of Admin API calls.
 */
async function inStepWithShopify() {
  const settings = await lifecycleSettings(prisma, SHOP);
  await prisma.$executeRaw`
    UPDATE "Customer" SET "tags" = (
      SELECT ${settings.stageTagPrefix} || l."stage" || ', ' || ${settings.rfmTagPrefix} || lower(l."rfmGroup") || ', ' || ${settings.valueTagPrefix} || l."valueBand"
      FROM "CustomerLifecycle" l WHERE l."shop" = "Customer"."shop" AND l."customerId" = "Customer"."id")
    WHERE "shop" = ${SHOP}`;
  await prisma.$executeRaw`
    UPDATE "CustomerLifecycle" SET "writtenMetafields" = json_object('stage', "stage", 'rfm_group', "rfmGroup",
      'rfm_scores', CASE WHEN "recency" IS NULL THEN '' ELSE "recency" || "frequency" || "monetary" END, 'value_band', "valueBand"),
      "writtenTags" = json_array(${settings.stageTagPrefix} || "stage", ${settings.rfmTagPrefix} || lower("rfmGroup"), ${settings.valueTagPrefix} || "valueBand"),
      "writeBackDue" = -abs("writeBackDue")
    WHERE "shop" = ${SHOP}`;
  const groups = await prisma.customerLifecycle.groupBy({ by: ["rfmGroup"], where: { shop: SHOP } });
  for (const segment of desiredSegments(
    settings,
    groups.map((group) => group.rfmGroup),
  )) {
    await prisma.managedSegment.upsert({
      where: { shop_kind_value: { shop: SHOP, kind: segment.kind, value: segment.value } },
      create: { shop: SHOP, kind: segment.kind, value: segment.value, segmentId: `gid://shopify/Segment/${segment.kind}-${segment.value}`, name: segment.name, query: segment.query },
      update: { name: segment.name, query: segment.query },
    });
  }
  await prisma.$executeRaw`
    INSERT INTO "LoyaltyAccount" ("shop", "customerId", "available", "pending", "updatedAt")
    SELECT "shop", "id", abs(random()) % 3000, 0, ${new Date()} FROM "Customer" WHERE "shop" = ${SHOP}
    ON CONFLICT DO NOTHING`;
  const summaries = await planLoyaltyMetafields(prisma, SHOP, await loyaltySettings(prisma, SHOP));
  await prisma.$executeRaw`
    WITH s(id, summary) AS MATERIALIZED (SELECT value->>0, value->>1 FROM json_each(${JSON.stringify(summaries.map(({ customerId, value }) => [customerId, value]))}))
    UPDATE "LoyaltyAccount" SET "writtenMetafields" = s.summary, "summaryDue" = -abs("summaryDue") FROM s
    WHERE "LoyaltyAccount"."shop" = ${SHOP} AND "LoyaltyAccount"."customerId" = s.id`;
}

// Install as a merchant would: the admin loads the app with a session token; afterAuth starts the import.
await authenticate.admin(
  new Request(`${appUrl}/app`, {
    headers: { Authorization: `Bearer ${sandbox.sessionToken(SHOP)}`, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" },
  }),
);
await settle();

// The rest of the shop: synthetic customers with their orders (ids below the sandbox's, which
// start at 7,000,000,000,000), placed by a full recompute.
const client = createClient({ url: process.env.DATABASE_URL! });
await seed(client, customers - SANDBOX_CUSTOMERS, new Date(), SHOP, 6_000_000_000_000);
client.close();
await recomputeShop(prisma, SHOP, new Date());
await prisma.loyaltySettings.update({ where: { shop: SHOP }, data: { enabled: true } });
await prisma.lifecycleSettings.update({ where: { shop: SHOP }, data: { writeBackApprovedAt: new Date() } });
await inStepWithShopify();
await settle();

const buyers = shop.customers().slice(0, orders);
if (buyers.length < orders) throw new Error(`the sandbox shop has ${buyers.length} customers, fewer than --orders`);
const runs: { db_ms: number; intake_ms: number; jobs_ms: Record<string, number>; api_calls: number; api_points: number }[] = [];
for (const buyer of buyers) {
  shop.createOrder({ customerId: buyer.id, paid: true, lineItems: [{ title: "Wool socks", sku: "SOCK-1", quantity: 2, price: "14.00" }] });
  for (const kind of Object.keys(jobMs)) delete jobMs[kind];
  intakeMs = 0;
  calls = 0;
  points = 0;
  const started = sqliteMilliseconds();
  await processEverything();
  runs.push({
    db_ms: round(sqliteMilliseconds() - started),
    intake_ms: round(intakeMs),
    jobs_ms: Object.fromEntries(Object.entries(jobMs).map(([kind, ms]) => [kind, round(ms)])),
    api_calls: calls,
    api_points: points,
  });
}

const sorted = runs.map((run) => run.db_ms).sort((a, b) => a - b);
const total = await prisma.customer.count({ where: { shop: SHOP } });
await prisma.$disconnect();
process.send?.({ customers: total, orders: runs.length, db_ms: sorted[Math.floor(sorted.length / 2)]!, db_ms_max: sorted[sorted.length - 1]!, runs });

function round(value: number) {
  return Math.round(value * 100) / 100;
}
