import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { markAdvocate } from "~/lifecycle-models/advocates.server";
import { recomputeShop, shopDay } from "~/lifecycle-models/recompute.server";
import { STAGES } from "~/lifecycle/model";
import { action } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { orderPayload } from "@lifecycle/shopify-sandbox";

import { signedWebhookRequest } from "../support/webhooks";
import { TEST_ON_POSTGRES } from "../setup/database";
import { testWorker } from "../support/worker";
import { importStoreOnce, shopScope } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 120, seed: 51 });
routeWebhooksToApp(action);

// Once for the file, after the sandbox's handlers are in place (they are registered before each test).
// The import ends by queueing the first recompute, which the worker runs too.
importStoreOnce(sandbox, shop);

describe("recompute against the synced store", () => {
  it("places every customer after the import, with history and today's counts", async () => {
    const lifecycles = await prisma.customerLifecycle.findMany(shopScope);
    expect(lifecycles).toHaveLength(shop.customers().length);
    expect(new Set(lifecycles.map((row) => row.stage)).size).toBeGreaterThan(3);
    for (const row of lifecycles) expect(STAGES).toContain(row.stage);
    // Everyone entered their first stage once.
    expect(await prisma.stageChange.count({ where: { shop: TEST_SHOP, fromStage: null } })).toBe(shop.customers().length);
    const counts = await prisma.dailyStageCount.findMany({ where: { shop: TEST_SHOP, day: shopDay(new Date(), null) } });
    expect(counts.reduce((sum, row) => sum + row.customers, 0)).toBe(shop.customers().length);
    const settings = await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(settings.lastFullRunAt).not.toBeNull();
    expect(JSON.parse(settings.rhythm!)).toMatchObject({ explanation: { key: expect.stringMatching(/^lifecycle\.rhythm\./) } });
  });

  it.skipIf(!TEST_ON_POSTGRES)("leaves PostgreSQL's planner statistics counting the rows the import and the first recompute wrote", async () => {
    // Before autovacuum's next pass the planner took these tables for empty, and planned the merchant's first pages for that.
    const estimates = await prisma.$queryRaw<{ table: string; rows: number }[]>`
      SELECT "relname"::text AS "table", "reltuples"::float8 AS "rows" FROM pg_class WHERE "relname" IN ('Customer', 'CustomerLifecycle') AND "relkind" = 'r'`;
    expect(Object.fromEntries(estimates.map((row) => [row.table, Number(row.rows)]))).toEqual({
      Customer: shop.customers().length,
      CustomerLifecycle: shop.customers().length,
    });
  });

  it("writes nothing when nothing changed", async () => {
    const history = await prisma.stageChange.count(shopScope);
    const result = await recomputeShop(prisma, TEST_SHOP, new Date());
    expect(result).toMatchObject({ customers: shop.customers().length, changed: 0, stageChanges: 0 });
    expect(await prisma.stageChange.count(shopScope)).toBe(history);
  });

  it("lets stages drift with time, recording each change and the day's transitions", async () => {
    const before = new Map((await prisma.customerLifecycle.findMany(shopScope)).map((row) => [row.customerId, row]));
    const later = new Date(Date.now() + 400 * 86_400_000);
    const result = await recomputeShop(prisma, TEST_SHOP, later);
    expect(result.stageChanges).toBeGreaterThan(0);
    const lifecycles = await prisma.customerLifecycle.findMany(shopScope);
    // A stage that holds keeps its start and its reason; a new stage starts now.
    for (const row of lifecycles) {
      const previous = before.get(row.customerId)!;
      if (row.stage === previous.stage)
        expect(row).toMatchObject({ stageSince: previous.stageSince, reasonKey: previous.reasonKey, reasonValues: previous.reasonValues });
      else expect(row.stageSince).toEqual(later);
    }
    expect(lifecycles.some((row) => row.stage === before.get(row.customerId)!.stage)).toBe(true);
    // A year and more of silence: no buyer is new, developing, loyal or reactivated any more.
    expect(lifecycles.filter((row) => ["new", "developing", "loyal", "reactivated", "advocate"].includes(row.stage))).toEqual([]);
    const transitions = await prisma.dailyTransition.findMany({ where: { shop: TEST_SHOP, day: shopDay(later, null) } });
    expect(transitions.reduce((sum, row) => sum + row.customers, 0)).toBe(result.stageChanges);
    expect(transitions.every((row) => row.fromStage !== row.toStage)).toBe(true);
    // Back to today for the next test.
    await recomputeShop(prisma, TEST_SHOP, new Date());
  });

  it("drops the lifecycle of a customer no longer in the store", async () => {
    const [row] = await prisma.customerLifecycle.findMany({ ...shopScope, take: 1 });
    await prisma.customerLifecycle.create({ data: { ...row!, customerId: "999999999" } });
    await recomputeShop(prisma, TEST_SHOP, new Date());
    expect(await prisma.customerLifecycle.count({ where: { shop: TEST_SHOP, customerId: "999999999" } })).toBe(0);
    expect(await prisma.customerLifecycle.count(shopScope)).toBe(shop.customers().length);
  });

  it("recomputes one customer when their order arrives", async () => {
    const prospect = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, stage: "prospect" } });
    const order = shop.createOrder({
      customerId: Number(prospect.customerId),
      paid: true,
      lineItems: [{ title: "Wool socks", sku: "SOCK-1", quantity: 2, price: "12.00" }],
    });
    const response = await action({ request: signedWebhookRequest({ topic: "orders/paid", body: orderPayload(shop, order) }), params: {}, context: {} });
    expect(response.status).toBe(200);
    await testWorker().runUntilIdle();

    const after = await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: prospect.customerId } } });
    expect(after).toMatchObject({ stage: "new", purchases: 1, reasonKey: "lifecycle.reason.new" });
    expect(after.recency).not.toBeNull();
    const change = await prisma.stageChange.findFirstOrThrow({ where: { shop: TEST_SHOP, customerId: prospect.customerId }, orderBy: { id: "desc" } });
    expect(change).toMatchObject({ fromStage: "prospect", toStage: "new" });
  });

  it("places a repeat customer the merchant marked as an advocate in the advocate stage, and back when unmarked", async () => {
    const repeat = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, stage: { in: ["developing", "loyal"] } } });
    await markAdvocate(prisma, TEST_SHOP, repeat.customerId, true);
    await testWorker().runUntilIdle();
    const marked = await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: repeat.customerId } } });
    expect(marked).toMatchObject({ stage: "advocate", reasonKey: "lifecycle.reason.advocateMarked" });
    // The daily run agrees.
    await recomputeShop(prisma, TEST_SHOP, new Date());
    expect((await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: repeat.customerId } } })).stage).toBe(
      "advocate",
    );

    await markAdvocate(prisma, TEST_SHOP, repeat.customerId, false);
    await testWorker().runUntilIdle();
    expect((await prisma.customerLifecycle.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: repeat.customerId } } })).stage).toBe(
      repeat.stage,
    );
  });
});
