import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { replayShopHistory } from "~/lifecycle-models/history.server";
import { recomputeShop, shopDay } from "~/lifecycle-models/recompute.server";
import { effectiveSettings, lifecycleSettings, storedRhythm } from "~/lifecycle-models/settings.server";
import { evaluateShop } from "~/lifecycle/evaluate";
import { replayHistory, weeklyPoints } from "~/lifecycle/history";
import { DAY_MS, type CustomerFacts, type Stage } from "~/lifecycle/model";
import { shopRhythm } from "~/lifecycle/rhythm";
import { generatedShop, NOW } from "../lifecycle/facts";

const SHOP = "paged-recompute.myshopify.com";
// Small pages: a generated shop of a few thousand customers crosses dozens of page boundaries.
const PAGE = 97;
// Ids of several lengths, so their text order (the pages' order) is not their numeric order.
const customers: CustomerFacts[] = generatedShop(2_500, 11).map((customer, index) => ({ ...customer, id: String(7 + index * 13) }));
const createdAt = new Map(
  customers.map((customer) => [customer.id, new Date(Math.min(NOW.getTime() - 30 * DAY_MS, ...customer.orders.map((order) => order.at.getTime() - DAY_MS)))]),
);

beforeAll(async () => {
  const at = (date: Date) => new Date(date);
  await prisma.customer.createMany({
    data: customers.map((customer) => {
      const created = createdAt.get(customer.id)!;
      return { shop: SHOP, id: customer.id, createdAt: created, updatedAt: created, state: "ENABLED", observedAt: created };
    }),
  });
  const orders = customers.flatMap((customer) => customer.orders.map((order) => ({ customer, order })));
  await prisma.order.createMany({
    data: orders.map(({ customer, order }) => ({
      shop: SHOP,
      id: order.id,
      customerId: customer.id,
      name: `#${order.id}`,
      createdAt: at(order.at),
      processedAt: at(order.at),
      updatedAt: at(order.at),
      cancelledAt: order.cancelled ? at(order.at) : null,
      financialStatus: order.financialStatus,
      test: order.test,
      currencyCode: "USD",
      subtotalMinor: order.totalMinor,
      totalMinor: order.totalMinor,
      observedAt: at(order.at),
    })),
  });
  await prisma.refund.createMany({
    data: orders
      .filter(({ order }) => order.refundedMinor > 0)
      .map(({ order }) => ({ shop: SHOP, id: `r-${order.id}`, orderId: order.id, createdAt: at(order.at), amountMinor: order.refundedMinor })),
  });
  await prisma.advocateMark.createMany({ data: customers.filter((customer) => customer.markedAdvocate).map((customer) => ({ shop: SHOP, customerId: customer.id })) });
  await prisma.referral.createMany({
    data: customers.flatMap((customer) =>
      Array.from({ length: customer.paidReferrals }, (_, index) => ({
        shop: SHOP,
        code: `REF-${customer.id}`,
        referrerId: customer.id,
        orderId: `referred-${customer.id}-${index}`,
        channel: "discount_code",
        status: index % 2 ? "approved" : "rewarded",
      })),
    ),
  });
});

/** What evaluateShop says of the whole shop at `now`, with the settings the recompute uses. */
async function wholeShop(now: Date) {
  const rhythm = shopRhythm(customers.map((customer) => customer.orders));
  const settings = effectiveSettings(await lifecycleSettings(prisma, SHOP), rhythm);
  return { rhythm, ...evaluateShop(customers, settings, now) };
}

async function storedRows() {
  return new Map((await prisma.customerLifecycle.findMany({ where: { shop: SHOP } })).map((row) => [row.customerId, row]));
}

/** Every stored row holds what evaluateShop found; `reasons` says whose reason is the new one (a stage that holds keeps its own). */
function expectPlaced(rows: Awaited<ReturnType<typeof storedRows>>, whole: Awaited<ReturnType<typeof wholeShop>>, reasons: (id: string) => boolean) {
  expect(rows.size).toBe(customers.length);
  for (const result of whole.customers) {
    const row = rows.get(result.id)!;
    expect({ id: result.id, ...row }).toMatchObject({
      id: result.id,
      stage: result.stage,
      recency: result.recency,
      frequency: result.frequency,
      monetary: result.monetary,
      rfmGroup: result.rfmGroup,
      valueBand: result.valueBand,
      purchases: result.purchases,
      netRevenueMinor: result.netRevenueMinor,
      trailingYearRevenueMinor: result.trailingYearRevenueMinor,
      lastPurchaseAt: result.lastPurchaseAt,
    });
    if (reasons(result.id)) expect({ id: result.id, key: row.reasonKey, values: JSON.parse(row.reasonValues) as unknown }).toEqual({ id: result.id, ...result.reason });
  }
}

/** A client whose batch transactions fail after the first `transactions`: a recompute stopped half-way. */
function stoppedAfter(transactions: number): PrismaClient {
  let left = transactions;
  return new Proxy(prisma, {
    get(target, property) {
      if (property === "$transaction")
        return (...args: Parameters<PrismaClient["$transaction"]>) => (left-- > 0 ? target.$transaction(...args) : Promise.reject(new Error("stopped")));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("a full recompute read in pages", () => {
  it("places every customer exactly as evaluateShop places the whole shop", async () => {
    // Page edges fall on customers with several orders: each is read whole, within one page.
    const ids = (await prisma.customer.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" }, select: { id: true } })).map((row) => row.id);
    const ordersOf = new Map(customers.map((customer) => [customer.id, customer.orders.length]));
    const edges = ids.filter((_, index) => index % PAGE === 0 || index % PAGE === PAGE - 1);
    expect(edges.filter((id) => ordersOf.get(id)! >= 3).length).toBeGreaterThan(3);

    const result = await recomputeShop(prisma, SHOP, NOW, { customersPerPage: PAGE });
    const whole = await wholeShop(NOW);
    expect(result).toEqual({ customers: customers.length, changed: customers.length, stageChanges: customers.length });
    expectPlaced(await storedRows(), whole, () => true);

    const settings = await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(settings.rfmCutoffs).toBe(JSON.stringify(whole.cutoffs));
    expect(JSON.parse(settings.rhythm!)).toEqual(whole.rhythm);
    expect(whole.rhythm.explanation.key).toBe("lifecycle.rhythm.fromStore");

    // Everyone arrived once: one history row each, the day's arrivals and counts per stage.
    const perStage = new Map<string, number>();
    for (const lifecycle of whole.customers) perStage.set(lifecycle.stage, (perStage.get(lifecycle.stage) ?? 0) + 1);
    expect(perStage.size).toBeGreaterThan(5);
    const history = await prisma.stageChange.findMany({ where: { shop: SHOP } });
    expect(history).toHaveLength(customers.length);
    expect(new Set(history.map((row) => row.customerId)).size).toBe(customers.length);
    expect(history.every((row) => row.fromStage === null && row.at.getTime() === NOW.getTime())).toBe(true);
    const day = shopDay(NOW, null);
    const transitions = await prisma.dailyTransition.findMany({ where: { shop: SHOP, day } });
    expect(new Map(transitions.map((row) => [row.toStage, row.customers]))).toEqual(perStage);
    expect(transitions.every((row) => row.fromStage === "")).toBe(true);
    const counts = await prisma.dailyStageCount.findMany({ where: { shop: SHOP, day } });
    expect(new Map(counts.map((row) => [row.stage, row.customers]))).toEqual(perStage);

    // The same customers in one page: nothing to change; the lifecycle of a customer gone from the store goes.
    const kept = (await storedRows()).get(customers[0]!.id)!;
    await prisma.customerLifecycle.create({ data: { ...kept, customerId: "999999999" } });
    expect(await recomputeShop(prisma, SHOP, NOW)).toEqual({ customers: customers.length, changed: 0, stageChanges: 0 });
    expect(await prisma.customerLifecycle.count({ where: { shop: SHOP, customerId: "999999999" } })).toBe(0);
    expect(await prisma.customerLifecycle.count({ where: { shop: SHOP } })).toBe(customers.length);
  });

  it("run again after being stopped half-way, counts every move exactly once", async () => {
    const before = await storedRows();
    const later = new Date(NOW.getTime() + 150 * DAY_MS);
    await expect(recomputeShop(stoppedAfter(8), SHOP, later, { customersPerPage: PAGE })).rejects.toThrow("stopped");
    const halfway = await prisma.stageChange.count({ where: { shop: SHOP, at: later } });
    expect(halfway).toBeGreaterThan(0);

    const result = await recomputeShop(prisma, SHOP, later, { customersPerPage: PAGE });
    const whole = await wholeShop(later);
    const moved = whole.customers.filter((lifecycle) => lifecycle.stage !== before.get(lifecycle.id)!.stage);
    expect(moved.length).toBeGreaterThan(halfway);
    expect(result.stageChanges).toBe(moved.length - halfway);
    const rows = await storedRows();
    const movedIds = new Set(moved.map((lifecycle) => lifecycle.id));
    expectPlaced(rows, whole, (id) => movedIds.has(id));
    // A stage that held keeps its start and its reason.
    for (const [id, row] of rows)
      if (!movedIds.has(id)) expect({ id, ...row }).toMatchObject({ id, stageSince: before.get(id)!.stageSince, reasonKey: before.get(id)!.reasonKey });

    const history = await prisma.stageChange.findMany({ where: { shop: SHOP, at: later } });
    expect(history.map((row) => row.customerId).sort()).toEqual([...movedIds].sort());
    const transitions = await prisma.dailyTransition.findMany({ where: { shop: SHOP, day: shopDay(later, null) } });
    const expected = new Map<string, number>();
    for (const lifecycle of moved) {
      const key = `${before.get(lifecycle.id)!.stage}>${lifecycle.stage}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(transitions.map((row) => [`${row.fromStage}>${row.toStage}`, row.customers]))).toEqual(expected);
  });

  it("replays the year before the first run page by page as replayHistory replays the whole shop", async () => {
    const settingsRow = await lifecycleSettings(prisma, SHOP);
    const placed = new Map((await prisma.stageChange.findMany({ where: { shop: SHOP, fromStage: null, at: NOW } })).map((row) => [row.customerId, row.toStage as Stage]));
    expect(placed.size).toBe(customers.length);
    const firstCustomerAt = new Date(Math.min(...customers.map((customer) => createdAt.get(customer.id)!.getTime())));
    const points = weeklyPoints(NOW, 52, firstCustomerAt);
    const history = replayHistory(
      customers.map((customer) => ({ ...customer, createdAt: createdAt.get(customer.id)! })),
      effectiveSettings(settingsRow, storedRhythm(settingsRow)).stages,
      points,
      placed,
    );

    expect(await replayShopHistory(prisma, SHOP, { customersPerPage: PAGE })).toEqual({ points: 52, customers: customers.length });
    const days = points.map((at) => shopDay(at, null));
    const counts = await prisma.dailyStageCount.findMany({ where: { shop: SHOP, day: { in: days } } });
    const expected = history.points.flatMap((point, index) =>
      [...point.totals].filter(([, totals]) => totals.customers > 0).map(([stage, totals]) => `${days[index]} ${stage} ${totals.customers} ${totals.revenueMinor}`),
    );
    expect(counts.map((row) => `${row.day} ${row.stage} ${row.customers} ${row.revenueMinor}`).sort()).toEqual(expected.sort());
    const transitions = await prisma.dailyTransition.findMany({ where: { shop: SHOP, day: { in: days.slice(1) } } });
    const expectedMoves = history.points.flatMap((point, index) => [...point.transitions].map(([key, moved]) => `${days[index]} ${key} ${moved}`));
    expect(transitions.map((row) => `${row.day} ${row.fromStage}>${row.toStage} ${row.customers}`).sort()).toEqual(expectedMoves.sort());
  });
});
