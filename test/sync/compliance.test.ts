import { Prisma } from "@prisma/client";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { markAdvocate } from "~/lifecycle-store/advocates.server";
import { action } from "~/routes/webhooks.$";
import { customersDataRequestPayload, customersRedactPayload, orderPayload, shopRedactPayload } from "../sandbox/webhooks/payloads";
import { installTestSandbox, routeWebhooksToApp } from "../sandbox/testing";
import { openAppAsMerchant } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { forgetShop, runBackfill, shopScope } from "./support";

const { sandbox, shop } = installTestSandbox({ customers: 40, seed: 31 });
routeWebhooksToApp(action);
const worker = testWorker();
const OTHER_SHOP = "other-shop.myshopify.com";

/** Another shop's copy of the same ids: compliance requests for TEST_SHOP must not touch it. */
async function seedOtherShop(customerId: string, orderId: string) {
  const at = new Date("2026-01-01T00:00:00Z");
  await prisma.customer.create({
    data: { shop: OTHER_SHOP, id: customerId, createdAt: at, updatedAt: at, state: "ENABLED", email: "other@example.com", observedAt: at },
  });
  await prisma.order.create({
    data: {
      shop: OTHER_SHOP,
      id: orderId,
      customerId,
      name: "#1",
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      financialStatus: "PAID",
      test: false,
      currencyCode: "USD",
      subtotalMinor: 100,
      totalMinor: 100,
      observedAt: at,
    },
  });
  await prisma.refund.create({ data: { shop: OTHER_SHOP, id: "1", orderId, createdAt: at, amountMinor: 50 } });
}

async function deliver(topic: string, body: object) {
  const response = await action({ request: signedWebhookRequest({ topic, body }), params: {}, context: {} });
  expect(response.status).toBe(200);
  await worker.runUntilIdle();
}

/** A customer with orders and at least one refund, so every kind of row is involved. */
function customerWithRefund() {
  const customer = shop.customers().find((candidate) => shop.ordersOfCustomer(candidate.id).some((order) => order.refunds.length > 0))!;
  return { customer, orders: shop.ordersOfCustomer(customer.id) };
}

beforeEach(async () => {
  await forgetShop();
  await openAppAsMerchant();
  await runBackfill(sandbox, shop);
});

describe("compliance webhooks", () => {
  it("customers/redact erases that customer's data and history, keeps everyone else's, and a late delivery does not bring it back", async () => {
    const { customer, orders } = customerWithRefund();
    const customerId = String(customer.id);
    const orderIds = orders.map((order) => String(order.id));
    await seedOtherShop(customerId, orderIds[0]!);
    // A processed delivery about the customer holds their personal data too.
    await deliver("orders/updated", orderPayload(shop, orders[0]!));
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
    const before = { customers: await prisma.customer.count(shopScope), orders: await prisma.order.count(shopScope) };
    expect(await prisma.customerLifecycle.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
    expect(await prisma.stageChange.count({ where: { shop: TEST_SHOP, customerId } })).toBeGreaterThan(0);
    await markAdvocate(prisma, TEST_SHOP, customerId, true);

    await deliver("customers/redact", customersRedactPayload(shop, customer));

    expect(await prisma.customer.count({ where: { shop: TEST_SHOP, id: customerId } })).toBe(0);
    expect(await prisma.order.count({ where: { shop: TEST_SHOP, id: { in: orderIds } } })).toBe(0);
    expect(await prisma.refund.count({ where: { shop: TEST_SHOP, orderId: { in: orderIds } } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, customerId, topic: { not: "customers/redact" } } })).toBe(0);
    expect(await prisma.customerLifecycle.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
    expect(await prisma.stageChange.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
    expect(await prisma.advocateMark.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
    expect(await prisma.customer.count(shopScope)).toBe(before.customers - 1);
    expect(await prisma.order.count(shopScope)).toBe(before.orders - orderIds.length);
    expect(await prisma.customer.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect(await prisma.order.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect(await prisma.refund.count({ where: { shop: OTHER_SHOP } })).toBe(1);

    // Shopify may still deliver an older update for one of those orders: it stays erased.
    await deliver("orders/updated", orderPayload(shop, orders[0]!));
    expect(await prisma.order.count({ where: { shop: TEST_SHOP, id: { in: orderIds } } })).toBe(0);
  });

  it("customers/data_request records the request with exactly the data we hold about that customer", async () => {
    const { customer, orders } = customerWithRefund();
    await seedOtherShop(String(customer.id), String(orders[0]!.id));

    await deliver("customers/data_request", customersDataRequestPayload(shop, customer, { dataRequestId: 77 }));

    const request = await prisma.dataRequest.findFirstOrThrow(shopScope);
    expect(request).toMatchObject({ customerId: String(customer.id), shopifyRequestId: "77" });
    expect(request.completedAt).not.toBeNull();
    const exported = JSON.parse(request.export!) as { customer: { id: string; email: string }; orders: { id: string; refunds: { amountMinor: number }[] }[] };
    expect(exported.customer).toMatchObject({ id: String(customer.id), email: customer.email });
    expect(exported.orders.map((order) => order.id).sort()).toEqual(orders.map((order) => String(order.id)).sort());
    expect(exported.orders.flatMap((order) => order.refunds)).toHaveLength(orders.reduce((sum, order) => sum + order.refunds.length, 0));
    expect(request.export).not.toContain("other@example.com");
  });

  it("shop/redact erases every row of the shop in every table, and nothing of another shop", async () => {
    const someCustomer = shop.customers()[0]!;
    await seedOtherShop(String(someCustomer.id), String(shop.orders()[0]!.id));
    await deliver("customers/data_request", customersDataRequestPayload(shop, someCustomer, { dataRequestId: 1 }));
    await deliver("customers/redact", customersRedactPayload(shop, shop.customers()[1]!));

    for (const held of [prisma.customer, prisma.order, prisma.refund, prisma.backfill, prisma.dataRequest, prisma.deletedRecord, prisma.session] as {
      count(args: object): Promise<number>;
    }[]) {
      expect(await held.count(shopScope)).toBeGreaterThan(0);
    }

    await deliver("shop/redact", shopRedactPayload(shop));

    // Every model with a shop column, so a table added later cannot be forgotten here.
    for (const model of Prisma.dmmf.datamodel.models.filter((candidate) => candidate.fields.some((field) => field.name === "shop"))) {
      const table = Prisma.raw(`"${model.dbName ?? model.name}"`);
      const [mine] = await prisma.$queryRaw<{ count: number }[]>`SELECT COUNT(*) AS "count" FROM ${table} WHERE "shop" = ${TEST_SHOP}`;
      expect({ model: model.name, rows: Number(mine!.count) }).toEqual({ model: model.name, rows: 0 });
    }
    expect(await prisma.customer.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect(await prisma.order.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  });
});
