import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { scheduleLoyaltyDaily, requestLoyaltyMetafields } from "~/jobs/catalogue.server";
import { adjustPoints, refreshAccount } from "~/loyalty-models/ledger.server";
import { DEFAULT_POINTS_RULES, earningFor, reversalOwed } from "~/loyalty/points";
import { action } from "~/routes/webhooks.$";
import { toMinorUnits } from "~/money";
import { generateActivity, ManualClock } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { redeliver, shuffled } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { countJobs, deleteJobs } from "../support/jobs";

const clock = new ManualClock(new Date());
const { sandbox, shop } = installTestSandbox({ customers: 30, seed: 9, shopClock: clock.now });
routeWebhooksToApp(action);
const where = { where: { shop: TEST_SHOP } };
const DAY_MS = 86_400_000;
// The app's clock follows the shop's, which the activity moves forward.
const worker = () => testWorker({ now: clock.now });

beforeEach(async () => {
  await openAppAsMerchant();
  // Webhooks only: the install's import is another test's subject.
  await deleteJobs({ shop: TEST_SHOP });
  await prisma.backfill.deleteMany(where);
  await prisma.pointsEntry.deleteMany(where);
  await prisma.loyaltyAccount.deleteMany(where);
  // Everything the sandbox sells from now on earns.
  await prisma.loyaltySettings.upsert({
    where: { shop: TEST_SHOP },
    create: { shop: TEST_SHOP, enabled: true, earnSince: new Date(0), pendingDays: 0 },
    update: { enabled: true, earnSince: new Date(0), pendingDays: 0, expiryMonths: null },
  });
});

/**
 * Each customer's balance. (The entries behind it may differ: an order first seen already cancelled
 * never earned, one seen paid first earned and lost it again.) An empty account is no account.
 */
async function balances() {
  const accounts = await prisma.loyaltyAccount.findMany({
    ...where,
    orderBy: { customerId: "asc" },
    select: { customerId: true, available: true, pending: true },
  });
  return accounts.filter((account) => account.available !== 0 || account.pending !== 0);
}


const orderPaid = (customerId: number, price: string) =>
  shop.createOrder({ customerId, paid: true, lineItems: [{ title: "Linen shirt", sku: "SHIRT-1", quantity: 1, price }] });

async function deliverAndSettle() {
  await sandbox.webhooks(TEST_SHOP).flush();
  await worker().runUntilIdle();
}

async function accountOf(customerId: number) {
  return prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: String(customerId) } } });
}

describe("points ledger", () => {
  // Hundreds of deliveries through the route and the worker: about 22 s alone on SQLite, longer on
  // PostgreSQL (a round trip per statement) and beside other test files.
  it("replayed and shuffled order and refund webhooks give identical balances, and those of the store's orders", { timeout: 120_000 }, async () => {
    generateActivity(shop, { seed: 33, count: 90, advance: clock.advance, meanGapMinutes: 3 });
    const inOrder = await sandbox.webhooks(TEST_SHOP).flush();
    await worker().runUntilIdle();
    const once = await balances();
    expect(once.length).toBeGreaterThan(3);
    // The activity refunded and cancelled some of what it sold.
    expect(await prisma.pointsEntry.count({ where: { shop: TEST_SHOP, kind: "reverse" } })).toBeGreaterThan(0);

    await prisma.$transaction([
      prisma.pointsEntry.deleteMany(where),
      prisma.loyaltyAccount.deleteMany(where),
      prisma.order.deleteMany(where),
      prisma.refund.deleteMany(where),
      prisma.webhookDelivery.deleteMany(where),
    ]);
    const thrice = shuffled([...inOrder, ...inOrder, ...inOrder], 11);
    for (let index = 0; index < thrice.length; index += 20) {
      await redeliver(thrice.slice(index, index + 20), action);
      await worker().runUntilIdle();
    }
    expect(await balances()).toEqual(once);

    // And what the store's orders the activity touched say each customer should have.
    const touched = new Set(
      inOrder.filter((result) => result.delivery.topic.startsWith("orders/")).map((result) => (JSON.parse(result.delivery.body) as { id: number }).id),
    );
    const expected = new Map<string, number>();
    for (const order of shop.orders().filter((candidate) => candidate.customerId !== null && touched.has(candidate.id))) {
      const earning = earningFor(
        {
          id: String(order.id),
          at: new Date(order.processedAt),
          subtotalMinor: toMinorUnits(order.subtotalPrice, "USD"),
          totalMinor: toMinorUnits(order.totalPrice, "USD"),
          financialStatus: order.financialStatus,
          cancelled: false,
          test: order.test,
          minorPerUnit: 100,
        },
        DEFAULT_POINTS_RULES,
      );
      if (!earning) continue;
      const refunded = order.refunds.reduce((sum, refund) => sum + toMinorUnits(refund.totalRefunded, "USD"), 0);
      const net = earning.points - reversalOwed(earning, refunded, order.cancelledAt !== null, 0);
      const key = String(order.customerId);
      expected.set(key, (expected.get(key) ?? 0) + net);
    }
    expect([...expected].filter(([, points]) => points !== 0).length).toBe(once.length);
    for (const account of once)
      expect({ customer: account.customerId, points: account.available }).toEqual({
        customer: account.customerId,
        points: expected.get(account.customerId) ?? 0,
      });
  });

  it("earns on the subtotal of a paid order and takes back exactly the refunded share", async () => {
    const customer = shop.customers()[0]!;
    const order = orderPaid(customer.id, "45.50");
    await deliverAndSettle();
    expect(await accountOf(customer.id)).toMatchObject({ available: 45, pending: 0 });

    shop.createRefund(order.id, { lineItems: [], amount: "10.00" });
    await deliverAndSettle();
    expect((await accountOf(customer.id)).available).toBe(35);

    shop.createRefund(order.id, { lineItems: [], amount: "35.50" });
    await deliverAndSettle();
    expect((await accountOf(customer.id)).available).toBe(0);
    const entries = await prisma.pointsEntry.findMany({ where: { shop: TEST_SHOP, customerId: String(customer.id) }, orderBy: { id: "asc" } });
    expect(entries.map((entry) => [entry.kind, entry.points])).toEqual([
      ["earn", 45],
      ["reverse", -10],
      ["reverse", -35],
    ]);
  });

  it("takes back the rest when an order is cancelled, and never awards an unpaid, test or past order", async () => {
    const customer = shop.customers()[1]!;
    const cancelled = orderPaid(customer.id, "20.00");
    await deliverAndSettle();
    shop.cancelOrder(cancelled.id, "CUSTOMER", { refund: false });
    shop.createOrder({ customerId: customer.id, paid: false, lineItems: [{ title: "Cap", sku: "CAP-1", quantity: 1, price: "30.00" }] });
    shop.createOrder({ customerId: customer.id, paid: true, test: true, lineItems: [{ title: "Cap", sku: "CAP-1", quantity: 1, price: "30.00" }] });
    await deliverAndSettle();
    expect(await accountOf(customer.id)).toMatchObject({ available: 0, pending: 0 });

    // Orders before the programme started earn nothing.
    await prisma.loyaltySettings.update({ where: { shop: TEST_SHOP }, data: { earnSince: new Date(clock.now().getTime() + DAY_MS) } });
    const other = shop.customers()[2]!;
    orderPaid(other.id, "99.00");
    await deliverAndSettle();
    expect(await prisma.loyaltyAccount.count({ where: { shop: TEST_SHOP, customerId: String(other.id) } })).toBe(0);
  });

  it("keeps points pending until the return window has passed", async () => {
    await prisma.loyaltySettings.update({ where: { shop: TEST_SHOP }, data: { pendingDays: 14 } });
    const customer = shop.customers()[3]!;
    orderPaid(customer.id, "60.00");
    await deliverAndSettle();
    expect(await accountOf(customer.id)).toMatchObject({ available: 0, pending: 60 });
    expect(await refreshAccount(prisma, TEST_SHOP, String(customer.id), new Date(clock.now().getTime() + 15 * DAY_MS))).toEqual({ available: 60, pending: 0 });
  });

  it("by default, keeps points pending through a 14-day return window", async () => {
    // A programme turned on with the rules as they come.
    await prisma.loyaltySettings.delete(where);
    await prisma.loyaltySettings.create({ data: { shop: TEST_SHOP, enabled: true, earnSince: new Date(0) } });
    const customer = shop.customers()[8]!;
    orderPaid(customer.id, "45.00");
    await deliverAndSettle();
    expect(await accountOf(customer.id)).toMatchObject({ available: 0, pending: 45 });
    const later = (days: number) => new Date(clock.now().getTime() + days * DAY_MS);
    expect(await refreshAccount(prisma, TEST_SHOP, String(customer.id), later(13))).toEqual({ available: 0, pending: 45 });
    expect(await refreshAccount(prisma, TEST_SHOP, String(customer.id), later(14))).toEqual({ available: 45, pending: 0 });
  });

  it("expires a balance after the quiet months, once", async () => {
    await prisma.loyaltySettings.update({ where: { shop: TEST_SHOP }, data: { expiryMonths: 6 } });
    const customer = shop.customers()[4]!;
    orderPaid(customer.id, "80.00");
    await deliverAndSettle();
    const later = new Date(clock.now().getTime() + 200 * DAY_MS);
    expect(await refreshAccount(prisma, TEST_SHOP, String(customer.id), later)).toEqual({ available: 0, pending: 0 });
    expect(await refreshAccount(prisma, TEST_SHOP, String(customer.id), new Date(later.getTime() + DAY_MS))).toEqual({ available: 0, pending: 0 });
    expect(await prisma.pointsEntry.count({ where: { shop: TEST_SHOP, customerId: String(customer.id), kind: "expire" } })).toBe(1);
  });

  it("applies a merchant adjustment once, however often it is submitted", async () => {
    const customerId = String(shop.customers()[5]!.id);
    await adjustPoints(prisma, TEST_SHOP, customerId, 150, "Apology for a late parcel", "adjustment-1", new Date());
    await adjustPoints(prisma, TEST_SHOP, customerId, 150, "Apology for a late parcel", "adjustment-1", new Date());
    expect(await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId } } })).toMatchObject({ available: 150 });
  });

  it("writes the balance and the next reward to the customer's metafield for the storefront, and rewrites only on change", async () => {
    const customer = shop.customers()[6]!;
    orderPaid(customer.id, "120.00");
    await deliverAndSettle();
    const summary = () => shop.metafieldsOf("CUSTOMER", customer.id).find((field) => field.key === "summary");
    expect(summary()).toMatchObject({ type: "json" });
    expect(JSON.parse(summary()!.value)).toEqual({
      points: 120,
      pending: 0,
      reward_points: 500,
      reward_value_minor: 500,
      points_needed: 380,
      can_redeem: false,
      stage: null,
      referral_code: null,
      referral_url: null,
      friend_discount_percent: 10,
    });
    expect(shop.metafieldDefinitions().filter((definition) => definition.key === "summary")).toHaveLength(1);

    const updatedAt = summary()!.updatedAt;
    await requestLoyaltyMetafields(prisma, TEST_SHOP);
    await worker().runUntilIdle();
    expect(summary()!.updatedAt).toBe(updatedAt);
    expect(await countJobs({ shop: TEST_SHOP, kind: "loyalty-metafields", status: "dead" })).toBe(0);
  });

  it("makes pending points spendable in the daily run, and tells the storefront", async () => {
    await prisma.loyaltySettings.update({ where: { shop: TEST_SHOP }, data: { pendingDays: 7 } });
    const customer = shop.customers()[7]!;
    orderPaid(customer.id, "30.00");
    await deliverAndSettle();
    expect(await accountOf(customer.id)).toMatchObject({ available: 0, pending: 30 });

    await scheduleLoyaltyDaily(prisma, TEST_SHOP, new Date(clock.now().getTime() - 86_400_000));
    await testWorker({ now: () => new Date(clock.now().getTime() + 8 * DAY_MS) }).runUntilIdle();
    expect(await accountOf(customer.id)).toMatchObject({ available: 30, pending: 0 });
    const summary = shop.metafieldsOf("CUSTOMER", customer.id).find((field) => field.key === "summary")!;
    expect(JSON.parse(summary.value)).toMatchObject({ points: 30, pending: 0 });
  });
});
