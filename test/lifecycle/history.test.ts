import { describe, expect, it } from "vitest";
import { replayHistory, weeklyPoints, type HistoricalCustomer } from "~/lifecycle/history";
import { DAY_MS, DEFAULT_STAGE_SETTINGS, type Stage, type StageSettings } from "~/lifecycle/model";
import { NOW, order } from "./facts";

const settings: StageSettings = { ...DEFAULT_STAGE_SETTINGS, repurchaseIntervalDays: 30, lapseAfterDays: 120, atRiskMultiple: 2, loyalMinOrders: 3 };
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const person = (id: string, createdDaysAgo: number, orders: HistoricalCustomer["orders"]): HistoricalCustomer => ({
  id,
  createdAt: daysAgo(createdDaysAgo),
  orders,
});

describe("replayHistory", () => {
  it("places each customer as their orders placed them at every point, and counts the moves between points", () => {
    // Signed up 100 days ago, first order 80 days ago, second 50 days ago, third 20 days ago.
    const regular = person("regular", 100, [order(80), order(50), order(20)]);
    const points = [daysAgo(90), daysAgo(60), daysAgo(30), daysAgo(7)];
    const { points: replayed, toCurrent } = replayHistory([regular], settings, points, new Map([["regular", "loyal" as Stage]]));

    const stageAt = (index: number) => [...replayed[index]!.totals].find(([, totals]) => totals.customers === 1)?.[0];
    expect([0, 1, 2, 3].map(stageAt)).toEqual(["prospect", "new", "developing", "loyal"]);
    // The baseline holds no movement; each later point holds exactly the one move into it.
    expect(replayed.map((point) => Object.fromEntries(point.transitions))).toEqual([
      {},
      { "prospect>new": 1 },
      { "new>developing": 1 },
      { "developing>loyal": 1 },
    ]);
    expect(toCurrent.size).toBe(0);
  });

  it("leaves out customers who did not exist yet, and counts their arrival", () => {
    const late = person("late", 40, []);
    const { points: replayed, toCurrent } = replayHistory([late], settings, [daysAgo(60), daysAgo(30)], new Map([["late", "new" as Stage]]));
    expect(replayed[0]!.totals.get("prospect")!.customers).toBe(0);
    expect(Object.fromEntries(replayed[1]!.transitions)).toEqual({ ">prospect": 1 });
    // Today the live recompute has them as new (they bought since the last point).
    expect(Object.fromEntries(toCurrent)).toEqual({ "prospect>new": 1 });
  });

  it("lets silence turn a buyer at risk and then lapsed, with no order needed", () => {
    const quiet = person("quiet", 400, [order(300), order(270), order(240)]);
    const points = [daysAgo(235), daysAgo(170), daysAgo(100)];
    const { points: replayed } = replayHistory([quiet], settings, points, new Map([["quiet", "lapsed" as Stage]]));
    expect(replayed.map((point) => [...point.transitions.keys()])).toEqual([[], ["loyal>at_risk"], ["at_risk>lapsed"]]);
  });

  it("sums the twelve months of net revenue before each point per stage", () => {
    const buyer = person("buyer", 800, [
      order(500, { totalMinor: 9000 }),
      order(10, { totalMinor: 4000, refundedMinor: 1000, financialStatus: "PARTIALLY_REFUNDED" }),
    ]);
    const { points: replayed } = replayHistory([buyer], settings, [daysAgo(300), daysAgo(5)], new Map([["buyer", "reactivated" as Stage]]));
    expect(replayed[0]!.totals.get("lapsed")).toEqual({ customers: 1, revenueMinor: 9000 });
    // The 500-day-old order has left the twelve months; the recent one counts net of its refund.
    expect(replayed[1]!.totals.get("reactivated")).toEqual({ customers: 1, revenueMinor: 3000 });
  });

  it("ignores customers deleted since (they are not in today's stages)", () => {
    const gone = person("gone", 100, [order(50)]);
    const { points: replayed, toCurrent } = replayHistory([gone], settings, [daysAgo(60), daysAgo(30)], new Map());
    expect(replayed.every((point) => [...point.totals.values()].every((totals) => totals.customers === 0))).toBe(true);
    expect(toCurrent.size).toBe(0);
  });
});

describe("weeklyPoints", () => {
  it("goes back week by week, oldest first, ending a week ago", () => {
    const points = weeklyPoints(NOW, 3, daysAgo(1000));
    expect(points).toEqual([daysAgo(21), daysAgo(14), daysAgo(7)]);
  });

  it("starts one week before the first customer of a young shop, and is empty for a shop without customers", () => {
    expect(weeklyPoints(NOW, 52, daysAgo(20))).toEqual([daysAgo(21), daysAgo(14), daysAgo(7)]);
    expect(weeklyPoints(NOW, 52, null)).toEqual([]);
  });
});
