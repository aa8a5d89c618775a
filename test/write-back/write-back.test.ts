import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { dryRun } from "~/write-back/write-back.server";
import { requestWriteBack, WRITE_BACK_JOB } from "~/jobs/catalogue.server";
import { makeJobsDue } from "../support/jobs";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";

import { recordingAdminFor, testWorker } from "../support/worker";
import { importStoreOnce, shopScope } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 60, seed: 61 });
routeWebhooksToApp(action);

// Counts what write-back asks of Shopify, by operation.
const operations: string[] = [];
const countingAdmin = recordingAdminFor(operations);
const worker = () => testWorker({ adminFor: countingAdmin });

// Registered first: each test, the first included, sees only the operations since it began.
beforeEach(() => {
  operations.length = 0;
});
importStoreOnce(sandbox, shop, {
  // Lifecycle write-back only: the loyalty programme's own metafield writes are tested elsewhere.
  beforeImport: () => prisma.loyaltySettings.create({ data: { shop: TEST_SHOP, enabled: false } }),
});

// Reads (the sync re-reading a customer or an order after a webhook) left out.
const writesOf = (names: readonly string[]) => names.filter((name) => !name.startsWith("Sync"));
const ourTags = (tags: readonly string[]) => tags.filter((tag) => /^(lifecycle|rfm|value):/.test(tag));

describe("write-back to Shopify", () => {
  it("shows a dry run and writes nothing before the merchant approves", async () => {
    const merchantTags = new Map(shop.customers().map((customer) => [customer.id, [...customer.tags]]));
    const preview = await dryRun(prisma, TEST_SHOP);
    expect(preview.customers).toBe(shop.customers().length);
    expect(preview.added.filter((entry) => entry.tag.startsWith("lifecycle:")).reduce((sum, entry) => sum + entry.customers, 0)).toBe(shop.customers().length);
    expect(preview.removed).toEqual([]);

    await requestWriteBack(prisma, TEST_SHOP);
    await worker().runUntilIdle();
    expect(operations).toEqual([]);
    for (const customer of shop.customers()) expect(customer.tags).toEqual(merchantTags.get(customer.id));
  });

  it("once approved, tags every customer with exactly their stage, RFM group and band, keeps the merchant's tags, sets metafields and creates segments", async () => {
    const merchantTags = new Map(shop.customers().map((customer) => [customer.id, [...customer.tags]]));
    await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { writeBackApprovedAt: new Date() } });
    await requestWriteBack(prisma, TEST_SHOP);
    await worker().runUntilIdle();

    const lifecycles = new Map((await prisma.customerLifecycle.findMany(shopScope)).map((row) => [row.customerId, row]));
    for (const customer of shop.customers()) {
      const row = lifecycles.get(String(customer.id))!;
      expect(ourTags(customer.tags).sort()).toEqual([`lifecycle:${row.stage}`, `rfm:${row.rfmGroup.toLowerCase()}`, `value:${row.valueBand}`].sort());
      expect(customer.tags.filter((tag) => !ourTags([tag]).length)).toEqual(merchantTags.get(customer.id));
      const fields = Object.fromEntries(shop.metafieldsOf("CUSTOMER", customer.id).map((field) => [field.key, field.value]));
      expect(fields).toMatchObject({ stage: row.stage, rfm_group: row.rfmGroup, value_band: row.valueBand });
    }
    expect(
      shop
        .metafieldDefinitions()
        .map((definition) => definition.key)
        .sort(),
    ).toEqual(["rfm_group", "rfm_scores", "stage", "value_band"]);

    // The shop's own segments stay; ours are added beside them.
    const segments = shop.segments().filter((segment) => segment.name.startsWith("Lifecycle: "));
    expect(shop.segments().length).toBeGreaterThan(segments.length);
    expect(segments.map((segment) => segment.query)).toEqual(
      expect.arrayContaining(["customer_tags CONTAINS 'lifecycle:loyal'", "customer_tags CONTAINS 'value:large'"]),
    );
    expect(await prisma.managedSegment.count(shopScope)).toBe(segments.length);
    const runs = await prisma.writeBackRun.findMany({ where: { shop: TEST_SHOP, kind: "tags" } });
    expect(runs).toMatchObject([{ status: "completed", mode: "direct", customers: shop.customers().length }]);
    expect(runs[0]!.queryCost).toBeGreaterThan(0);
  });

  it("does not write a tag twice when Shopify's answer to the first write was lost", async () => {
    const prospect = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, stage: "prospect" }, orderBy: { customerId: "asc" } });
    const customerId = Number(prospect.customerId);
    shop.createOrder({ customerId, paid: true, lineItems: [{ title: "Wool socks", sku: "SOCK-1", quantity: 1, price: "12.00" }] });
    await sandbox.webhooks(TEST_SHOP).flush();
    const lost: string[] = [];
    // The write-back's tagsAdd goes through at Shopify; its answer never arrives, so the job fails and is retried.
    await testWorker({ adminFor: recordingAdminFor(lost, { loseAnswerOf: "CustomerTagsAdd" }) }).runUntilIdle();
    expect(lost).toContain("CustomerTagsAdd");
    expect(shop.customer(customerId)!.tags).toContain("lifecycle:new");
    const tagWrites: string[][] = [];
    const addTags = shop.addCustomerTags.bind(shop);
    shop.addCustomerTags = (id, tags) => (id === customerId && tagWrites.push([...tags]), addTags(id, tags));
    try {
      await makeJobsDue({ shop: TEST_SHOP, kind: [WRITE_BACK_JOB] });
      await worker().runUntilIdle();
    } finally {
      shop.addCustomerTags = addTags;
    }
    // Shopify's tags were read again and the write was not repeated; what it left is recorded as ours.
    expect(tagWrites).toEqual([]);
    expect(ourTags(shop.customer(customerId)!.tags)).toContain("lifecycle:new");
    const after = await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: String(customerId) } } });
    expect(after.pendingTags).toBeNull();
    expect(JSON.parse(after.writtenTags ?? "[]")).toContain("lifecycle:new");
  });

  it("a second run with no change writes nothing", async () => {
    await requestWriteBack(prisma, TEST_SHOP);
    await worker().runUntilIdle();
    expect(operations.filter((operation) => !operation.startsWith("SyncCustomer"))).toEqual([]);
  });

  it("after one customer's order, writes only what changed for that customer: two tag calls and one metafields call", async () => {
    const prospect = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, stage: "prospect" } });
    shop.createOrder({ customerId: Number(prospect.customerId), paid: true, lineItems: [{ title: "Wool socks", sku: "SOCK-1", quantity: 1, price: "12.00" }] });
    await sandbox.webhooks(TEST_SHOP).flush();
    await worker().runUntilIdle();

    const after = await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: prospect.customerId } } });
    expect(after.stage).toBe("new");
    expect(writesOf(operations).sort()).toEqual(["CustomerTagsAdd", "CustomerTagsRemove", "LifecycleMetafieldsSet"]);
    const fields = Object.fromEntries(shop.metafieldsOf("CUSTOMER", Number(prospect.customerId)).map((field) => [field.key, field.value]));
    expect(fields).toEqual({
      stage: "new",
      rfm_group: after.rfmGroup,
      rfm_scores: `${after.recency}${after.frequency}${after.monetary}`,
      value_band: after.valueBand,
    });
  });

  it("deletes a metafield that lost its value instead of leaving it stale", async () => {
    // A one-order customer whose order is cancelled and refunded becomes a prospect again: no scores.
    // In key order, as SQLite reads without one; PostgreSQL's order is its own.
    const buyer = await prisma.customerLifecycle.findFirstOrThrow({
      where: { shop: TEST_SHOP, stage: "new", writtenMetafields: { not: null } },
      orderBy: { customerId: "asc" },
    });
    const [order] = shop.ordersOfCustomer(Number(buyer.customerId)).filter((candidate) => candidate.cancelledAt === null);
    shop.cancelOrder(order!.id, "CUSTOMER", { refund: true });
    await sandbox.webhooks(TEST_SHOP).flush();
    await worker().runUntilIdle();

    const after = await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: buyer.customerId } } });
    expect(after).toMatchObject({ stage: "prospect", recency: null });
    expect(operations).toContain("LifecycleMetafieldsDelete");
    const fields = Object.fromEntries(shop.metafieldsOf("CUSTOMER", Number(buyer.customerId)).map((field) => [field.key, field.value]));
    expect(fields).toEqual({ stage: "prospect", rfm_group: "PROSPECTS", value_band: after.valueBand });
  });

  it("writes nothing of a kind the merchant switched off", async () => {
    await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { writeTags: false, writeMetafields: false } });
    const prospect = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, stage: "prospect" } });
    shop.createOrder({ customerId: Number(prospect.customerId), paid: true, lineItems: [{ title: "Wool socks", sku: "SOCK-1", quantity: 1, price: "12.00" }] });
    await sandbox.webhooks(TEST_SHOP).flush();
    await worker().runUntilIdle();

    expect((await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: prospect.customerId } } })).stage).toBe(
      "new",
    );
    expect(writesOf(operations)).toEqual([]);
    expect(ourTags(shop.customer(Number(prospect.customerId))!.tags)).toContain("lifecycle:prospect");
    await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { writeTags: true, writeMetafields: true } });
  });
});
