import { beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { adminForShop, JOB_HANDLERS } from "~/app-worker.server";
import { type WorkContext } from "~/jobs/types";
import { createWorker } from "~/jobs/worker.server";
import { webhookInbox } from "~/webhooks/process.server";
import { action } from "~/routes/webhooks.$";
import { claimDelivery } from "~/webhooks/inbox.server";
import { installTestSandbox } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";

const { shop } = installTestSandbox({ customers: 5, seed: 13 });
const LEASE_MS = 60_000;
let nowMs = Date.now();
const now = () => new Date(nowMs);

/** Shopify answers this worker only when the test lets it: `reached` resolves when it asks, `release` answers. */
function slowShopify() {
  let reached!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const adminFor: WorkContext["adminFor"] = async (shopDomain, onCost) => {
    reached();
    await gate;
    return adminForShop(shopDomain, onCost);
  };
  return { arrived, release, adminFor };
}

function workerWith(adminFor: WorkContext["adminFor"], renewEveryMs: number) {
  return createWorker({ context: { db: prisma, now, adminFor }, handlers: JOB_HANDLERS, inbox: webhookInbox, leaseMs: LEASE_MS, renewEveryMs });
}

async function storeCustomerUpdate(id: number) {
  const request = signedWebhookRequest({ topic: "customers/update", body: { id, admin_graphql_api_id: `gid://shopify/Customer/${id}` } });
  expect((await action({ request, params: {}, context: {} })).status).toBe(200);
}

describe("delivery leases", () => {
  beforeEach(async () => {
    nowMs = Date.now();
    await openAppAsMerchant();
    // Only deliveries here: nothing the install queued.
    await prisma.job.deleteMany();
    await prisma.webhookDelivery.deleteMany();
    await prisma.customer.deleteMany();
  });

  it("renews a delivery's lease on its own while it is processed, so no other worker takes it over", async () => {
    const customer = shop.customers()[0]!;
    await storeCustomerUpdate(customer.id);
    const shopify = slowShopify();
    const processing = workerWith(shopify.adminFor, 5).runOnce();
    await shopify.arrived;

    for (let step = 0; step < 4; step += 1) {
      nowMs += 30_000;
      await vi.waitFor(async () => expect((await prisma.webhookDelivery.findFirstOrThrow()).lockedUntil?.getTime()).toBe(nowMs + LEASE_MS), { timeout: 5_000 });
      expect(await claimDelivery(prisma, "another-worker", now(), new Date(nowMs + LEASE_MS))).toBeNull();
    }

    shopify.release();
    await processing;
    expect(await prisma.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "processed", attempts: 1 });
    expect(await prisma.customer.findFirstOrThrow({ where: { id: String(customer.id) } })).toMatchObject({ firstName: customer.firstName });
  });

  it("stops a delivery that lost its lease before its next call to Shopify or write, and leaves it to the worker that took it over", async () => {
    const customer = shop.customers()[0]!;
    const firstName = customer.firstName;
    await storeCustomerUpdate(customer.id);
    const shopify = slowShopify();
    // This worker stalls past its lease (its renewal timer never gets to run) while it waits for Shopify.
    const stalled = workerWith(shopify.adminFor, 3_600_000).runOnce();
    await shopify.arrived;

    nowMs += LEASE_MS + 1_000;
    await workerWith(adminForShop, 20_000).runOnce();
    const afterTakeover = await prisma.webhookDelivery.findFirstOrThrow();
    expect(afterTakeover).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(await prisma.customer.findFirstOrThrow({ where: { id: String(customer.id) } })).toMatchObject({ firstName });

    // The customer changes again in Shopify; the stalled worker wakes up.
    shop.updateCustomer(customer.id, { firstName: "Renamed" });
    shopify.release();
    await stalled;

    // It neither read nor wrote the customer, nor touched the delivery that is no longer its own.
    expect(await prisma.customer.findFirstOrThrow({ where: { id: String(customer.id) } })).toMatchObject({ firstName });
    expect(await prisma.webhookDelivery.findFirstOrThrow()).toEqual(afterTakeover);
  });
});
