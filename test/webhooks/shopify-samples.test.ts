import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import { operationName } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { adminForShop } from "~/app-worker.server";
import { action } from "~/routes/webhooks.$";
import { readSubscriptions } from "@lifecycle/shopify-sandbox";
import { installTestSandbox } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { REPO_ROOT } from "../support/paths";
import { signedWebhookRequest } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { SAMPLE_TOPICS, shopifySample } from "./shopify-samples";

installTestSandbox({ customers: 10, seed: 13 });

// Every Admin API call the worker makes, with its variables: what the app asked Shopify for.
const calls: { operation: string; variables: Record<string, unknown> | undefined }[] = [];
const worker = testWorker({
  adminFor: async (shop, onCost) => {
    const api = await adminForShop(shop, onCost);
    return {
      request: (document, variables) => {
        calls.push({ operation: operationName(document), variables });
        return api.request(document, variables);
      },
    };
  },
});

let installed = false;
beforeEach(async () => {
  calls.length = 0;
  if (installed) return;
  installed = true;
  await openAppAsMerchant();
});

/** A sample sent as "Send test notification" sends it: Shopify's body, signed, to the real route. */
async function sendSample(topic: string) {
  const response = await action({
    request: signedWebhookRequest({ topic, rawBody: shopifySample(topic, TEST_SHOP), webhookId: `sample-${topic}` }),
    params: {},
    context: {},
  });
  expect(response.status, topic).toBe(200);
}

describe("Shopify's own 2026-07 sample payloads, through the real webhook route and the worker", () => {
  it("there is a sample for every topic the app subscribes to", () => {
    const subscribed = readSubscriptions(`${REPO_ROOT}/shopify.app.toml`).map((subscription) => subscription.topic);
    expect([...SAMPLE_TOPICS].sort()).toEqual([...subscribed].sort());
  });

  it("each is processed once, none is retried or dead-lettered, and the ids asked of Shopify are the sample's, exactly", async () => {
    // Some samples erase what others left: customers/redact the deliveries about its customer,
    // app/uninstalled stops the shop's other topics, shop/redact erases the shop. They come last.
    const last = ["customers/redact", "app/uninstalled", "shop/redact"];
    const topics = SAMPLE_TOPICS.filter((topic) => !last.includes(topic));
    for (const topic of topics) await sendSample(topic);
    await worker.runUntilIdle();

    const deliveries = await prisma.webhookDelivery.findMany({ where: { shop: TEST_SHOP, webhookId: { startsWith: "sample-" } }, orderBy: { id: "asc" } });
    expect(deliveries.map(({ topic, status, attempts, lastError }) => ({ topic, status, attempts, lastError }))).toEqual(
      topics.map((topic) => ({ topic, status: "processed", attempts: 1, lastError: null })),
    );
    expect(calls).toContainEqual({ operation: "SyncOrderRefunds", variables: { id: "gid://shopify/Order/820982911946154508" } });
    expect(calls).toContainEqual({ operation: "SyncCustomer", variables: { id: "gid://shopify/Customer/706405506930370084" } });
    // The sample order is kept under its own id and its customer's, not rounded ones.
    expect(await prisma.order.findUnique({ where: { shop_id: { shop: TEST_SHOP, id: "820982911946154508" } }, select: { customerId: true } })).toEqual({
      customerId: "115310627314723954",
    });
    expect(await prisma.dataRequest.findFirst({ where: { shop: TEST_SHOP }, select: { customerId: true, shopifyRequestId: true } })).toEqual({
      customerId: "191167",
      shopifyRequestId: "9999",
    });

    // Each of the last ones settles at its first attempt (processed, or erased by its own processing).
    for (const topic of last) {
      await sendSample(topic);
      await worker.runUntilIdle();
      const delivery = await prisma.webhookDelivery.findUnique({ where: { webhookId: `sample-${topic}` } });
      if (delivery) expect({ topic, status: delivery.status, attempts: delivery.attempts, lastError: delivery.lastError }).toEqual({ topic, status: "processed", attempts: 1, lastError: null });
      expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, status: { not: "processed" } } }), topic).toBe(0);
    }
    // shop/redact erased the shop.
    expect(await prisma.shop.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});
