import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import prisma, { bulkWriterFor } from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { BACKFILL_JOB } from "~/jobs/catalogue.server";
import { backfillJobWithBatchSize, backfillProgress, startBackfill } from "~/sync/backfill.server";
import { bulkOperationsSettled, failNextBulkOperation, holdBulkQueries, orderPayload } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { expectStoreMirrored, forgetShop, runBackfill, settledBulkExports, shopScope } from "./support";
import { countJobs, findJobs, limitAttempts } from "../support/jobs";

const { sandbox, shop } = installTestSandbox({ customers: 90, seed: 11 });
routeWebhooksToApp(action);

const where = shopScope;

beforeEach(forgetShop);
afterEach(() => vi.restoreAllMocks());

const snapshot = async () => ({
  customers: await prisma.customer.findMany({ ...where, orderBy: { id: "asc" } }),
  orders: await prisma.order.findMany({ ...where, orderBy: { id: "asc" } }),
  refunds: await prisma.refund.findMany({ ...where, orderBy: { id: "asc" } }),
});

describe("backfill", () => {
  it("on install, brings every customer, order and refund of the store in by bulk operations, with progress", async () => {
    await openAppAsMerchant();
    const backfill = await runBackfill(sandbox, shop);

    expect(backfill).toMatchObject({
      status: "completed",
      method: "bulk",
      trigger: "install",
      customersDone: shop.customers().length,
      ordersDone: shop.orders().length,
    });
    expect(backfill.queryCost).toBeGreaterThan(0);
    expect(backfillProgress(backfill, new Date())).toMatchObject({
      done: shop.customers().length + shop.orders().length,
      total: shop.customers().length + shop.orders().length,
    });
    await expectStoreMirrored(shop);

    // Running it again, finished, changes nothing.
    const before = await snapshot();
    await startBackfill(prisma, TEST_SHOP, "manual");
    expect(await runBackfill(sandbox, shop)).toMatchObject({ status: "completed", trigger: "manual" });
    expect(await snapshot()).toEqual(before);
  });

  it("asks for the orders export with the customers', so that Shopify prepares it while customers are written", async () => {
    const before = shop.bulkOperations().length;
    await openAppAsMerchant();
    const release = holdBulkQueries(shop);
    const worker = testWorker({ handlers: { [BACKFILL_JOB]: backfillJobWithBatchSize(25) } });
    await worker.runUntilIdle(); // both exports asked for; the job waits for the customers'
    release();
    const started = shop.bulkOperations().slice(before);
    expect(started.map((operation) => operation.query)).toEqual([expect.stringContaining("customers"), expect.stringContaining("orders")]);
    const waiting = await prisma.backfill.findFirstOrThrow(where);
    expect(waiting).toMatchObject({ phase: "customers", ordersBulkOperationId: `gid://shopify/BulkOperation/${started[1]!.id}` });

    const backfill = await runBackfill(sandbox, shop);
    expect(backfill).toMatchObject({ status: "completed", method: "bulk", ordersBulkOperationId: null });
    // The orders phase took up the export asked for early, and asked for no other.
    expect(shop.bulkOperations().length - before).toBe(2);
    await expectStoreMirrored(shop);
  });

  it("takes up the orders export asked for early when the customers' was already done at the job's first look", async () => {
    const before = shop.bulkOperations().length;
    await openAppAsMerchant();
    const backfill = await runBackfill(sandbox, shop, { adminFor: settledBulkExports(shop) });
    expect(backfill).toMatchObject({ status: "completed", method: "bulk" });
    expect(shop.bulkOperations().length - before).toBe(2);
    await expectStoreMirrored(shop);
  });

  it("when the shop runs no second export at once, asks for the orders' when their phase begins", async () => {
    await openAppAsMerchant();
    // Other exports of the shop take four of its five places: the customers' takes the last one.
    const others = Array.from({ length: 4 }, () => shop.createBulkOperation({ type: "QUERY", query: "{ products { edges { node { id } } } }" }));
    const before = shop.bulkOperations().length;
    const release = holdBulkQueries(shop);
    const worker = testWorker({ handlers: { [BACKFILL_JOB]: backfillJobWithBatchSize(25) } });
    await worker.runUntilIdle();
    release();
    expect(shop.bulkOperations().length - before).toBe(1);
    expect(await prisma.backfill.findFirstOrThrow(where)).toMatchObject({ ordersBulkOperationId: null });
    for (const other of others) shop.updateBulkOperation(other.id, { status: "CANCELED" });

    const backfill = await runBackfill(sandbox, shop);
    expect(backfill).toMatchObject({ status: "completed", method: "bulk" });
    expect(shop.bulkOperations().length - before).toBe(2);
    await expectStoreMirrored(shop);
  });

  it("killed halfway and restarted, ends with exactly the store's counts", async () => {
    await openAppAsMerchant();
    const release = holdBulkQueries(shop);
    const first = testWorker({ handlers: { [BACKFILL_JOB]: backfillJobWithBatchSize(25) } });
    await first.runUntilIdle(); // starts the bulk export; the job waits for it
    release();
    await bulkOperationsSettled(shop);
    await sandbox.webhooks(TEST_SHOP).flush();
    // The first process dies during its third batch: the transaction never commits, the job keeps its lease.
    // (Counted from here: the webhook inbox above writes through the same connection.)
    // (The writer of each dialect: the job's guarded client writes through the one of its base client.)
    let transactions = 0;
    const writer = bulkWriterFor(prisma);
    const transaction = writer.transaction.bind(writer);
    const committed: Promise<unknown>[] = [];
    const dying = vi.spyOn(writer, "transaction").mockImplementation((write, options) => {
      transactions += 1;
      // From the third on nothing returns (on PostgreSQL the fourth batch is read while the third would commit).
      if (transactions >= 3) return new Promise(() => {});
      const commit = transaction(write, options);
      committed.push(commit);
      return commit;
    });
    void first.runUntilIdle(); // never returns: the process "dies" in its third batch
    for (let tries = 0; tries < 200 && transactions < 3; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(transactions).toBeGreaterThanOrEqual(3);
    expect(committed).toHaveLength(2);
    // (On PostgreSQL the third batch is read while the second commits.)
    await Promise.all(committed);
    dying.mockRestore();
    const halfway = await prisma.backfill.findFirstOrThrow(where);
    expect(halfway).toMatchObject({ status: "running", phase: "customers", customersDone: 50, linesDone: 50 });
    expect(await prisma.customer.count(where)).toBe(50);

    // A new process, after the dead one's lease ran out, takes the job over and resumes at line 51.
    const later = () => new Date(Date.now() + 5 * 60_000);
    const backfill = await runBackfill(sandbox, shop, { now: later });
    expect(backfill).toMatchObject({ status: "completed", customersDone: shop.customers().length, ordersDone: shop.orders().length });
    await expectStoreMirrored(shop);
  });

  it("falls back to paginated queries when a bulk operation fails", async () => {
    await openAppAsMerchant();
    failNextBulkOperation(shop, "INTERNAL_SERVER_ERROR");
    const backfill = await runBackfill(sandbox, shop);

    expect(backfill.status).toBe("completed");
    expect(backfill.lastError).toMatch(/FAILED/);
    await expectStoreMirrored(shop);
  });

  it("ends as failed, with its reason, when Shopify stays unreachable through every attempt", async () => {
    await openAppAsMerchant();
    await limitAttempts(BACKFILL_JOB, 3);
    let clockMs = Date.now();
    const unreachable = testWorker({ now: () => new Date(clockMs), adminFor: () => Promise.reject(new TypeError("fetch failed")) });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await unreachable.runUntilIdle();
      clockMs += 2 * 3600_000;
    }
    expect(await findJobs({ kind: BACKFILL_JOB })).toMatchObject([{ status: "dead", attempts: 3 }]);
    expect(await prisma.backfill.findFirstOrThrow(where)).toMatchObject({ status: "failed", lastError: "fetch failed" });
  });

  it("stops when the app is uninstalled: the import is cancelled and later order deliveries are not applied", async () => {
    await openAppAsMerchant();
    const uninstall = await action({ request: signedWebhookRequest({ topic: "app/uninstalled", body: { id: 1 } }), params: {}, context: {} });
    expect(uninstall.status).toBe(200);
    const worker = testWorker();
    await worker.runUntilIdle();
    expect(await prisma.backfill.findFirstOrThrow(where)).toMatchObject({ status: "cancelled" });
    expect(await countJobs({ shop: TEST_SHOP, status: ["queued", "running"] })).toBe(0);

    await action({ request: signedWebhookRequest({ topic: "orders/create", body: orderPayload(shop, shop.orders()[0]!) }), params: {}, context: {} });
    await worker.runUntilIdle();
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { topic: "orders/create" } })).toMatchObject({ status: "skipped" });
    expect(await prisma.order.count(where)).toBe(0);
  });
});
