import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { requestWriteBack } from "~/jobs/catalogue.server";
import { BULK_WRITE_THRESHOLD } from "~/write-back/bulk-writes.server";
import { bulkOperationsSettled } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";

import { merchant } from "../support/merchant";
import { testWorker } from "../support/worker";
import { importStoreOnce, shopScope } from "../sync/support";
import { findJobs } from "../support/jobs";

// More customers than the bulk threshold, so a full re-tag goes through bulk mutations.
const { sandbox, shop } = installTestSandbox({ customers: 320, seed: 71 });
routeWebhooksToApp(action);

/** Runs the worker, letting bulk operations finish and their webhooks arrive, until nothing is left. */
async function settle() {
  const worker = testWorker();
  for (let round = 0; round < 20; round += 1) {
    await worker.runUntilIdle();
    await bulkOperationsSettled(shop);
    const results = await sandbox.webhooks(TEST_SHOP).flush();
    if (results.length === 0 && (await prisma.writeBackRun.count({ where: { shop: TEST_SHOP, status: "running" } })) === 0) return;
  }
  throw new Error("write-back did not settle");
}

importStoreOnce(sandbox, shop);

const tagsOf = (prefix: string) => (customer: { tags: string[] }) => customer.tags.filter((tag) => tag.startsWith(prefix));

describe("bulk write-back", () => {
  // An import, a recompute and a bulk write-back of a few thousand customers: slower on PostgreSQL and under load.
  it("writes a first run for many customers as bulk mutations, and the tags match the lifecycle", { timeout: 120_000 }, async () => {
    expect(shop.customers().length).toBeGreaterThan(BULK_WRITE_THRESHOLD);
    await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { writeBackApprovedAt: new Date() } });
    await requestWriteBack(prisma, TEST_SHOP);
    await settle();

    const runs = await prisma.writeBackRun.findMany({ where: { shop: TEST_SHOP, kind: "tags" }, orderBy: { id: "asc" } });
    expect(runs.map((run) => [run.mode, run.status])).toEqual([["bulk-add", "completed"]]);
    expect(runs[0]!.customers).toBe(shop.customers().length);
    const lifecycles = new Map((await prisma.customerLifecycle.findMany(shopScope)).map((row) => [row.customerId, row]));
    for (const customer of shop.customers()) expect(tagsOf("lifecycle:")(customer)).toEqual([`lifecycle:${lifecycles.get(String(customer.id))!.stage}`]);

    // Metafields too: one bulk operation, whole customers to a line.
    const metafieldRuns = await prisma.writeBackRun.findMany({ where: { shop: TEST_SHOP, kind: "metafields" } });
    expect(metafieldRuns).toMatchObject([{ mode: "bulk-metafields", status: "completed", customers: shop.customers().length, failed: 0 }]);
    for (const customer of shop.customers()) {
      const row = lifecycles.get(String(customer.id))!;
      const fields = Object.fromEntries(shop.metafieldsOf("CUSTOMER", customer.id).map((field) => [field.key, field.value]));
      expect(fields).toMatchObject({ stage: row.stage, rfm_group: row.rfmGroup, value_band: row.valueBand });
    }
    expect(await prisma.customerLifecycle.count({ where: { shop: TEST_SHOP, writtenMetafields: null } })).toBe(0);
  });

  it("re-tags everyone through bulk mutations once the merchant approves a changed tag prefix, removing the old tags", async () => {
    // Saved on the settings page: nothing is written until the merchant approves the new dry run.
    expect(await merchant.saveLifecycleSettings({ stageTagPrefix: "stage:" })).toEqual({ saved: true, recomputing: false });
    await settle();
    expect(await prisma.writeBackRun.count({ where: { shop: TEST_SHOP, kind: "tags" } })).toBe(1);
    const preview = await merchant.writeBackPreview();
    expect(preview?.customers).toBe(shop.customers().length);
    expect(preview?.added.every((entry) => entry.tag.startsWith("stage:"))).toBe(true);
    expect(preview?.removed.every((entry) => entry.tag.startsWith("lifecycle:"))).toBe(true);
    expect(preview?.removed.reduce((sum, entry) => sum + entry.customers, 0)).toBe(shop.customers().length);

    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await settle();

    const runs = await prisma.writeBackRun.findMany({ where: { shop: TEST_SHOP, kind: "tags" }, orderBy: { id: "asc" } });
    expect(runs.slice(1).map((run) => [run.mode, run.status])).toEqual([
      ["bulk-add", "completed"],
      ["bulk-remove", "completed"],
    ]);
    const lifecycles = new Map((await prisma.customerLifecycle.findMany(shopScope)).map((row) => [row.customerId, row]));
    for (const customer of shop.customers()) {
      expect(tagsOf("lifecycle:")(customer)).toEqual([]);
      expect(tagsOf("stage:")(customer)).toEqual([`stage:${lifecycles.get(String(customer.id))!.stage}`]);
    }
    // The segments follow the new tags.
    expect(shop.segments().find((segment) => segment.name === "Lifecycle: loyal")?.query).toBe("customer_tags CONTAINS 'stage:loyal'");
  }, 120_000);

  it("sets aside a customer Shopify refuses in a bulk write, with its reason, and writes everyone else", async () => {
    // Deleted in Shopify, the customers/delete webhook lost: we still hold them.
    const gone = shop.customers().find((customer) => shop.ordersOfCustomer(customer.id).length === 0)!;
    shop.deleteCustomer(gone.id);
    await sandbox.webhooks(TEST_SHOP).flush({ drop: (delivery) => delivery.topic === "customers/delete" });
    const before = (await prisma.writeBackRun.findFirstOrThrow({ where: { shop: TEST_SHOP }, orderBy: { id: "desc" } })).id;

    expect(await merchant.saveLifecycleSettings({ stageTagPrefix: "lifecycle:" })).toMatchObject({ saved: true });
    expect(await merchant.approveWriteBack()).toEqual({ approved: true });
    await settle();

    const runs = await prisma.writeBackRun.findMany({ where: { shop: TEST_SHOP, kind: "tags", id: { gt: before } }, orderBy: { id: "asc" } });
    expect(runs.filter((run) => run.mode !== "direct").map((run) => [run.mode, run.status, run.customers, run.failed])).toEqual([
      ["bulk-add", "completed", shop.customers().length, 1],
      ["bulk-remove", "completed", shop.customers().length, 1],
    ]);
    const lifecycles = new Map((await prisma.customerLifecycle.findMany(shopScope)).map((row) => [row.customerId, row]));
    for (const customer of shop.customers()) {
      expect(tagsOf("stage:")(customer)).toEqual([]);
      expect(tagsOf("lifecycle:")(customer)).toEqual([`lifecycle:${lifecycles.get(String(customer.id))!.stage}`]);
    }
    expect(lifecycles.get(String(gone.id))!.writeBackRefused).toMatch(/^tags(Add|Remove): Customer does not exist$/);
    expect((await findJobs({ shop: TEST_SHOP })).filter((job) => job.status === "dead" || job.lastError !== null)).toEqual([]);
  }, 120_000);
});
