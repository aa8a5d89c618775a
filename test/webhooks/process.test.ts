import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { Session } from "@shopify/shopify-api";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { sessionStorage } from "~/shopify.server";
import { recordInstallation } from "~/shops/installation.server";
import { claimDelivery, MAX_ATTEMPTS, retryFailedDelivery } from "~/webhooks/inbox.server";
import { signedWebhookRequest, type WebhookRequestOptions } from "../support/webhooks";
import { testWorker } from "../support/worker";

const worker = testWorker();

const deliver = async (options: WebhookRequestOptions) => {
  const response = await action({ request: signedWebhookRequest(options), params: {}, context: {} });
  expect(response.status).toBe(200);
  await worker.runUntilIdle();
};

async function installShop(at: Date) {
  await recordInstallation(prisma, TEST_SHOP, "read_customers", at);
  const session = new Session({ id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", isOnline: false, accessToken: "shpat_x", scope: "read_customers" });
  await sessionStorage.storeSession(session);
}

describe("inbox processing of app and compliance topics", () => {
  beforeEach(async () => {
    await prisma.webhookDelivery.deleteMany();
    await prisma.session.deleteMany();
    await prisma.shop.deleteMany();
  });

  it("app/uninstalled removes the shop's sessions and marks it uninstalled", async () => {
    await installShop(new Date("2026-11-01T00:00:00Z"));
    await deliver({ topic: "app/uninstalled", body: { id: 1, domain: TEST_SHOP }, triggeredAt: "2026-11-20T00:00:00.000Z" });

    expect(await sessionStorage.findSessionsByShop(TEST_SHOP)).toEqual([]);
    expect(await sessionStorage.loadSession(`offline_${TEST_SHOP}`)).toBeUndefined();
    const shop = await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(shop.uninstalledAt?.toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect(await prisma.webhookDelivery.findFirst()).toMatchObject({ status: "processed", attempts: 1 });
  });

  it("a late app/uninstalled from before the latest install changes nothing", async () => {
    await installShop(new Date("2026-11-21T00:00:00Z"));
    await deliver({ topic: "app/uninstalled", body: { id: 1 }, triggeredAt: "2026-11-20T00:00:00.000Z" });

    expect(await sessionStorage.findSessionsByShop(TEST_SHOP)).toHaveLength(1);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({ uninstalledAt: null });
  });

  it("app/scopes_update keeps the stored scope in line with what was granted", async () => {
    await installShop(new Date("2026-11-01T00:00:00Z"));
    await deliver({ topic: "app/scopes_update", body: { id: 1, previous: ["read_customers"], current: ["read_customers", "read_orders"], updated_at: "2026-11-20T00:00:00Z" } });

    expect((await sessionStorage.loadSession(`offline_${TEST_SHOP}`))?.scope).toBe("read_customers,read_orders");
  });

  it("shop/redact erases everything of the shop and nothing of another", async () => {
    await installShop(new Date("2026-11-01T00:00:00Z"));
    await deliver({ topic: "app/scopes_update", shop: "other-shop.myshopify.com", body: { current: ["read_orders"] } });
    await deliver({ topic: "shop/redact", body: { shop_id: 1, shop_domain: TEST_SHOP } });

    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.shop.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop: "other-shop.myshopify.com" } })).toBe(1);
  });

  it("a payload that does not fit its topic fails with the reason, visible, and is not retried", async () => {
    await deliver({ topic: "app/scopes_update", body: { current: "not-a-list" } });

    const stored = await prisma.webhookDelivery.findFirstOrThrow();
    expect(stored.status).toBe("failed");
    expect(stored.lastError).toMatch(/current/);
  });

  it("an order payload missing what we need fails at once with the reason, and nothing of it is written", async () => {
    await deliver({ topic: "orders/paid", body: { id: 9 } });
    const stored = await prisma.webhookDelivery.findFirstOrThrow();
    expect(stored).toMatchObject({ status: "failed", attempts: 1 });
    expect(stored.lastError).toMatch(/admin_graphql_api_id/);
    expect(await prisma.order.count()).toBe(0);
  });

  it("a shop/redact naming another shop than the one it was delivered for erases nothing: it is refused at the door and recorded", async () => {
    await installShop(new Date("2026-11-01T00:00:00Z"));
    const response = await action({
      request: signedWebhookRequest({ topic: "shop/redact", body: { shop_id: 2, shop_domain: "someone-else.myshopify.com" } }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(400);
    await worker.runUntilIdle();

    expect(await prisma.shop.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect(await prisma.webhookDelivery.count()).toBe(0);
    expect(await prisma.refusedWebhook.findFirstOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({ topic: "shop/redact", namedShop: "someone-else.myshopify.com" });
  });

  it("retries a delivery that fails for a passing reason with backoff, and dead-letters it after MAX_ATTEMPTS", async () => {
    let nowMs = Date.now();
    const unreachable = testWorker({ now: () => new Date(nowMs), adminFor: () => Promise.reject(new TypeError("fetch failed")) });
    const response = await action({
      request: signedWebhookRequest({ topic: "customers/update", body: { id: 5, admin_graphql_api_id: "gid://shopify/Customer/5" } }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);

    await unreachable.runUntilIdle();
    let stored = await prisma.webhookDelivery.findFirstOrThrow();
    expect(stored).toMatchObject({ status: "pending", attempts: 1, lastError: "TypeError: fetch failed" });
    expect(stored.availableAt!.getTime()).toBeGreaterThan(nowMs);
    expect(await unreachable.runUntilIdle()).toBe(0);

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      nowMs = stored.availableAt!.getTime();
      await unreachable.runUntilIdle();
      stored = await prisma.webhookDelivery.findFirstOrThrow();
    }
    expect(stored).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastError: "TypeError: fetch failed" });
  });

  it("takes over a delivery whose worker died mid-way once its lease has run out", async () => {
    await installShop(new Date("2026-11-01T00:00:00Z"));
    const response = await action({ request: signedWebhookRequest({ topic: "app/scopes_update", body: { current: ["read_orders"] } }), params: {}, context: {} });
    expect(response.status).toBe(200);
    const claimed = await claimDelivery(prisma, "died", new Date(), new Date(Date.now() + 60_000));
    expect(claimed?.status).toBe("processing");

    expect(await testWorker().runUntilIdle()).toBe(0);
    await testWorker({ now: () => new Date(Date.now() + 61_000) }).runUntilIdle();
    expect(await prisma.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "processed", attempts: 2 });
    expect((await sessionStorage.loadSession(`offline_${TEST_SHOP}`))?.scope).toBe("read_orders");
  });

  it("fails a delivery whose worker died on each of its MAX_ATTEMPTS attempts at the next claim, without processing it; the shop's other deliveries go on", async () => {
    await installShop(new Date("2026-11-01T00:00:00Z"));
    let nowMs = Date.now();
    const store = async (options: WebhookRequestOptions) => expect((await action({ request: signedWebhookRequest(options), params: {}, context: {} })).status).toBe(200);
    await store({ topic: "app/scopes_update", body: { current: ["read_orders"] } });

    // Each time, a process claims the delivery and dies with it (it never finishes); its lease runs out.
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      expect(await claimDelivery(prisma, `process-${attempt}`, new Date(nowMs), new Date(nowMs + 60_000))).toMatchObject({ attempts: attempt });
      nowMs += 61_000;
    }
    await store({ topic: "app/scopes_update", body: { current: ["read_customers", "read_orders"] } });

    await testWorker({ now: () => new Date(nowMs) }).runUntilIdle();
    const [abandoned, next] = await prisma.webhookDelivery.findMany({ orderBy: { id: "asc" } });
    expect(abandoned).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lockedBy: null });
    expect(abandoned!.lastError).toMatch(new RegExp(`^Abandoned: its worker stopped before finishing on each of its ${MAX_ATTEMPTS} attempts`));
    expect(next).toMatchObject({ status: "processed", attempts: 1 });
    expect((await sessionStorage.loadSession(`offline_${TEST_SHOP}`))?.scope).toBe("read_customers,read_orders");
    // It used up its attempts, so the merchant may have it processed again.
    expect(await retryFailedDelivery(prisma, TEST_SHOP, abandoned!.id)).toBe(true);
  });
});

describe("64-bit ids in compliance payloads", () => {
  beforeEach(async () => {
    await prisma.webhookDelivery.deleteMany();
    await prisma.customer.deleteMany();
    await prisma.order.deleteMany();
    await prisma.dataRequest.deleteMany();
  });

  const at = new Date("2026-01-01T00:00:00Z");
  const customer = (id: string) => prisma.customer.create({ data: { shop: TEST_SHOP, id, createdAt: at, updatedAt: at, state: "ENABLED", email: `${id}@example.com`, observedAt: at } });
  const order = (id: string, customerId: string | null) =>
    prisma.order.create({
      data: { shop: TEST_SHOP, id, customerId, name: `#${id}`, createdAt: at, processedAt: at, updatedAt: at, financialStatus: "PAID", test: false, currencyCode: "USD", subtotalMinor: 100, totalMinor: 100, observedAt: at },
    });
  // What String(JSON.parse(id)) made of these ids: 706405506930370084 → …370000, 820982911946154508 → …154500.
  const exact = { customer: "706405506930370084", guestOrder: "820982911946154508" };
  const rounded = { customer: "706405506930370000", guestOrder: "820982911946154500" };

  it("customers/redact erases the customer and the guest orders it names, not the records their rounded ids name", async () => {
    for (const ids of [exact, rounded]) {
      await customer(ids.customer);
      await order(ids.guestOrder, null);
    }
    await deliver({
      topic: "customers/redact",
      rawBody: `{"shop_id":954889,"shop_domain":"${TEST_SHOP}","customer":{"id":${exact.customer},"email":"bob@biller.com"},"orders_to_redact":[${exact.guestOrder}]}`,
    });

    expect(await prisma.webhookDelivery.count({ where: { status: { in: ["failed", "pending"] } } })).toBe(0);
    expect((await prisma.customer.findMany({ select: { id: true } })).map((row) => row.id)).toEqual([rounded.customer]);
    expect((await prisma.order.findMany({ select: { id: true } })).map((row) => row.id)).toEqual([rounded.guestOrder]);
  });

  it("customers/data_request exports the customer it names, under its exact id and Shopify's exact request id", async () => {
    await customer(exact.customer);
    await customer(rounded.customer);
    await order(exact.guestOrder, exact.customer);
    await deliver({
      topic: "customers/data_request",
      rawBody: `{"shop_id":954889,"shop_domain":"${TEST_SHOP}","customer":{"id":${exact.customer}},"orders_requested":[${exact.guestOrder}],"data_request":{"id":9007199254740993}}`,
    });

    const request = await prisma.dataRequest.findFirstOrThrow();
    expect({ customerId: request.customerId, shopifyRequestId: request.shopifyRequestId }).toEqual({ customerId: exact.customer, shopifyRequestId: "9007199254740993" });
    expect(request.export).toContain(`${exact.customer}@example.com`);
    expect(request.export).not.toContain(`${rounded.customer}@example.com`);
  });
});
