import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { generateActivity } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";

const { sandbox, shop } = installTestSandbox({ customers: 50, seed: 5 });
routeWebhooksToApp(action);

describe("store activity delivered by the sandbox to the real webhook route", () => {
  it("stores each distinct delivery once, byte for byte, however often and in whatever order it arrives", async () => {
    generateActivity(shop, { seed: 9, count: 40 });
    const results = await sandbox.webhooks(TEST_SHOP).flush({ duplicates: 0.5, shuffle: true });

    expect(results.every((result) => result.outcome === "delivered" && result.status === 200)).toBe(true);
    const sent = new Map(results.map((result) => [result.delivery.webhookId, result.delivery]));
    expect(results.length).toBeGreaterThan(sent.size);

    const stored = await prisma.webhookDelivery.findMany({ where: { shop: TEST_SHOP } });
    expect(stored).toHaveLength(sent.size);
    for (const row of stored) {
      const delivery = sent.get(row.webhookId)!;
      expect({ topic: row.topic, eventId: row.eventId, payload: row.payload }).toEqual({
        topic: delivery.topic,
        eventId: delivery.eventId,
        payload: delivery.body,
      });
    }
    expect(new Set(stored.map((row) => row.topic))).toEqual(new Set(results.map((result) => result.delivery.topic)));
  });
});
