import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { adjustPoints } from "~/loyalty-models/ledger.server";
import { loader as syncLoader } from "~/routes/app.sync";
import { action } from "~/routes/webhooks.$";
import { requestWriteBack } from "~/jobs/catalogue.server";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { merchant, signedAdminRequest } from "../support/merchant";
import { recordingAdminFor, testWorker } from "../support/worker";
import { importStoreOnce, shopScope } from "../sync/support";
import { countJobs, findJobs } from "../support/jobs";

const { sandbox, shop } = installTestSandbox({ customers: 40, seed: 97 });
routeWebhooksToApp(action);

const operations: string[] = [];
const countingAdmin = recordingAdminFor(operations);
const worker = () => testWorker({ adminFor: countingAdmin });

importStoreOnce(sandbox, shop, {
  beforeImport: () => prisma.loyaltySettings.create({ data: { shop: TEST_SHOP, enabled: true } }),
});

/** A customer without orders, deleted in Shopify with the customers/delete webhook lost: we still hold them. */
async function deleteInShopifyUnannounced() {
  const gone = shop.customers().find((customer) => shop.ordersOfCustomer(customer.id).length === 0)!;
  shop.deleteCustomer(gone.id);
  await sandbox.webhooks(TEST_SHOP).flush({ drop: (delivery) => delivery.topic === "customers/delete" });
  return String(gone.id);
}

describe("a customer Shopify refuses", () => {
  it("is set aside with Shopify's reason, shown on the health page, and every other customer is written: tags, metafields and loyalty summaries", async () => {
    const gone = await deleteInShopifyUnannounced();
    // Points for the gone customer and a neighbour: both summaries go in one metafieldsSet call.
    const neighbour = String(shop.customers()[0]!.id);
    await adjustPoints(prisma, TEST_SHOP, gone, 100, "Welcome gift", "refusals-1", new Date());
    await adjustPoints(prisma, TEST_SHOP, neighbour, 100, "Welcome gift", "refusals-2", new Date());

    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await worker().runUntilIdle();

    // Every job finished: none is left failing and retrying for the one customer.
    expect(await countJobs({ shop: TEST_SHOP, status: ["queued", "running", "dead"], dueBy: new Date() })).toBe(0);
    expect((await findJobs({ shop: TEST_SHOP })).filter((job) => job.lastError !== null)).toEqual([]);
    const lifecycles = new Map((await prisma.customerLifecycle.findMany(shopScope)).map((row) => [row.customerId, row]));
    for (const customer of shop.customers()) {
      const row = lifecycles.get(String(customer.id))!;
      expect(customer.tags).toEqual(expect.arrayContaining([`lifecycle:${row.stage}`, `rfm:${row.rfmGroup.toLowerCase()}`, `value:${row.valueBand}`]));
      const fields = Object.fromEntries(shop.metafieldsOf("CUSTOMER", customer.id).map((field) => [field.key, field.value]));
      expect(fields).toMatchObject({ stage: row.stage, rfm_group: row.rfmGroup, value_band: row.valueBand });
    }
    expect(JSON.parse(shop.metafieldsOf("CUSTOMER", Number(neighbour)).find((field) => field.key === "summary")!.value)).toMatchObject({ points: 100 });

    const refused = lifecycles.get(gone)!;
    expect(refused.writeBackRefused).toBe("tagsAdd: Customer does not exist; metafieldsSet: Owner does not exist");
    const runs = await prisma.writeBackRun.findMany({ where: { shop: TEST_SHOP, kind: { in: ["tags", "metafields"] } }, orderBy: { id: "asc" } });
    expect(runs.map((run) => [run.kind, run.status, run.customers, run.failed])).toEqual([
      ["tags", "completed", shop.customers().length, 1],
      ["metafields", "completed", shop.customers().length, 1],
    ]);

    const page = await syncLoader({ request: await signedAdminRequest("/app/sync"), params: {}, context: {} });
    expect(page.refused.total).toBe(2);
    expect(page.refused.refusals.map(({ customerId, what }) => [customerId, what]).sort()).toEqual([
      [gone, "lifecycle"],
      [gone, "loyalty"],
    ]);
    expect(page.refused.refusals.find((refusal) => refusal.what === "loyalty")!.reason).toMatch(/^metafieldsSet: /);
  });

  it("is not tried again until they change again: the next write-back asks Shopify nothing", async () => {
    operations.length = 0;
    await requestWriteBack(prisma, TEST_SHOP);
    await worker().runUntilIdle();
    expect(operations).toEqual([]);
  });
});
