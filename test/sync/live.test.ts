import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { toMinorUnits } from "~/money";
import { generateActivity, ManualClock } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { redeliver, shuffled } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { deleteJobs } from "../support/jobs";

// The shop's clock moves with its activity (minutes between events); tokens keep real time.
const clock = new ManualClock(new Date());
const { sandbox, shop } = installTestSandbox({ customers: 30, seed: 3, shopClock: clock.now });
routeWebhooksToApp(action);
const worker = testWorker();

const where = { where: { shop: TEST_SHOP } };

async function syncedData() {
  return {
    customers: await prisma.customer.findMany({ ...where, orderBy: { id: "asc" }, omit: { observedAt: true } }),
    orders: await prisma.order.findMany({ ...where, orderBy: { id: "asc" }, omit: { observedAt: true } }),
    refunds: await prisma.refund.findMany({ ...where, orderBy: { id: "asc" } }),
    deleted: await prisma.deletedRecord.findMany({ ...where, orderBy: [{ kind: "asc" }, { id: "asc" }] }),
  };
}

async function forgetSyncedData() {
  await prisma.$transaction([
    prisma.customer.deleteMany(where),
    prisma.order.deleteMany(where),
    prisma.refund.deleteMany(where),
    prisma.deletedRecord.deleteMany(where),
    prisma.webhookDelivery.deleteMany(where),
  ]);
}


// About 600 deliveries through the route and the worker, each a few statements: 15 s alone on
// SQLite, 30 s on PostgreSQL (a round trip per statement), more beside other test files.
const LIVE_SYNC_TIMEOUT_MS = 120_000;

describe("live sync from webhooks", () => {
  it("delivering every webhook three times, shuffled, gives exactly the database that delivering each once in order gives — and it matches the store", { timeout: LIVE_SYNC_TIMEOUT_MS }, async () => {
    await openAppAsMerchant();
    // Only webhooks here: the backfill the install queued is the subject of another test.
    await deleteJobs({ shop: TEST_SHOP });
    await prisma.backfill.deleteMany(where);

    generateActivity(shop, { seed: 21, count: 80, advance: clock.advance, meanGapMinutes: 3 });
    const inOrder = await sandbox.webhooks(TEST_SHOP).flush();
    expect(inOrder.every((result) => result.outcome === "delivered")).toBe(true);
    expect(new Set(inOrder.map((result) => result.delivery.topic))).toEqual(
      new Set(["customers/create", "customers/update", "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create"]),
    );
    await worker.runUntilIdle();
    const once = await syncedData();
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, status: { not: "processed" } } })).toBe(0);

    await forgetSyncedData();
    const thrice = shuffled([...inOrder, ...inOrder, ...inOrder], 7);
    // Processed as they come, interleaved with the arrivals, like the live worker does.
    for (let index = 0; index < thrice.length; index += 25) {
      await redeliver(thrice.slice(index, index + 25), action);
      await worker.runUntilIdle();
    }
    expect(await syncedData()).toEqual(once);

    // And it is the store's truth: every order the activity touched, as the sandbox holds it now.
    const touched = new Set(inOrder.filter((result) => result.delivery.topic.startsWith("orders/")).map((result) => (JSON.parse(result.delivery.body) as { id: number }).id));
    expect(once.orders.length).toBe(touched.size);
    for (const order of once.orders) {
      const truth = shop.order(Number(order.id))!;
      expect(order).toMatchObject({
        financialStatus: truth.financialStatus,
        cancelledAt: truth.cancelledAt ? new Date(truth.cancelledAt) : null,
        totalMinor: toMinorUnits(truth.totalPrice, "USD"),
        customerId: truth.customerId === null ? null : String(truth.customerId),
      });
      const refunded = once.refunds.filter((refund) => refund.orderId === order.id).reduce((sum, refund) => sum + refund.amountMinor, 0);
      expect(refunded).toBe(truth.refunds.reduce((sum, refund) => sum + toMinorUnits(refund.totalRefunded, "USD"), 0));
    }
    for (const customer of once.customers) {
      const truth = shop.customer(Number(customer.id))!;
      expect(customer).toMatchObject({ email: truth.email, tags: truth.tags.join(", "), state: truth.state, updatedAt: new Date(truth.updatedAt) });
    }
  });
});
