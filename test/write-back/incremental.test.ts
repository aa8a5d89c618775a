import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { lifecycleSettings } from "~/lifecycle-models/settings.server";
import { planLoyaltyMetafields } from "~/loyalty-models/metafields.server";
import { loyaltySettings } from "~/loyalty-models/settings.server";
import { action } from "~/routes/webhooks.$";
import { WRITE_BACK_JOB, LOYALTY_METAFIELDS_JOB } from "~/jobs/catalogue.server";
import { planWriteBack } from "~/write-back/write-back.server";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { merchant } from "../support/merchant";
import { testWorker } from "../support/worker";
import { importStoreOnce } from "../sync/support";
import { makeJobsDue } from "../support/jobs";

const { sandbox, shop } = installTestSandbox({ customers: 50, seed: 103 });
routeWebhooksToApp(action);

importStoreOnce(sandbox, shop, {
  beforeImport: () => prisma.loyaltySettings.create({ data: { shop: TEST_SHOP, enabled: true, earnSince: new Date(0), pendingDays: 0 } }),
});

async function settle(handlers = {}) {
  const worker = testWorker({ handlers });
  for (let round = 0; round < 20; round += 1) {
    await worker.runUntilIdle();
    if ((await sandbox.webhooks(TEST_SHOP).flush()).length === 0) return;
  }
  throw new Error("the app did not settle");
}

const dueForWriteBack = async () => (await planWriteBack(prisma, TEST_SHOP, await lifecycleSettings(prisma, TEST_SHOP), "due")).looked.map((mark) => mark.customerId);
const dueSummaries = async () => (await planLoyaltyMetafields(prisma, TEST_SHOP, await loyaltySettings(prisma, TEST_SHOP))).map((entry) => entry.customerId);

describe("work per change", () => {
  it("one customer's order leaves the write-back and the loyalty summaries that customer alone to look at", async () => {
    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await settle();
    expect(await dueForWriteBack()).toEqual([]);
    expect(await dueSummaries()).toEqual([]);

    const buyer = shop.customers().find((customer) => shop.ordersOfCustomer(customer.id).length === 0)!;
    shop.createOrder({ customerId: buyer.id, paid: true, lineItems: [{ title: "Wool socks", sku: "SOCK-1", quantity: 1, price: "12.00" }] });
    // Everything the order leads to, except the two writes, which are looked at first.
    const held = { [WRITE_BACK_JOB]: async () => ({ snoozeUntil: new Date(Date.now() + 3_600_000) }), [LOYALTY_METAFIELDS_JOB]: async () => ({ snoozeUntil: new Date(Date.now() + 3_600_000) }) };
    await settle(held);
    expect(await dueForWriteBack()).toEqual([String(buyer.id)]);
    expect(await dueSummaries()).toEqual([String(buyer.id)]);

    await makeJobsDue({ shop: TEST_SHOP, kind: [WRITE_BACK_JOB, LOYALTY_METAFIELDS_JOB] });
    await settle();
    expect(await dueForWriteBack()).toEqual([]);
    expect(await dueSummaries()).toEqual([]);
    expect(buyer.tags).toContain("lifecycle:new");
    expect(JSON.parse(shop.metafieldsOf("CUSTOMER", buyer.id).find((field) => field.key === "summary")!.value)).toMatchObject({ points: 12 });
  });
});
