import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { replayShopHistory } from "~/lifecycle-models/history.server";
import { action } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";

import { importStoreOnce } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 150, seed: 53 });
routeWebhooksToApp(action);

// The import queues the first recompute, which queues the replay of the year before it.
importStoreOnce(sandbox, shop, {
  beforeImport: () => {
    // Two long-standing prospects buy for the first time just before the import: the replay must
    // join them as moves from last week's prospects to today's new customers.
    const weekAgo = Date.now() - 8 * 86_400_000;
    const prospects = shop
      .customers()
      .filter((customer) => new Date(customer.createdAt).getTime() < weekAgo && shop.ordersOfCustomer(customer.id).length === 0);
    for (const customer of prospects.slice(0, 2))
      shop.createOrder({ customerId: customer.id, lineItems: [{ title: "House Blend", sku: "HOUSE-BLEND", price: "14.00", quantity: 2 }], paid: true });
  },
});

/** Stage → customers per day, and per day the net flow into each stage. */
async function ledger() {
  const counts = await prisma.dailyStageCount.findMany({ where: { shop: TEST_SHOP }, orderBy: { day: "asc" } });
  const transitions = await prisma.dailyTransition.findMany({ where: { shop: TEST_SHOP } });
  const days = [...new Set(counts.map((row) => row.day))];
  const countsOn = (day: string) => Object.fromEntries(counts.filter((row) => row.day === day).map((row) => [row.stage, row.customers]));
  const flowOn = (day: string) => {
    const flow: Record<string, number> = {};
    for (const row of transitions.filter((entry) => entry.day === day)) {
      if (row.fromStage) flow[row.fromStage] = (flow[row.fromStage] ?? 0) - row.customers;
      flow[row.toStage] = (flow[row.toStage] ?? 0) + row.customers;
    }
    return flow;
  };
  return { days, countsOn, flowOn, transitions };
}

describe("the replayed year before the first recompute", () => {
  it("holds weekly stage counts whose differences are exactly the recorded moves, joining today's live counts", async () => {
    const settings = await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(settings.historyReplayedAt).not.toBeNull();
    const { days, countsOn, flowOn } = await ledger();
    // A year of weeks (the sandbox store is three years old) and today.
    expect(days).toHaveLength(53);
    for (let index = 1; index < days.length; index += 1) {
      const before = countsOn(days[index - 1]!);
      const after = countsOn(days[index]!);
      const flow = flowOn(days[index]!);
      for (const stage of new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(flow)])) {
        expect({ day: days[index], stage, customers: (before[stage] ?? 0) + (flow[stage] ?? 0) }).toEqual({
          day: days[index],
          stage,
          customers: after[stage] ?? 0,
        });
      }
    }
  });

  it("counts as arriving only customers created after the last replayed week", async () => {
    const { days, transitions } = await ledger();
    const today = days[days.length - 1]!;
    const arrivals = transitions.filter((row) => row.day === today && row.fromStage === "").reduce((sum, row) => sum + row.customers, 0);
    const weekBeforeRun =
      (await prisma.stageChange.findFirstOrThrow({ where: { shop: TEST_SHOP, fromStage: null }, orderBy: { at: "asc" } })).at.getTime() - 7 * 86_400_000;
    const created = shop.customers().filter((customer) => new Date(customer.createdAt).getTime() > weekBeforeRun).length;
    expect(arrivals).toBe(created);
    expect(transitions.find((row) => row.day === today && row.fromStage === "prospect" && row.toStage === "new")?.customers).toBeGreaterThanOrEqual(2);
  });

  it("never runs twice for an install", async () => {
    const before = await prisma.dailyTransition.findMany({ where: { shop: TEST_SHOP }, orderBy: [{ day: "asc" }, { fromStage: "asc" }, { toStage: "asc" }] });
    expect(await replayShopHistory(prisma, TEST_SHOP)).toBeNull();
    expect(await prisma.dailyTransition.findMany({ where: { shop: TEST_SHOP }, orderBy: [{ day: "asc" }, { fromStage: "asc" }, { toStage: "asc" }] })).toEqual(
      before,
    );
  });
});
