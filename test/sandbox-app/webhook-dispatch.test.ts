import { API_SECRET_KEY, getHmac } from "@shopify/shopify-api/test-helpers";
import { http, HttpResponse } from "msw";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { API_VERSION } from "~/api-version";
import {
  appUninstalledPayload,
  createWebhookDispatcher,
  ManualClock,
  Random,
  readSubscriptions,
  SandboxShop,
  shopRedactPayload,
  UnsubscribedTopicError,
  type SandboxShopInfo,
  type WebhookDispatcherOptions,
} from "@lifecycle/shopify-sandbox";
import { mswServer } from "../setup/msw";
import { REPO_ROOT } from "../support/paths";

const APP_URL = "http://app.sandbox.test";
const INFO: SandboxShopInfo = {
  domain: "dispatch.myshopify.com",
  name: "Dispatch",
  email: "owner@dispatch.example",
  currencyCode: "USD",
  ianaTimezone: "Europe/Warsaw",
  plan: "STANDARD",
  createdAt: "2026-01-01T00:00:00Z",
};
const subscriptions = readSubscriptions(path.join(REPO_ROOT, "shopify.app.toml"));

interface Received {
  url: string;
  headers: Headers;
  body: string;
}

let shop: SandboxShop;
let received: Received[];
/** What the app answers; by default 200. */
let answer: (request: Received) => number;

beforeEach(() => {
  shop = SandboxShop.empty(INFO, { clock: new ManualClock("2026-11-20T10:00:00Z").now });
  received = [];
  answer = () => 200;
  mswServer.use(
    http.post(`${APP_URL}/webhooks/*`, async ({ request }) => {
      const entry = { url: request.url, headers: request.headers, body: await request.text() };
      received.push(entry);
      return new HttpResponse(null, { status: answer(entry) });
    }),
  );
});

function dispatcher(options: Partial<WebhookDispatcherOptions> = {}) {
  return createWebhookDispatcher({
    shop,
    appUrl: APP_URL,
    apiSecret: API_SECRET_KEY,
    apiVersion: API_VERSION,
    subscriptions,
    random: seeded(1),
    ...options,
  });
}

function seeded(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

const beans = { title: "Beans", sku: "BEAN-HOUSE-250", quantity: 1, price: "14.00" };

describe("readSubscriptions", () => {
  it("reads every topic and compliance topic with its uri", () => {
    expect(subscriptions).toHaveLength(14);
    expect(subscriptions).toContainEqual({ topic: "orders/paid", uri: "/webhooks/orders/paid", compliance: false });
    expect(subscriptions).toContainEqual({ topic: "shop/redact", uri: "/webhooks/shop/redact", compliance: true });
    expect(readSubscriptions(path.join(REPO_ROOT, "shopify.app.toml"), APP_URL)).toContainEqual({
      topic: "orders/paid",
      uri: `${APP_URL}/webhooks/orders/paid`,
      compliance: false,
    });
  });
});

describe("createWebhookDispatcher", () => {
  it("queues the topics of each change and delivers them signed, with Shopify's headers", async () => {
    const webhooks = dispatcher();
    const customer = shop.createCustomer({ firstName: "Ada", email: "ada@example.com" });
    shop.createOrder({ customerId: customer.id, lineItems: [beans], paid: true });
    expect(webhooks.pending().map((delivery) => delivery.topic)).toEqual(["customers/create", "orders/create", "orders/paid"]);

    const results = await webhooks.flush();

    expect(results.map((result) => [result.delivery.topic, result.outcome, result.status, result.attempts])).toEqual([
      ["customers/create", "delivered", 200, 1],
      ["orders/create", "delivered", 200, 1],
      ["orders/paid", "delivered", 200, 1],
    ]);
    expect(webhooks.pending()).toEqual([]);
    expect(received.map((request) => request.url)).toEqual([
      `${APP_URL}/webhooks/customers/create`,
      `${APP_URL}/webhooks/orders/create`,
      `${APP_URL}/webhooks/orders/paid`,
    ]);
    // Shopify's precision (nanoseconds); the order's second event (paid) comes a moment after the first.
    expect(received.map((request) => request.headers.get("x-shopify-triggered-at"))).toEqual([
      "2026-11-20T10:00:00.000000000Z",
      "2026-11-20T10:00:00.001000000Z",
      "2026-11-20T10:00:00.001000000Z",
    ]);
    for (const request of received) {
      expect(request.headers.get("x-shopify-hmac-sha256")).toBe(getHmac(request.body, API_SECRET_KEY));
      expect(request.headers.get("x-shopify-shop-domain")).toBe("dispatch.myshopify.com");
      expect(request.headers.get("x-shopify-api-version")).toBe("2026-07");
      expect(request.headers.get("content-type")).toBe("application/json");
      expect(request.headers.get("x-shopify-webhook-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(request.headers.get("x-shopify-event-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(JSON.parse(received[1]!.body)).toMatchObject({ name: "#1001", financial_status: "paid", created_at: "2026-11-20T11:00:00+01:00" });
    expect(new Set(received.map((request) => request.headers.get("x-shopify-webhook-id"))).size).toBe(3);
    webhooks.close();
  });

  it("sends duplicates with the same webhook and event ids", async () => {
    const webhooks = dispatcher();
    shop.createCustomer({ email: "ada@example.com" });
    shop.createCustomer({ email: "bo@example.com" });

    const results = await webhooks.flush({ duplicates: 1 });

    expect(results.map((result) => result.duplicate)).toEqual([false, true, false, true]);
    const ids = received.map((request) => `${request.headers.get("x-shopify-webhook-id")}/${request.headers.get("x-shopify-event-id")}`);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(ids[0]).not.toBe(ids[2]);
    expect(received[0]!.body).toBe(received[1]!.body);
    webhooks.close();
  });

  it("shuffles the order of deliveries when asked", async () => {
    const webhooks = dispatcher();
    for (let i = 0; i < 12; i++) shop.createCustomer({ email: `c${i}@example.com` });
    const queued = webhooks.pending().map((delivery) => delivery.webhookId);

    await webhooks.flush({ shuffle: true });

    const sent = received.map((request) => request.headers.get("x-shopify-webhook-id"));
    expect(sent).not.toEqual(queued);
    expect([...sent].sort()).toEqual([...queued].sort());
    webhooks.close();
  });

  it("loses the deliveries it is told to drop", async () => {
    const webhooks = dispatcher();
    shop.createOrder({ customerId: null, lineItems: [beans], paid: true });

    const results = await webhooks.flush({ drop: (delivery) => delivery.topic === "orders/paid" });

    expect(results.map((result) => [result.delivery.topic, result.outcome])).toEqual([
      ["orders/paid", "dropped"],
      ["orders/create", "delivered"],
    ]);
    expect(received.map((request) => request.headers.get("x-shopify-topic"))).toEqual(["orders/create"]);
    webhooks.close();
  });

  it("retries a delivery the app did not accept, with the same webhook id", async () => {
    const webhooks = dispatcher({ retries: 3, retryDelayMs: () => 1 });
    shop.createCustomer({ email: "ada@example.com" });
    answer = () => (received.length < 3 ? 500 : 200);

    const [result] = await webhooks.flush();

    expect(result).toMatchObject({ outcome: "delivered", status: 200, attempts: 3 });
    expect(new Set(received.map((request) => request.headers.get("x-shopify-webhook-id"))).size).toBe(1);
    webhooks.close();
  });

  it("gives up after the last retry and reports the failure", async () => {
    const webhooks = dispatcher({ retries: 2, retryDelayMs: () => 1 });
    shop.createCustomer({ email: "ada@example.com" });
    answer = () => 401;

    const [result] = await webhooks.flush();

    expect(result).toMatchObject({ outcome: "failed", status: 401, attempts: 3 });
    expect(received).toHaveLength(3);
    webhooks.close();
  });

  it("counts a network error as a failed attempt", async () => {
    const failing: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const webhooks = dispatcher({ fetch: failing, retries: 1, retryDelayMs: () => 1 });
    shop.createCustomer({ email: "ada@example.com" });

    const [result] = await webhooks.flush();

    expect(result).toMatchObject({ outcome: "failed", status: null, attempts: 2, error: "fetch failed" });
    webhooks.close();
  });

  it("sends hand-triggered topics at once, and refuses topics the app did not subscribe to", async () => {
    const webhooks = dispatcher();
    const [redact] = await webhooks.send("shop/redact", shopRedactPayload(shop));
    await webhooks.send("app/uninstalled", appUninstalledPayload(shop));

    expect(redact).toMatchObject({ outcome: "delivered", status: 200 });
    expect(received.map((request) => request.url)).toEqual([`${APP_URL}/webhooks/shop/redact`, `${APP_URL}/webhooks/app/uninstalled`]);
    expect(JSON.parse(received[0]!.body)).toEqual({ shop_id: expect.any(Number), shop_domain: "dispatch.myshopify.com" });
    await expect(webhooks.send("products/create", {})).rejects.toThrow(UnsubscribedTopicError);
    webhooks.close();
  });

  it("delivers on its own after each change in autoFlush mode, and stops when closed", async () => {
    const results: string[] = [];
    const webhooks = dispatcher({ autoFlush: { delayMs: 5 }, onResult: (result) => results.push(result.delivery.topic) });
    shop.createCustomer({ email: "ada@example.com" });
    await webhooks.idle();

    expect(results).toEqual(["customers/create"]);
    expect(received).toHaveLength(1);

    webhooks.close();
    shop.createCustomer({ email: "bo@example.com" });
    await webhooks.idle();
    expect(received).toHaveLength(1);
  });

  it("repeats its ids for the same seed", async () => {
    const ids = async () => {
      shop = SandboxShop.empty(INFO, { clock: new ManualClock("2026-11-20T10:00:00Z").now });
      const webhooks = dispatcher();
      shop.createCustomer({ email: "ada@example.com" });
      const id = webhooks.pending()[0]!.webhookId;
      webhooks.close();
      return id;
    };
    expect(await ids()).toBe(await ids());
  });
});
