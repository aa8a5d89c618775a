import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { PrismaBulkWriter } from "~/sqlite-bulk-writer.server";
import { createInboxWriter, type IncomingDelivery } from "~/webhooks/inbox.server";
import { signedWebhookRequest, type WebhookRequestOptions } from "../support/webhooks";
import { testWorker } from "../support/worker";

const post = (options: WebhookRequestOptions = {}) =>
  action({ request: signedWebhookRequest(options), params: {}, context: {} });

describe("webhook route", () => {
  it("stores a valid delivery with its ids, time and exact body, then answers 200", async () => {
    const body = { id: 820982911946154500, admin_graphql_api_id: "gid://shopify/Order/820982911946154508", note: "é ✓" };
    const response = await post({ topic: "orders/paid", body, webhookId: "wh-valid", eventId: "ev-valid", triggeredAt: "2026-11-20T10:00:00.000Z" });

    expect(response.status).toBe(200);
    const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-valid" } });
    expect(stored).toMatchObject({
      shop: TEST_SHOP,
      topic: "orders/paid",
      eventId: "ev-valid",
      apiVersion: "2026-07",
      status: "pending",
      payload: JSON.stringify(body),
    });
    expect(stored.triggeredAt?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
  });

  it("answers 401 to a tampered body and stores nothing", async () => {
    const response = await post({ webhookId: "wh-tampered", tamper: (raw) => raw.replace("Order/1", "Order/2") });
    expect(response.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-tampered" } })).toBe(0);
  });

  it("answers 401 to a body signed with another secret", async () => {
    const response = await post({ webhookId: "wh-wrong-secret", secret: "not-the-app-secret" });
    expect(response.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-wrong-secret" } })).toBe(0);
  });

  it.each(["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"])(
    "answers 400 when %s is missing",
    async (header) => {
      const before = await prisma.webhookDelivery.count();
      const response = await post({ omitHeaders: [header] });
      expect(response.status).toBe(400);
      expect(await prisma.webhookDelivery.count()).toBe(before);
    },
  );

  it("answers 400 when the signature header is missing", async () => {
    const response = await post({ omitHeaders: ["X-Shopify-Hmac-Sha256"] });
    expect(response.status).toBe(400);
  });

  it("acknowledges a duplicate delivery without storing it twice", async () => {
    const first = await post({ webhookId: "wh-duplicate", body: { id: 7 } });
    const second = await post({ webhookId: "wh-duplicate", body: { id: 7 } });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-duplicate" } })).toBe(1);
  });

  it("keeps an authentic delivery that is not JSON, marked failed with the reason", async () => {
    const response = await post({ webhookId: "wh-malformed", rawBody: "{not json" });
    expect(response.status).toBe(200);
    // Intake reads only the payloads that name their shop; processing finds this one unreadable, at once.
    await testWorker().runUntilIdle();
    const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-malformed" } });
    expect(stored.status).toBe("failed");
    expect(stored.payload).toBe("{not json");
    expect(stored.lastError).toMatch(/not valid JSON/);
  });

  it("answers 405 to anything but POST", async () => {
    const request = new Request(signedWebhookRequest().url, { method: "GET" });
    const response = await action({ request, params: {}, context: {} }).catch((thrown: unknown) => thrown as Response);
    expect(response.status).toBe(405);
  });
});

describe("webhook route under concurrent load", () => {
  it("stores exactly the distinct deliveries of 1,000 concurrent posts with duplicates among them", async () => {
    const distinctIds = Array.from({ length: 700 }, (_, index) => `wh-load-${index}`);
    // 300 repeats of ids already in the batch, interleaved, as Shopify's retries would be.
    const ids = [...distinctIds, ...distinctIds.slice(0, 300)].sort(() => Math.random() - 0.5);
    const responses = await Promise.all(ids.map((webhookId, index) => post({ webhookId, body: { id: index } })));

    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: { startsWith: "wh-load-" } } })).toBe(distinctIds.length);
  });
});

describe("the inbox on a database that is not a local SQLite file (a remote libsql URL)", () => {
  it("stores each distinct delivery of a batch once through Prisma, and tells the new ones from the duplicates", async () => {
    const inbox = createInboxWriter(prisma, new PrismaBulkWriter(prisma));
    const delivery = (webhookId: string): IncomingDelivery => ({
      shop: TEST_SHOP,
      topic: "orders/create",
      webhookId,
      eventId: null,
      triggeredAt: null,
      apiVersion: "2026-07",
      payload: `{"id":${webhookId.length}}`,
    });
    await inbox.store(delivery("wh-remote-0"));
    const results = await Promise.all(["wh-remote-1", "wh-remote-0", "wh-remote-2", "wh-remote-1"].map((id) => inbox.store(delivery(id))));

    expect(results.map((result) => result.outcome)).toEqual(["stored", "duplicate", "stored", "duplicate"]);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: { startsWith: "wh-remote-" } } })).toBe(3);
  });
});
