import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { ManualClock } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { merchant } from "../support/merchant";
import { recordingAdminFor, testWorker } from "../support/worker";
import { importStoreOnce } from "../sync/support";

// The shop's clock stands still unless moved: our write and a merchant's edit can share a second,
// as they can in Shopify, whose timestamps have whole seconds.
const clock = new ManualClock(new Date());
const { sandbox, shop } = installTestSandbox({ customers: 30, seed: 101, shopClock: clock.now });
routeWebhooksToApp(action);

const operations: string[] = [];
const countingAdmin = recordingAdminFor(operations);
const worker = () => testWorker({ adminFor: countingAdmin });
const rereads = () => operations.filter((name) => name === "SyncCustomer").length;

importStoreOnce(sandbox, shop, {
  beforeImport: () => prisma.loyaltySettings.create({ data: { shop: TEST_SHOP, enabled: false } }),
});

const held = (id: number) => prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: TEST_SHOP, id: String(id) } } });

describe("the customers/update webhooks our own tag writes cause", () => {
  it("are recognised as our echo and not read again", async () => {
    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await worker().runUntilIdle();
    const tagged = shop.customers().length;
    expect((await prisma.writeBackRun.findFirstOrThrow({ where: { shop: TEST_SHOP, kind: "tags" } })).customers).toBe(tagged);

    operations.length = 0;
    const echoes = await sandbox.webhooks(TEST_SHOP).flush();
    expect(echoes.filter((result) => result.delivery.topic === "customers/update")).toHaveLength(tagged);
    await worker().runUntilIdle();
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, topic: "customers/update", status: "processed" } })).toBe(tagged);
    expect(rereads()).toBe(0);
    // Our copy is the customer as Shopify holds them.
    for (const customer of shop.customers()) expect((await held(customer.id)).tags).toBe(customer.tags.join(", "));
  });

  it("a merchant's edit in the same second as our write is read all the same", async () => {
    const customer = shop.customers()[3]!;
    operations.length = 0;
    shop.updateCustomer(customer.id, { firstName: "Renamed" });
    await sandbox.webhooks(TEST_SHOP).flush();
    await worker().runUntilIdle();
    expect(rereads()).toBe(1);
    expect((await held(customer.id)).firstName).toBe("Renamed");
  });

  it("a merchant's later tag change is read, and a tag of ours they removed is written again", async () => {
    const customer = shop.customers()[5]!;
    const ours = customer.tags.find((tag) => tag.startsWith("lifecycle:"))!;
    clock.advance(60_000);
    operations.length = 0;
    shop.removeCustomerTags(customer.id, [ours]);
    shop.addCustomerTags(customer.id, ["wholesale"]);
    await sandbox.webhooks(TEST_SHOP).flush();
    await worker().runUntilIdle();
    expect(rereads()).toBeGreaterThanOrEqual(1);
    expect(operations).toContain("CustomerTagsAdd");
    expect(customer.tags).toEqual(expect.arrayContaining([ours, "wholesale"]));
    expect((await held(customer.id)).tags).toBe(customer.tags.join(", "));
  });
});
