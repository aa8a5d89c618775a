import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { adminForShop } from "~/app-worker.server";
import type { WorkContext } from "~/jobs/types";
import { webhookInbox } from "~/webhooks/process.server";
import { action } from "~/routes/webhooks.$";
import { MAX_ATTEMPTS, retryFailedDelivery } from "~/webhooks/inbox.server";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { installTestSandbox } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";
import { deleteJobs, onPgBoss } from "../support/jobs";
import { testWorker } from "../support/worker";
import { TEST_ON_POSTGRES } from "../setup/database";

/*
 * The webhook inbox on pg-boss (PostgreSQL's default engine): each stored delivery is dispatched by
 * one job of pg-boss's `webhook` queue (app/webhooks/inbox-queue.server.ts), the delivery row
 * staying the record.
 */

const { shop } = installTestSandbox({ customers: 30, seed: 17 });

async function storeCustomerUpdate(id: number) {
  // One webhook id per customer: a second delivery of it is Shopify's retry.
  const request = signedWebhookRequest({ topic: "customers/update", webhookId: `update-${id}`, body: { id, admin_graphql_api_id: `gid://shopify/Customer/${id}` } });
  expect((await action({ request, params: {}, context: {} })).status).toBe(200);
}

/** The `webhook` queue's jobs, by state. */
async function webhookJobs(): Promise<Record<string, number>> {
  const rows = await prisma.$queryRaw<{ state: string; count: number }[]>`SELECT state::text AS state, count(*)::int AS count FROM pgboss.job WHERE name = 'webhook' GROUP BY state`;
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
}

describe.skipIf(!TEST_ON_POSTGRES)("the webhook inbox on pg-boss", () => {
  beforeEach(async () => {
    expect(onPgBoss()).toBe(true);
    await openAppAsMerchant();
    // Only deliveries here: nothing the install queued.
    await deleteJobs();
    await prisma.webhookDelivery.deleteMany();
  });

  it("queues each stored delivery once, in the statement that stores it, and two workers at once process each exactly once", async () => {
    const customers = shop.customers();
    // Stored together (one group commit), each twice: Shopify's retries are stored once and queued once.
    await Promise.all([...customers, ...customers].map((customer) => storeCustomerUpdate(customer.id)));
    expect(await prisma.webhookDelivery.count()).toBe(customers.length);
    expect(await webhookJobs()).toEqual({ created: customers.length });

    // Every processing asks Shopify for its customer once.
    let processings = 0;
    const adminFor: WorkContext["adminFor"] = (shopDomain, onCost) => ((processings += 1), adminForShop(shopDomain, onCost));
    const [first, second] = await Promise.all([testWorker({ adminFor }).runUntilIdle(), testWorker({ adminFor }).runUntilIdle()]);
    expect(first + second).toBe(customers.length);
    expect(processings).toBe(customers.length);
    const deliveries = await prisma.webhookDelivery.findMany();
    expect(deliveries.every((delivery) => delivery.status === "processed" && delivery.attempts === 1)).toBe(true);
    expect(await webhookJobs()).toEqual({ completed: customers.length });
  });

  it("takes over a delivery whose worker died once its lease has run out, and processes it once", async () => {
    const customer = shop.customers()[0]!;
    await storeCustomerUpdate(customer.id);
    // A worker claims it and dies with it (it never processes it).
    const died = await webhookInbox.claim(prisma, "died", new Date(), new Date(Date.now() + 60_000));
    expect(died?.label).toMatch(/customers\/update/);
    expect(await webhookJobs()).toEqual({ active: 1 });

    // Within its lease, no one else takes it.
    expect(await testWorker().runUntilIdle()).toBe(0);
    // Past it, the next worker does.
    expect(await testWorker({ now: () => new Date(Date.now() + 61_000) }).runUntilIdle()).toBe(1);
    expect(await prisma.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "processed", attempts: 2, lockedBy: null });
    expect(await webhookJobs()).toEqual({ completed: 1 });
    // The dead worker's claim can no longer settle it.
    expect(await died!.release(prisma)).toBe(false);
  });

  it("queues a failed delivery again when the merchant retries it, and processes it", async () => {
    const customer = shop.customers()[1]!;
    await storeCustomerUpdate(customer.id);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      // Each retry's backoff over: the worker's clock is a day further each time.
      await testWorker({ now: () => new Date(Date.now() + attempt * 86_400_000), adminFor: () => Promise.reject(new TypeError("fetch failed")) }).runUntilIdle();
    }
    const failed = await prisma.webhookDelivery.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(await webhookJobs()).toEqual({ completed: 1 });

    expect(await retryFailedDelivery(prisma, TEST_SHOP, failed.id)).toBe(true);
    expect(await webhookJobs()).toEqual({ completed: 1, created: 1 });
    expect(await testWorker().runUntilIdle()).toBe(1);
    expect(await prisma.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "processed", attempts: 1 });
  });
});
