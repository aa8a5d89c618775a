import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { STAGES } from "~/lifecycle/model";
import { action, loader } from "~/routes/app._index";
import { action as webhookAction } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { BROWSER_USER_AGENT, openAppAsMerchant } from "../support/install";
import { importStoreOnce, shopScope } from "../sync/support";
import { countJobs } from "../support/jobs";

const { sandbox, shop } = installTestSandbox({ customers: 140, seed: 61 });
routeWebhooksToApp(webhookAction);

const signed = async (path: string, init: RequestInit = {}) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, { ...init, headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
const load = async (query = "") => loader({ request: await signed(`/app${query}`), params: {}, context: {} });

describe("dashboard before the import has finished", () => {
  it("shows the import's progress and no numbers", async () => {
    await openAppAsMerchant();
    const data = await load();
    expect(data.dashboard.backfill).toMatchObject({ status: "running" });
    expect(data.dashboard.computedAt).toBeNull();
    expect(data.dashboard.totalCustomers).toBe(0);
  });
});

describe("dashboard", () => {
  importStoreOnce(sandbox, shop, {
    afterImport: async () => {
      // Another shop's customers must never count here.
      await prisma.customerLifecycle.create({
        data: {
          shop: "other-shop.myshopify.com",
          customerId: "gid://shopify/Customer/1",
          stage: "loyal",
          reasonKey: "lifecycle.reason.loyal",
          stageSince: new Date(),
          rfmGroup: "CHAMPIONS",
          valueBand: "large",
          recency: 5,
          frequency: 5,
          monetary: 5,
          purchases: 9,
          netRevenueMinor: 99_000,
          trailingYearRevenueMinor: 99_000,
          computedAt: new Date(),
        },
      });
    },
  });

  it("counts customers and revenue per stage and value band exactly as the database holds them", async () => {
    const { dashboard } = await load();
    const rows = await prisma.customerLifecycle.findMany(shopScope);
    expect(dashboard.totalCustomers).toBe(shop.customers().length);
    for (const { stage, customers, revenueMinor } of dashboard.stages) {
      const inStage = rows.filter((row) => row.stage === stage);
      expect({ stage, customers, revenueMinor }).toEqual({
        stage,
        customers: inStage.length,
        revenueMinor: inStage.reduce((sum, row) => sum + row.trailingYearRevenueMinor, 0),
      });
    }
    for (const { band, customers } of dashboard.bands) expect(customers).toBe(rows.filter((row) => row.valueBand === band).length);
    // The R×F grid holds every buyer once, in the cell of their scores.
    for (const row of rows.filter((entry) => entry.recency !== null)) expect(dashboard.grid[row.frequency! - 1]![row.recency! - 1]).toBeGreaterThan(0);
    expect(dashboard.grid.flat().reduce((sum, cell) => sum + cell, 0)).toBe(rows.filter((row) => row.recency !== null).length);
    // Amounts and days are read in the shop's own currency and time zone, stored by the import.
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
      currencyCode: shop.info.currencyCode,
      ianaTimezone: shop.info.ianaTimezone,
    });
    expect(dashboard.currencyCode).toBe(shop.info.currencyCode);
    const buyers = rows.filter((row) => row.purchases >= 1).length;
    expect(dashboard.rates).toMatchObject({ buyers, repeatBuyers: rows.filter((row) => row.purchases >= 2).length });
  });

  it("draws a year of replayed weekly history up to today's live counts", async () => {
    const { dashboard } = await load("?period=365");
    expect(dashboard.historyReplayed).toBe(true);
    expect(dashboard.trend).toHaveLength(53);
    const today = dashboard.trend[dashboard.trend.length - 1]!;
    expect(today.day).toBe(dashboard.today);
    for (const { stage, customers } of dashboard.stages) expect(today.counts[stage] ?? 0).toBe(customers);
  });

  it("converts over the chosen period from the recorded moves, and a longer period sees at least as many moves", async () => {
    const quarter = (await load("?period=90")).dashboard.period;
    const year = (await load("?period=365")).dashboard.period;
    const transitions = await prisma.dailyTransition.findMany({ where: { shop: TEST_SHOP, day: { gt: year.from } } });
    const firstOrders = transitions.filter((row) => row.fromStage === "prospect" && row.toStage === "new").reduce((sum, row) => sum + row.customers, 0);
    expect(year.steps.find((step) => step.key === "firstOrder")!.moved).toBe(firstOrders);
    for (const step of year.steps) {
      const shorter = quarter.steps.find((candidate) => candidate.key === step.key)!;
      expect(step.moved).toBeGreaterThanOrEqual(shorter.moved);
      if (step.rate !== null) expect(step.rate).toBeLessThanOrEqual(1);
    }
    expect(year.steps.some((step) => step.moved > 0)).toBe(true);
  });

  it("compares today with a week ago", async () => {
    const { dashboard } = await load();
    const weekAgo = await prisma.dailyStageCount.findMany({ where: { shop: TEST_SHOP, day: dashboard.week.from! } });
    for (const delta of dashboard.week.deltas) {
      expect(delta.before).toBe(weekAgo.find((row) => row.stage === delta.stage)?.customers ?? 0);
      expect(delta.now).toBe(dashboard.stages.find((row) => row.stage === delta.stage)!.customers);
    }
    expect(STAGES.length).toBeGreaterThanOrEqual(dashboard.week.deltas.length);
  });

  it("sums the points customers hold", async () => {
    await prisma.loyaltyAccount.createMany({
      data: [
        { shop: TEST_SHOP, customerId: "gid://shopify/Customer/900001", available: 120, pending: 30 },
        { shop: "other-shop.myshopify.com", customerId: "gid://shopify/Customer/900002", available: 5000, pending: 0 },
      ],
    });
    const { dashboard } = await load();
    const held = await prisma.loyaltyAccount.aggregate({ where: { shop: TEST_SHOP }, _sum: { available: true, pending: true } });
    expect(dashboard.points).toEqual({ available: held._sum.available, pending: held._sum.pending });
  });

  it("refuses a period it does not offer with 400", async () => {
    const outcome = await load("?period=7").catch((thrown: unknown) => thrown);
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(400);
  });

  it("refuses an unknown action with 400 and approves the write-back after the dry run", async () => {
    const post = async (form: Record<string, string>) =>
      action({ request: await signed("/app?index", { method: "POST", body: new URLSearchParams(form) }), params: {}, context: {} });
    const refused = (await post({ intent: "drop-tables" })) as Response;
    expect(refused.status).toBe(400);
    expect((await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).writeBackApprovedAt).toBeNull();

    expect(await post({ intent: "approve-write-back" })).toEqual({ approved: true });
    expect((await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).writeBackApprovedAt).not.toBeNull();
    expect(await countJobs({ shop: TEST_SHOP, kind: "write-back", status: "queued" })).toBe(1);
  });
});
