import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import { createAdminApi } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { unauthenticated } from "~/shopify.server";
import { dryRun } from "~/write-back/write-back.server";
import { requestWriteBack } from "~/write-back/jobs.server";
import { installTestSandbox, routeWebhooksToApp } from "../sandbox/testing";
import { openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";
import { runBackfill, shopScope } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 60, seed: 61 });
routeWebhooksToApp(action);

// Counts what write-back asks of Shopify, by operation.
const operations: string[] = [];
const countingAdmin = async (shopDomain: string, onCost?: (points: number) => void) => {
  const { admin } = await unauthenticated.admin(shopDomain);
  return createAdminApi(
    (query, options) => {
      operations.push(/\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous");
      return admin.graphql(query, options);
    },
    { onCost: (_operation, cost) => onCost?.(cost.actualQueryCost ?? 0) },
  );
};
const worker = () => testWorker({ adminFor: countingAdmin });

let imported = false;
beforeEach(async () => {
  operations.length = 0;
  if (imported) return;
  imported = true;
  await openAppAsMerchant();
  await runBackfill(sandbox, shop);
});

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
    expect(shop.metafieldDefinitions().map((definition) => definition.key).sort()).toEqual(["rfm_group", "rfm_scores", "stage", "value_band"]);

    // The shop's own segments stay; ours are added beside them.
    const segments = shop.segments().filter((segment) => segment.name.startsWith("Lifecycle: "));
    expect(shop.segments().length).toBeGreaterThan(segments.length);
    expect(segments.map((segment) => segment.query)).toEqual(expect.arrayContaining(["customer_tags CONTAINS 'lifecycle:loyal'", "customer_tags CONTAINS 'value:large'"]));
    expect(await prisma.managedSegment.count(shopScope)).toBe(segments.length);
    const runs = await prisma.writeBackRun.findMany({ where: { shop: TEST_SHOP, kind: "tags" } });
    expect(runs).toMatchObject([{ status: "completed", mode: "direct", customers: shop.customers().length }]);
    expect(runs[0]!.queryCost).toBeGreaterThan(0);
  });

  it("a second run with no change writes nothing", async () => {
    await requestWriteBack(prisma, TEST_SHOP);
    await worker().runUntilIdle();
    expect(operations.filter((operation) => !operation.startsWith("SyncCustomer"))).toEqual([]);
  });
});
