import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { syncHealth } from "~/sync/health.server";
import { retryFailedDelivery } from "~/webhooks/inbox.server";
import { installTestSandbox } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";
import { testWorker } from "../support/worker";

installTestSandbox({ customers: 5, seed: 17 });
const worker = testWorker();

let installed = false;
beforeEach(async () => {
  if (!installed) {
    installed = true;
    await openAppAsMerchant();
  }
  await prisma.webhookDelivery.deleteMany();
});

async function deliver(topic: string, rawBody: string) {
  const response = await action({ request: signedWebhookRequest({ topic, rawBody }), params: {}, context: {} });
  expect(response.status).toBe(200);
  await worker.runUntilIdle();
  return prisma.webhookDelivery.findFirstOrThrow({ where: { topic } });
}

describe("a delivery that can never succeed", () => {
  it("fails at its first attempt with Shopify's reason when Shopify refuses the id it names, and is not offered for a retry", async () => {
    // Past 64 bits: no id Shopify could hold, so Shopify answers "Invalid global id" every time.
    const delivery = await deliver(
      "refunds/create",
      '{"id":890088186047892319,"order_id":99999999999999999999,"admin_graphql_api_id":"gid://shopify/Refund/890088186047892319"}',
    );
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery.lastError).toMatch(/^AdminApiInvalidArgumentsError: SyncOrderRefunds: .*Invalid global id 'gid:\/\/shopify\/Order\/99999999999999999999'/);

    const { failedDeliveries } = await syncHealth(prisma, TEST_SHOP);
    expect(failedDeliveries).toEqual([expect.objectContaining({ id: delivery.id, reason: delivery.lastError, retryable: false })]);
    expect(await retryFailedDelivery(prisma, TEST_SHOP, delivery.id)).toBe(false);
  });

  it("fails at its first attempt when an id in it was already rounded to a number", async () => {
    // Written as an unsafe number (what a JSON.stringify of a JSON.parse'd payload gives): the digits are gone.
    const delivery = await deliver("customers/redact", `{"shop_domain":"${TEST_SHOP}","customer":{"id":7.064055069303701e17},"orders_to_redact":[]}`);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery.lastError).toMatch(/^ZodError: .*past 2\^53/s);
  });
});
