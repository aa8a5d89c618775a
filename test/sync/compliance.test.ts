import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import { CUSTOMER_TABLES } from "~/compliance/customer-data.server";
import prisma from "~/db.server";
import { markAdvocate } from "~/lifecycle-models/advocates.server";
import { recomputeShop } from "~/lifecycle-models/recompute.server";
import { action } from "~/routes/webhooks.$";
import { appUninstalledPayload, customerPayload, customersDataRequestPayload, customersRedactPayload, orderPayload, refundPayload, type SandboxCustomer, shopRedactPayload } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { archiveFinishedPgBossJobs, onPgBoss, pgBossRowsOf } from "../support/jobs";
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

async function deliver(topic: string, body: object, options: { triggeredAt?: Date } = {}) {
  const request = signedWebhookRequest({ topic, body, ...(options.triggeredAt ? { triggeredAt: options.triggeredAt.toISOString() } : {}) });
  const response = await action({ request, params: {}, context: {} });
  expect(response.status).toBe(200);
  await worker.runUntilIdle();
}

/** A customer with orders and at least one refund, so every kind of row is involved. */
function customerWithRefund() {
  const customer = shop.customers().find((candidate) => shop.ordersOfCustomer(candidate.id).some((order) => order.refunds.length > 0))!;
  return { customer, orders: shop.ordersOfCustomer(customer.id) };
}

/** Stores a signed delivery through the real route without processing it, then puts it in the state given (as a worker would have left it). */
async function storeDelivery(topic: string, body: object, state: Prisma.WebhookDeliveryUpdateInput) {
  const webhookId = randomUUID();
  const response = await action({ request: signedWebhookRequest({ topic, body, webhookId }), params: {}, context: {} });
  expect(response.status).toBe(200);
  return prisma.webhookDelivery.update({ where: { webhookId }, data: state });
}

const inAnHour = () => new Date(Date.now() + 60 * 60 * 1000);
/** The states a delivery can be in when a compliance request comes: none of them processed by us yet. */
const UNPROCESSED_STATES: Record<string, Prisma.WebhookDeliveryUpdateInput> = {
  // Waiting for its retry after a failed attempt.
  pending: { attempts: 1, availableAt: inAnHour(), lastError: "Error: Shopify unreachable" },
  // Held by another worker right now.
  processing: { status: "processing", attempts: 1, lockedBy: "another-worker", lockedUntil: inAnHour() },
  // Arrived while the shop was uninstalled.
  skipped: { status: "skipped", processedAt: new Date(), lastError: "Shop uninstalled" },
  // Dead-lettered: never processed, so never stamped with its customer.
  failed: { status: "failed", attempts: 5, lastError: "Error: Shopify unreachable" },
};

/** A guest order (no customer), as the sandbox's checkout makes it, delivered to the app and processed. */
async function guestOrder() {
  const template = shop.orders()[0]!;
  const order = shop.createOrder({ customerId: null, lineItems: template.lineItems.map(({ id: _id, ...item }) => item), paid: true });
  await sandbox.webhooks(TEST_SHOP).flush();
  await worker.runUntilIdle();
  return order;
}

const CUSTOMER_COLUMNS = ["customerId", "referrerId", "friendId"];
/** Every table and column holding a customer's id, read from the Prisma schema: a table added later is in here too. */
const customerColumns = () =>
  Prisma.dmmf.datamodel.models.flatMap((model) =>
    model.fields.filter((field) => CUSTOMER_COLUMNS.includes(field.name)).map((field) => ({ model: model.name as Prisma.ModelName, column: field.name })),
  );

async function rowsAbout(model: string, column: string, customerId: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ count: number | bigint }[]>`SELECT COUNT(*) AS "count" FROM ${Prisma.raw(`"${model}"`)} WHERE "shop" = ${TEST_SHOP} AND ${Prisma.raw(`"${column}"`)} = ${customerId}`;
  return Number(row!.count);
}

/**
 * A customer with rows in every table that can hold a customer's data, each made the way the app
 * makes it where that is cheap (deliveries through the signed route, the advocate mark), else written
 * as the app writes it (ledger, redemption, referral code, referrals).
 */
async function customerEverywhere() {
  const { customer, orders } = customerWithRefund();
  const customerId = String(customer.id);
  const friend = shop.customers().find((candidate) => candidate.id !== customer.id && shop.ordersOfCustomer(candidate.id).length > 0)!;
  const friendOrder = shop.ordersOfCustomer(friend.id)[0]!;
  await deliver("orders/updated", orderPayload(shop, orders[0]!));
  await markAdvocate(prisma, TEST_SHOP, customerId, true);
  await worker.runUntilIdle();
  const at = new Date();
  await prisma.pointsEntry.create({
    data: { shop: TEST_SHOP, customerId, source: "adjustment", sourceId: "welcome", kind: "adjust", points: 700, at, availableAt: at, reason: "Welcome gift" },
  });
  await prisma.pointsEntry.create({ data: { shop: TEST_SHOP, customerId, source: "redemption", sourceId: "1", kind: "redeem", points: -500, at, availableAt: at } });
  await prisma.loyaltyAccount.upsert({
    where: { shop_customerId: { shop: TEST_SHOP, customerId } },
    create: { shop: TEST_SHOP, customerId, available: 200 },
    update: { available: 200 },
  });
  await prisma.redemption.create({
    data: { shop: TEST_SHOP, customerId, points: 500, valueMinor: 500, currencyCode: "USD", code: "REWARD-EXPORTME", status: "issued" },
  });
  await prisma.referralCode.upsert({
    where: { shop_customerId: { shop: TEST_SHOP, customerId } },
    create: { shop: TEST_SHOP, customerId, code: "ADVOCATE-REF" },
    update: { code: "ADVOCATE-REF" },
  });
  await prisma.referral.create({
    data: { shop: TEST_SHOP, code: "ADVOCATE-REF", referrerId: customerId, friendId: String(friend.id), orderId: String(friendOrder.id), channel: "discount_code", status: "rewarded" },
  });
  await prisma.referral.create({
    data: { shop: TEST_SHOP, code: "FRIEND-REF", referrerId: String(friend.id), friendId: customerId, orderId: String(orders[0]!.id), channel: "landing_site", status: "held" },
  });
  await deliver("customers/data_request", customersDataRequestPayload(shop, customer, { dataRequestId: 5 }));
  return { customer, customerId, orders, friend };
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

  it("customers/redact erases the customer from every table, and every delivery about them whatever its status, exactly: no one else's", async () => {
    const { customer, customerId, orders, friend } = await customerEverywhere();
    const guest = await guestOrder();
    // Deliveries about them in each state a delivery can be in before we process it, of each kind of topic.
    const aboutThem = [
      await storeDelivery("orders/updated", orderPayload(shop, orders[0]!), UNPROCESSED_STATES.pending!),
      await storeDelivery("customers/update", customerPayload(shop, customer), UNPROCESSED_STATES.processing!),
      await storeDelivery("refunds/create", refundPayload(shop, orders.find((order) => order.refunds.length > 0)!, orders.find((order) => order.refunds.length > 0)!.refunds[0]!), UNPROCESSED_STATES.skipped!),
      await storeDelivery("orders/paid", orderPayload(shop, orders[0]!), UNPROCESSED_STATES.failed!),
      await storeDelivery("orders/updated", orderPayload(shop, guest), UNPROCESSED_STATES.failed!),
    ];
    // Someone else's unprocessed delivery that merely contains the customer's id as text must stay.
    const someoneElse: SandboxCustomer = { ...friend, note: `Referred by customer ${customerId}` };
    const kept = await storeDelivery("customers/update", customerPayload(shop, someoneElse), UNPROCESSED_STATES.pending!);
    const others = { customers: await prisma.customer.count(shopScope), orders: await prisma.order.count(shopScope) };
    for (const { model, column } of customerColumns()) {
      if (model !== "Referral") expect({ model, rows: await rowsAbout(model, column, customerId) }).not.toEqual({ model, rows: 0 });
    }

    const redactBody = customersRedactPayload(shop, customer, { orderIds: [...orders.map((order) => order.id), guest.id] });
    await deliver("customers/redact", redactBody);

    // Every table with a customer column holds nothing of them; only the redact request stays (the record of the erasure).
    for (const { model, column } of customerColumns()) {
      const left = model === "WebhookDelivery" ? await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, customerId, topic: { not: "customers/redact" } } }) : await rowsAbout(model, column, customerId);
      expect({ model, column, rows: left }).toEqual({ model, column, rows: 0 });
    }
    const orderIds = [...orders.map((order) => String(order.id)), String(guest.id)];
    expect(await prisma.customer.count({ where: { shop: TEST_SHOP, id: customerId } })).toBe(0);
    expect(await prisma.order.count({ where: { shop: TEST_SHOP, id: { in: orderIds } } })).toBe(0);
    expect(await prisma.refund.count({ where: { shop: TEST_SHOP, orderId: { in: orderIds } } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { id: { in: aboutThem.map((delivery) => delivery.id) } } })).toBe(0);
    // The guest order's own deliveries (orders/create, orders/paid) went too.
    const deliveries = await prisma.webhookDelivery.findMany(shopScope);
    for (const delivery of deliveries) {
      expect(delivery.payload).not.toContain(customer.email!);
      expect(JSON.parse(delivery.payload)).not.toMatchObject({ id: guest.id });
    }
    // The redact delivery itself keeps who and what was erased, not their email or phone.
    const redact = deliveries.find((delivery) => delivery.topic === "customers/redact")!;
    expect(JSON.parse(redact.payload)).toEqual({ shop_id: redactBody.shop_id, shop_domain: TEST_SHOP, customer: { id: customer.id }, orders_to_redact: redactBody.orders_to_redact });
    // Everyone else keeps everything.
    expect(await prisma.webhookDelivery.findUnique({ where: { id: kept.id } })).toMatchObject({ status: "pending", payload: kept.payload });
    expect(await prisma.customer.count(shopScope)).toBe(others.customers - 1);
    expect(await prisma.order.count(shopScope)).toBe(others.orders - orderIds.length);
    expect(await prisma.customer.count({ where: { shop: TEST_SHOP, id: String(friend.id) } })).toBe(1);
  });

  it("a delivery about a redacted customer that arrives afterwards is erased as soon as it is processed or skipped", async () => {
    const { customer, orders } = customerWithRefund();
    await deliver("customers/redact", customersRedactPayload(shop, customer));

    // Shopify retries an older update, and the customer's details change once more before Shopify forgets them.
    await deliver("orders/updated", orderPayload(shop, orders[0]!));
    await deliver("customers/update", customerPayload(shop, customer));
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, topic: { in: ["orders/updated", "customers/update"] } } })).toBe(0);
    expect(await prisma.order.count({ where: { shop: TEST_SHOP, id: String(orders[0]!.id) } })).toBe(0);

    // The same once the shop has uninstalled the app (deliveries are skipped, not processed).
    await deliver("app/uninstalled", appUninstalledPayload(shop));
    await deliver("orders/updated", orderPayload(shop, orders[0]!));
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, topic: "orders/updated" } })).toBe(0);
  });

  it("a recompute running while the customer is redacted writes nothing of them back", async () => {
    const { customer } = customerWithRefund();
    const customerId = String(customer.id);
    // As on the first recompute after an import: nothing stored yet, so every customer is written.
    await prisma.$transaction([
      prisma.customerLifecycle.deleteMany(shopScope),
      prisma.stageChange.deleteMany(shopScope),
      prisma.dailyTransition.deleteMany(shopScope),
      prisma.dailyStageCount.deleteMany(shopScope),
    ]);
    // The redact runs (through the webhook route and the worker) after the recompute has read the
    // customers and before its first write.
    let redactedBetween = false;
    const racing = new Proxy(prisma, {
      get(target, property) {
        if (property === "$transaction") {
          return async (...args: Parameters<PrismaClient["$transaction"]>) => {
            if (!redactedBetween) {
              redactedBetween = true;
              await deliver("customers/redact", customersRedactPayload(shop, customer));
            }
            return (target.$transaction as (...a: unknown[]) => unknown)(...args);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });

    const result = await recomputeShop(racing, TEST_SHOP, new Date());

    expect(redactedBetween).toBe(true);
    expect(result.customers).toBe(shop.customers().length);
    expect(await prisma.customerLifecycle.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
    expect(await prisma.stageChange.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
    // The day's counts are of the customers still held: everyone but them, each placed once.
    const held = await prisma.customer.count(shopScope);
    expect(held).toBe(shop.customers().length - 1);
    const counted = await prisma.dailyStageCount.aggregate({ where: shopScope.where, _sum: { customers: true } });
    const moved = await prisma.dailyTransition.aggregate({ where: shopScope.where, _sum: { customers: true } });
    expect({ counted: counted._sum.customers, moved: moved._sum.customers, history: await prisma.stageChange.count(shopScope) }).toEqual({
      counted: held,
      moved: held,
      history: held,
    });
  });

  it("customers/data_request records the request with exactly the data we hold about that customer", async () => {
    const { customer, orders } = customerWithRefund();
    await seedOtherShop(String(customer.id), String(orders[0]!.id));

    await deliver("customers/data_request", customersDataRequestPayload(shop, customer, { dataRequestId: 77 }));

    const request = await prisma.dataRequest.findFirstOrThrow(shopScope);
    expect(request).toMatchObject({ customerId: String(customer.id), shopifyRequestId: "77" });
    expect(request.completedAt).not.toBeNull();
    const exported = JSON.parse(request.export!) as { profile: { id: string; email: string }[]; orders: { id: string }[]; refunds: { amountMinor: number }[] };
    expect(exported.profile).toEqual([expect.objectContaining({ id: String(customer.id), email: customer.email })]);
    expect(exported.orders.map((order) => order.id).sort()).toEqual(orders.map((order) => String(order.id)).sort());
    expect(exported.refunds).toHaveLength(orders.reduce((sum, order) => sum + order.refunds.length, 0));
    expect(request.export).not.toContain("other@example.com");
  });

  it("customers/data_request exports every row of every table that holds the customer's data, their deliveries of any status included", async () => {
    const { customer, customerId, orders, friend } = await customerEverywhere();
    await seedOtherShop(customerId, String(orders[0]!.id));
    // Deliveries about them that were never processed: found by reading their payloads.
    const unprocessed = [
      await storeDelivery("orders/updated", orderPayload(shop, orders[0]!), UNPROCESSED_STATES.pending!),
      await storeDelivery("customers/update", customerPayload(shop, customer), UNPROCESSED_STATES.failed!),
    ];
    // A guest order Shopify names in the request.
    const guest = await guestOrder();

    const requestBody = customersDataRequestPayload(shop, customer, { dataRequestId: 78, orderIds: [...orders.map((order) => order.id), guest.id] });
    await deliver("customers/data_request", requestBody);

    const request = await prisma.dataRequest.findFirstOrThrow({ where: { shop: TEST_SHOP, shopifyRequestId: "78" } });
    const exported = JSON.parse(request.export!) as Record<string, Record<string, unknown>[]>;

    // Every table with a customer column is exported (a table added later and left out fails here).
    for (const { model, column } of customerColumns()) {
      const covered = CUSTOMER_TABLES.filter((table) => table.model === model && (!("column" in table.subject) || table.subject.column === column));
      expect({ model, column, covered: covered.length }).toEqual({ model, column, covered: 1 });
    }
    for (const model of ["Customer", "Refund"]) expect(CUSTOMER_TABLES.map((table) => table.model)).toContain(model);

    // Each section holds exactly the customer's rows, and the customer has rows in every one.
    const orderIds = [...orders.map((order) => String(order.id)), String(guest.id)];
    const expected: Record<string, number> = {
      profile: 1,
      orders: orderIds.length,
      refunds: await prisma.refund.count({ where: { shop: TEST_SHOP, orderId: { in: orderIds } } }),
      // The orders/updated processed before, the earlier data request, the two never processed, and
      // the guest order's orders/create and orders/paid.
      deliveries: 6,
      // The earlier request: this one is recorded with its export.
      dataRequests: 1,
    };
    for (const table of CUSTOMER_TABLES) {
      const count = expected[table.section] ?? ("column" in table.subject ? await rowsAbout(table.model, table.subject.column, customerId) : undefined);
      expect({ section: table.section, rows: exported[table.section]?.length }).toEqual({ section: table.section, rows: count });
      expect({ section: table.section, rows: count }).not.toEqual({ section: table.section, rows: 0 });
    }
    expect(exported.profile![0]).toMatchObject({ id: customerId, email: customer.email, firstName: customer.firstName });
    expect(exported.orders!.map((order) => order.id).sort()).toEqual(orderIds.sort());
    expect(exported.lifecycle![0]).toMatchObject({ customerId, stage: (await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, customerId } })).stage });
    expect(exported.pointsLedger!.map((entry) => entry.points)).toEqual([700, -500]);
    expect(exported.redemptions![0]).toMatchObject({ code: "REWARD-EXPORTME", points: 500 });
    expect(exported.referralCodes![0]).toMatchObject({ code: "ADVOCATE-REF" });
    expect(exported.referralsAsReferrer![0]).toMatchObject({ friendId: String(friend.id) });
    expect(exported.referralsAsFriend![0]).toMatchObject({ referrerId: String(friend.id) });
    // Raw deliveries are embedded as the JSON Shopify sent (what is still held of it).
    const deliveries = exported.deliveries!;
    expect(deliveries.map((delivery) => delivery.webhookId)).toEqual(expect.arrayContaining(unprocessed.map((delivery) => delivery.webhookId)));
    const failed = deliveries.find((delivery) => delivery.webhookId === unprocessed[1]!.webhookId)!;
    expect(failed.payload).toMatchObject({ id: customer.id, email: customer.email });
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

    // On pg-boss the shop's jobs live in pg-boss's tables, finished ones in its archive.
    if (onPgBoss()) {
      await archiveFinishedPgBossJobs();
      const held = await pgBossRowsOf(TEST_SHOP);
      expect(held.job).toBeGreaterThan(0);
      expect(held.archive).toBeGreaterThan(0);
    }

    await deliver("shop/redact", shopRedactPayload(shop));

    expect(await pgBossRowsOf(TEST_SHOP)).toEqual({ job: 0, archive: 0 });
    // Every model with a shop column, so a table added later cannot be forgotten here.
    for (const model of Prisma.dmmf.datamodel.models.filter((candidate) => candidate.fields.some((field) => field.name === "shop"))) {
      const table = Prisma.raw(`"${model.dbName ?? model.name}"`);
      const [mine] = await prisma.$queryRaw<{ count: number }[]>`SELECT COUNT(*) AS "count" FROM ${table} WHERE "shop" = ${TEST_SHOP}`;
      expect({ model: model.name, rows: Number(mine!.count) }).toEqual({ model: model.name, rows: 0 });
    }
    expect(await prisma.customer.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect(await prisma.order.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  });

  it("shop/redact is ignored, and recorded, when the shop installed the app again after the request was made", async () => {
    const hour = 60 * 60 * 1000;
    const uninstalledAt = new Date(Date.now() - 2 * hour);
    await deliver("app/uninstalled", appUninstalledPayload(shop), { triggeredAt: uninstalledAt });
    // The merchant comes back; the erasure Shopify asked for before that arrives late.
    await openAppAsMerchant();
    const before = { customers: await prisma.customer.count(shopScope), orders: await prisma.order.count(shopScope), sessions: await prisma.session.count(shopScope) };
    expect(before.customers).toBeGreaterThan(0);

    await deliver("shop/redact", shopRedactPayload(shop), { triggeredAt: new Date(uninstalledAt.getTime() + hour) });

    expect({ customers: await prisma.customer.count(shopScope), orders: await prisma.order.count(shopScope), sessions: await prisma.session.count(shopScope) }).toEqual(before);
    const redact = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: TEST_SHOP, topic: "shop/redact" } });
    expect(redact.status).toBe("skipped");
    expect(redact.lastError).toMatch(/^Ignored: the shop installed the app again on .+, after this request/);
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).uninstalledAt).toBeNull();
  });
});
