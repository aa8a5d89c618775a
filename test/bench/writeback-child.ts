/**
 * The write-back benchmark's measured side, in a process of its own (the app reads its database and
 * credentials from the environment at import). A generated sandbox shop is installed for real
 * (session token, token exchange, afterAuth), imported, placed and written back once; then store
 * activity arrives as webhooks, the daily recompute runs, and the next write-back is measured: the
 * Admin API points it spends against the least that writing only the changed customers with the
 * cheapest mutations could cost.
 */
import { bulkOperationsSettled, generateShopData, Sandbox } from "@lifecycle/shopify-sandbox";
import { appFromToml } from "../support/sandbox-app";

const SHOP = "writeback-bench.myshopify.com";
const SANDBOX_ORIGIN = "https://sandbox.bench.invalid";
const appUrl = process.env.SHOPIFY_APP_URL!;
const customers = Number(process.env.BENCH_CUSTOMERS);
const buyers = Number(process.env.BENCH_BUYERS);
// What Shopify charges for any mutation, whatever its input.
const MUTATION_POINTS = 10;
const METAFIELDS_PER_CALL = 25;

// Webhooks go straight to the app's route; Admin API calls and bulk files to the sandbox. Set before the app is loaded.
const webhookRoute: { action?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> } = {};
const sandbox = new Sandbox({
  app: appFromToml({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl }),
  publicUrl: SANDBOX_ORIGIN,
  fetch: (input, init) => webhookRoute.action!({ request: new Request(input, init), params: {}, context: {} }),
});
const nativeFetch = globalThis.fetch;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  const host = new URL(request.url).hostname;
  return host.endsWith(".myshopify.com") || request.url.startsWith(SANDBOX_ORIGIN) ? sandbox.handle(request) : nativeFetch(request);
};

const { default: prisma } = await import("~/db.server");
const { authenticate, unauthenticated } = await import("~/shopify.server");
const { createAdminApi } = await import("~/admin-api/client.server");
const { JOB_HANDLERS } = await import("~/app-worker.server");
const { createWorker } = await import("~/jobs/worker.server");
const { webhookInbox } = await import("~/webhooks/process.server");
const { requestRecompute, RECOMPUTE_JOB, requestWriteBack, WRITE_BACK_JOB } = await import("~/jobs/catalogue.server");
const { lifecycleSettings } = await import("~/lifecycle-models/settings.server");
const { planWriteBack } = await import("~/write-back/write-back.server");
webhookRoute.action = (await import("~/routes/webhooks.$")).action;

const shop = sandbox.addShop(generateShopData({ seed: 7, customers, now: new Date(), domain: SHOP, name: "Write-back Bench" }));
sandbox.install(SHOP);

// Every Admin API point the app spends, by whoever spends it.
let points = 0;
const adminFor = async (domain: string, onCost?: (points: number) => void) => {
  const { admin } = await unauthenticated.admin(domain);
  return createAdminApi(admin.graphql, {
    onCost: (_operation, cost) => {
      points += cost.actualQueryCost ?? cost.requestedQueryCost;
      onCost?.(cost.actualQueryCost ?? cost.requestedQueryCost);
    },
  });
};
const worker = (handlers = {}) =>
  createWorker({ context: { db: prisma, now: () => new Date(), adminFor }, handlers: { ...JOB_HANDLERS, ...handlers }, inbox: webhookInbox });

/** Runs the worker, letting bulk operations finish and webhooks arrive, until no work is left. */
async function settle(handlers = {}) {
  for (let round = 0; round < 200; round += 1) {
    await worker(handlers).runUntilIdle();
    await bulkOperationsSettled(shop);
    const delivered = await sandbox.webhooks(SHOP).flush();
    const waiting = await prisma.job.count({
      where: { shop: SHOP, status: { in: ["queued", "running"] }, runAt: { lte: new Date() }, kind: { notIn: [RECOMPUTE_JOB] } },
    });
    const writing = await prisma.writeBackRun.count({ where: { shop: SHOP, status: "running" } });
    const backfilling = await prisma.backfill.count({ where: { shop: SHOP, status: "running" } });
    if (delivered.length === 0 && waiting === 0 && writing === 0 && backfilling === 0) return;
    // A bulk write looks again after its poll interval; give it a moment.
    if (writing > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const jobs = await prisma.job.findMany({
    where: { shop: SHOP, status: { in: ["queued", "running"] } },
    select: { kind: true, status: true, runAt: true, lastError: true },
  });
  const backfill = await prisma.backfill.findFirst({ where: { shop: SHOP }, orderBy: { id: "desc" } });
  throw new Error(`the app did not settle: ${JSON.stringify({ jobs, backfill })}`);
}

// Install as a merchant would: the admin loads the app with a session token; afterAuth starts the import.
const token = sandbox.sessionToken(SHOP);
await authenticate.admin(
  new Request(`${appUrl}/app`, { headers: { Authorization: `Bearer ${token}`, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" } }),
);
await settle();
await prisma.lifecycleSettings.update({ where: { shop: SHOP }, data: { writeBackApprovedAt: new Date() } });
await requestWriteBack(prisma, SHOP);
await settle();
const firstRunPoints = points;

// A day of activity: some customers buy. Write-back waits until the daily recompute has run.
const skipWriteBack = { [WRITE_BACK_JOB]: async () => {} };
const buyerIds = shop
  .customers()
  .filter((_, index) => index % Math.max(1, Math.floor(customers / buyers)) === 0)
  .slice(0, buyers);
for (const customer of buyerIds)
  shop.createOrder({ customerId: customer.id, paid: true, lineItems: [{ title: "Wool socks", sku: "SOCK-1", quantity: 2, price: "14.00" }] });
await settle(skipWriteBack);
await requestRecompute(prisma, SHOP);
await prisma.job.updateMany({ where: { shop: SHOP, kind: RECOMPUTE_JOB }, data: { runAt: new Date() } });
await worker(skipWriteBack).runUntilIdle();

// What the least possible write costs: for each changed customer one tagsAdd and/or one tagsRemove,
// and the changed metafields packed 25 to a metafieldsSet (and deletions 25 to a metafieldsDelete).
const settings = await lifecycleSettings(prisma, SHOP);
const { tags, metafields } = await planWriteBack(prisma, SHOP, settings, "due");
const changed = new Set([...tags.map((entry) => entry.customerId), ...metafields.map((entry) => entry.customerId)]).size;
const fieldsSet = metafields.reduce((sum, entry) => sum + entry.set.length, 0);
const fieldsDeleted = metafields.reduce((sum, entry) => sum + entry.remove.length, 0);
const minPoints =
  MUTATION_POINTS * tags.reduce((sum, entry) => sum + (entry.add.length ? 1 : 0) + (entry.remove.length ? 1 : 0), 0) +
  MUTATION_POINTS * (Math.ceil(fieldsSet / METAFIELDS_PER_CALL) + Math.ceil(fieldsDeleted / METAFIELDS_PER_CALL));

// The write-back alone: webhooks are held back (and bulk_operations/finish stood in for) until it is done.
points = 0;
await requestWriteBack(prisma, SHOP);
const writeBackOnly = {
  ...Object.fromEntries(Object.keys(JOB_HANDLERS).map((kind) => [kind, async () => {}])),
  [WRITE_BACK_JOB]: JOB_HANDLERS[WRITE_BACK_JOB]!,
};
for (let round = 0; ; round += 1) {
  if (round > 100) throw new Error("the write-back did not finish");
  await worker(writeBackOnly).runUntilIdle();
  await bulkOperationsSettled(shop);
  if ((await prisma.writeBackRun.count({ where: { shop: SHOP, status: "running" } })) === 0) break;
  await requestWriteBack(prisma, SHOP);
}
const apiPoints = points;
const runs = await prisma.writeBackRun.findMany({
  where: { shop: SHOP },
  orderBy: { id: "desc" },
  take: 6,
  select: { kind: true, mode: true, customers: true, queryCost: true },
});

// Our own writes come back as customers/update webhooks; what re-reading those costs, reported apart.
points = 0;
await settle();
const echoPoints = points;

await prisma.$disconnect();
process.send?.({
  customers,
  buyers: buyerIds.length,
  changed,
  fields_set: fieldsSet,
  fields_deleted: fieldsDeleted,
  api_points: apiPoints,
  min_points: minPoints,
  echo_points: echoPoints,
  first_run_points: firstRunPoints,
  runs,
});
