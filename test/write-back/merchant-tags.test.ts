import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { merchant } from "../support/merchant";
import { recordingAdminFor, testWorker } from "../support/worker";
import { importStoreOnce, shopScope } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 40, seed: 93 });
routeWebhooksToApp(action);

// What write-back asks of Shopify, by operation.
const operations: string[] = [];
const countingAdmin = recordingAdminFor(operations);
const writes = () => operations.filter((name) => !name.startsWith("Sync"));

/** Runs the app's worker and delivers the sandbox's webhooks until nothing is left. */
async function settle() {
  const worker = testWorker({ adminFor: countingAdmin });
  for (let round = 0; round < 20; round += 1) {
    await worker.runUntilIdle();
    if ((await sandbox.webhooks(TEST_SHOP).flush()).length === 0) return;
  }
  throw new Error("the app did not settle");
}

// The merchant's own tags, some looking like ours: under a prefix the merchant will try, and under our value prefix.
const vip = () => shop.customers()[0]!;
const lookalike = () => shop.customers()[1]!;
importStoreOnce(sandbox, shop, {
  beforeImport: async () => {
    // Lifecycle tags only: the loyalty programme's own writes are tested elsewhere.
    await prisma.loyaltySettings.create({ data: { shop: TEST_SHOP, enabled: false } });
    shop.addCustomerTags(vip().id, ["vip-gold"]);
    shop.addCustomerTags(lookalike().id, ["value:platinum", "rfm:handpicked"]);
    await sandbox.webhooks(TEST_SHOP).flush();
  },
});

const stageOf = async (customerId: number) =>
  (await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: String(customerId) } } })).stage;

describe("merchants' own tags", () => {
  it("a stage prefix set to vip- and back, each approved on the dashboard, re-tags everyone and leaves the merchant's vip-gold in Shopify", async () => {
    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await settle();
    const stage = await stageOf(vip().id);
    expect(vip().tags).toEqual(expect.arrayContaining(["vip-gold", `lifecycle:${stage}`]));

    // The settings page saves the new prefix: nothing is written until the new dry run is approved.
    // (Soft expectations: every step is checked, and so is what becomes of vip-gold in the end.)
    operations.length = 0;
    expect.soft(await merchant.saveLifecycleSettings({ stageTagPrefix: "vip-" })).toEqual({ saved: true, recomputing: false });
    await settle();
    expect.soft(writes()).toEqual([]);
    const toVip = await merchant.writeBackPreview();
    expect.soft(toVip).toMatchObject({ customers: shop.customers().length, prefixChanged: true });
    expect.soft(toVip?.added.reduce((sum, entry) => sum + entry.customers, 0)).toBe(shop.customers().length);
    expect.soft(toVip?.removed.map((entry) => entry.tag).sort()).toEqual(toVip?.added.map((entry) => entry.tag.replace("vip-", "lifecycle:")).sort());

    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await settle();
    expect(vip().tags).toContain("vip-gold");
    const lifecycles = new Map((await prisma.customerLifecycle.findMany(shopScope)).map((row) => [row.customerId, row]));
    for (const customer of shop.customers()) {
      const own = customer.tags.filter((tag) => tag.startsWith("vip-") || tag.startsWith("lifecycle:"));
      expect(own.filter((tag) => tag !== "vip-gold")).toEqual([`vip-${lifecycles.get(String(customer.id))!.stage}`]);
    }

    // And back: only the vip- tags we wrote go; vip-gold was never ours.
    expect.soft(await merchant.saveLifecycleSettings({ stageTagPrefix: "lifecycle:" })).toEqual({ saved: true, recomputing: false });
    const back = await merchant.writeBackPreview();
    expect.soft(back?.removed.map((entry) => entry.tag)).not.toContain("vip-gold");
    expect.soft(back?.removed.reduce((sum, entry) => sum + entry.customers, 0)).toBe(shop.customers().length);
    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await settle();
    expect(vip().tags).toEqual(expect.arrayContaining(["vip-gold", `lifecycle:${stage}`]));
    expect(vip().tags.filter((tag) => tag.startsWith("vip-"))).toEqual(["vip-gold"]);
    for (const customer of shop.customers()) expect(customer.tags.filter((tag) => tag.startsWith("vip-") && tag !== "vip-gold")).toEqual([]);
  });

  it("keeps a merchant's tag under our own prefix, and records exactly the tags we wrote and Shopify confirmed", async () => {
    const customer = lookalike();
    const row = await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: String(customer.id) } } });
    const ours = [`lifecycle:${row.stage}`, `rfm:${row.rfmGroup.toLowerCase()}`, `value:${row.valueBand}`];
    expect(customer.tags).toEqual(expect.arrayContaining(["value:platinum", "rfm:handpicked", ...ours]));
    expect(JSON.parse(row.writtenTags!)).toEqual(expect.arrayContaining(ours));
    expect(JSON.parse(row.writtenTags!)).toHaveLength(3);
    // Our copy is the customer as the write's answer left it.
    expect((await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: TEST_SHOP, id: String(customer.id) } } })).tags).toBe(customer.tags.join(", "));
  });
});
