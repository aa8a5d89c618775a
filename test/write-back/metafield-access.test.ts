import { readFileSync } from "node:fs";
import path from "node:path";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { adminForShop } from "~/app-worker.server";
import { loyaltySettings } from "~/loyalty-models/settings.server";
import { writeLoyaltyMetafields } from "~/loyalty-models/metafields.server";
import { action } from "~/routes/webhooks.$";
import { requestWriteBack } from "~/jobs/catalogue.server";
import { ensureLifecycleMetafieldDefinitions } from "~/write-back/write-back.server";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { REPO_ROOT } from "../support/paths";
import { recordingAdminFor, testWorker } from "../support/worker";
import { importStoreOnce } from "../sync/support";
import { TEST_ON_POSTGRES } from "../setup/database";

const { sandbox, shop } = installTestSandbox({ customers: 20, seed: 67 });
routeWebhooksToApp(action);
importStoreOnce(sandbox, shop);

// `$app:lifecycle` as Shopify stores it: app--<app id>--lifecycle.
const isOurs = (namespace: string, name: string) => /^app--\d+--/.test(namespace) && namespace.endsWith(`--${name}`);
const LIFECYCLE_KEYS = ["rfm_group", "rfm_scores", "stage", "value_band"];

/** What storefronts may read, per definition, as the shop holds it. */
const storefrontAccess = () =>
  Object.fromEntries(
    shop
      .metafieldDefinitions()
      .filter((definition) => isOurs(definition.namespace, "lifecycle") || isOurs(definition.namespace, "loyalty"))
      .map((definition) => [`${isOurs(definition.namespace, "lifecycle") ? "lifecycle" : "loyalty"}.${definition.key}`, definition.access.storefront]),
  );

/** The operations the app asks of Shopify, to count its metafieldDefinitionUpdate calls. */
const operations: string[] = [];
const updates = () => operations.filter((name) => name === "LifecycleMetafieldDefinitionUpdate").length;

describe("metafield definitions' storefront access", () => {
  it("lifecycle metafields get none; the loyalty summary, which the storefront block reads, gets public read", async () => {
    await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { writeBackApprovedAt: new Date() } });
    await requestWriteBack(prisma, TEST_SHOP);
    await testWorker().runUntilIdle();
    const customerId = (await prisma.customer.findFirstOrThrow({ where: { shop: TEST_SHOP } })).id;
    await prisma.loyaltyAccount.upsert({
      where: { shop_customerId: { shop: TEST_SHOP, customerId } },
      create: { shop: TEST_SHOP, customerId, available: 120 },
      update: { available: 120, writtenMetafields: null },
    });
    await writeLoyaltyMetafields(prisma, () => adminForShop(TEST_SHOP), TEST_SHOP, await loyaltySettings(prisma, TEST_SHOP), new Date());

    expect(storefrontAccess()).toEqual({
      "lifecycle.rfm_group": "NONE",
      "lifecycle.rfm_scores": "NONE",
      "lifecycle.stage": "NONE",
      "lifecycle.value_band": "NONE",
      "loyalty.summary": "PUBLIC_READ",
    });
  });

  // A SQLite migration's data step: PostgreSQL installs start from a baseline made after it, with no such shop.
  it.skipIf(TEST_ON_POSTGRES)("definitions a shop already has with storefront access are corrected once, by the job the migration queues", async () => {
    // As the app used to create them.
    for (const definition of shop.metafieldDefinitions()) shop.updateMetafieldDefinitionAccess(definition, { storefront: "PUBLIC_READ" });
    expect(Object.values(storefrontAccess())).toEqual(Array(5).fill("PUBLIC_READ"));
    await prisma.job.deleteMany({ where: { shop: TEST_SHOP, kind: "metafield-access" } });

    // The migration's data step, run on this database as it runs on one holding such a shop.
    const migration = readFileSync(path.join(REPO_ROOT, "prisma/migrations/20261203110000_compliance/migration.sql"), "utf8");
    const queueing = migration.split(";").filter((statement) => /INSERT INTO "Job"/.test(statement));
    expect(queueing).toHaveLength(1);
    await prisma.$executeRawUnsafe(queueing[0]!);
    operations.length = 0;
    await testWorker({ adminFor: recordingAdminFor(operations) }).runUntilIdle();

    expect(storefrontAccess()).toEqual({
      "lifecycle.rfm_group": "NONE",
      "lifecycle.rfm_scores": "NONE",
      "lifecycle.stage": "NONE",
      "lifecycle.value_band": "NONE",
      "loyalty.summary": "PUBLIC_READ",
    });
    expect(updates()).toBe(LIFECYCLE_KEYS.length);
    expect(await prisma.job.findMany({ where: { shop: TEST_SHOP, kind: "metafield-access" }, select: { status: true } })).toEqual([{ status: "done" }]);

    // Created again (settings lost, definitions still in Shopify): the existing ones get the access asked for.
    const stage = shop.metafieldDefinitions().find((definition) => isOurs(definition.namespace, "lifecycle") && definition.key === "stage")!;
    shop.updateMetafieldDefinitionAccess(stage, { storefront: "PUBLIC_READ" });
    const settings = await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { metafieldDefinitionsAt: null } });
    await ensureLifecycleMetafieldDefinitions(prisma, await adminForShop(TEST_SHOP), TEST_SHOP, settings);
    expect(storefrontAccess()["lifecycle.stage"]).toBe("NONE");
  });
});
