import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { scheduleReconciliation } from "~/jobs/catalogue.server";
import { generateActivity, ManualClock } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";
import { expectStoreMirrored, runBackfill, shopScope } from "./support";
import { findJobs } from "../support/jobs";

const clock = new ManualClock(new Date());
const { sandbox, shop } = installTestSandbox({ customers: 40, seed: 23, shopClock: clock.now });
routeWebhooksToApp(action);

const bodyOf = (body: string) => JSON.parse(body) as { id?: number; order_id?: number };

describe("reconciliation", () => {
  it("repairs what dropped webhooks missed, and records its run", async () => {
    await openAppAsMerchant();
    await runBackfill(sandbox, shop);
    await expectStoreMirrored(shop);

    generateActivity(shop, { seed: 4, count: 60, advance: clock.advance, meanGapMinutes: 2 });
    const pending = sandbox.webhooks(TEST_SHOP).pending();
    // Lose every delivery about one order and one customer, as if Shopify never sent them.
    const lostOrder = bodyOf(pending.find((delivery) => delivery.topic === "orders/paid")!.body).id!;
    const lostCustomer = bodyOf(pending.find((delivery) => delivery.topic === "customers/update")!.body).id!;
    const results = await sandbox.webhooks(TEST_SHOP).flush({
      drop: (delivery) => {
        const body = bodyOf(delivery.body);
        if (delivery.topic.startsWith("customers/")) return body.id === lostCustomer;
        return body.id === lostOrder || body.order_id === lostOrder;
      },
    });
    expect(results.filter((result) => result.outcome === "dropped").length).toBeGreaterThan(1);
    const worker = testWorker();
    await worker.runUntilIdle();

    const staleOrder = await prisma.order.findUnique({ where: { shop_id: { shop: TEST_SHOP, id: String(lostOrder) } } });
    expect(staleOrder?.updatedAt.getTime()).not.toBe(Date.parse(shop.order(lostOrder)!.updatedAt));
    const staleCustomer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: TEST_SHOP, id: String(lostCustomer) } } });
    expect(staleCustomer.updatedAt.getTime()).not.toBe(Date.parse(shop.customer(lostCustomer)!.updatedAt));

    await scheduleReconciliation(prisma, TEST_SHOP, new Date(), 0);
    await worker.runUntilIdle();

    await expectStoreMirrored(shop);
    const run = await prisma.reconciliationRun.findFirstOrThrow(shopScope);
    expect(run).toMatchObject({ status: "completed", customersRepaired: 1 });
    expect(run.ordersRepaired).toBeGreaterThanOrEqual(1);
    expect(run.customersFetched).toBeGreaterThanOrEqual(run.customersRepaired);
    expect(run.queryCost).toBeGreaterThan(0);
    // The next one is already scheduled, at the shop's next hourly slot (at least half an hour on), from a new watermark.
    const [next] = await findJobs({ shop: TEST_SHOP, kind: "reconcile", status: "queued" });
    expect(next!.runAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(next!.runAt.getTime()).toBeLessThanOrEqual(Date.now() + 90 * 60_000);
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).reconciledThrough).toEqual(run.startedAt);

    // Processed payloads older than the retention period are gone; recent ones stay. (The hourly
    // retention job prunes them, not reconciliation: an uninstalled shop's stop too, see test/webhooks/retention.test.ts.)
    const old = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: TEST_SHOP, status: "processed" } });
    await prisma.webhookDelivery.update({ where: { id: old.id }, data: { processedAt: new Date(Date.now() - 31 * 24 * 3600_000) } });
    const kept = await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } });

    // A second run finds nothing left to repair.
    await scheduleReconciliation(prisma, TEST_SHOP, new Date(), 0);
    await worker.runUntilIdle();
    const second = await prisma.reconciliationRun.findFirstOrThrow({ ...shopScope, orderBy: { id: "desc" } });
    expect(second).toMatchObject({ status: "completed", customersRepaired: 0, ordersRepaired: 0 });
    await testWorker({ now: () => new Date(Date.now() + 61 * 60_000) }).runUntilIdle();
    expect(await prisma.webhookDelivery.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(kept - 1);
  });
});
