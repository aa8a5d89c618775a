import { describe, expect, it } from "vitest";
import { DEFAULT_STAGE_SETTINGS, type StageSettings } from "~/lifecycle/model";
import { computeStage } from "~/lifecycle/stage";
import { customer, NOW, order } from "./facts";

// The shop's rhythm in these tables: customers usually come back after 30 days; lapsed after 120.
const settings: StageSettings = { ...DEFAULT_STAGE_SETTINGS, repurchaseIntervalDays: 30, lapseAfterDays: 120, atRiskMultiple: 2, loyalMinOrders: 3 };
const stageOf = (orders: Parameters<typeof customer>[0], extra: Parameters<typeof customer>[1] = {}) => computeStage(customer(orders, extra), settings, NOW);

describe("computeStage", () => {
  it.each([
    ["no orders at all", "prospect", []],
    ["only an unpaid order", "prospect", [order(3, { financialStatus: "PENDING" })]],
    ["only a cancelled order", "prospect", [order(3, { cancelled: true })]],
    ["only a test order", "prospect", [order(3, { test: true })]],
    ["only a fully refunded order", "prospect", [order(3, { financialStatus: "REFUNDED", refundedMinor: 5000 })]],
    ["refunded in full though still marked partially", "prospect", [order(3, { financialStatus: "PARTIALLY_REFUNDED", refundedMinor: 5000 })]],
    ["one paid order yesterday", "new", [order(1)]],
    ["one partly refunded order", "new", [order(1, { financialStatus: "PARTIALLY_REFUNDED", refundedMinor: 1000 })]],
    ["one order 120 days ago (the lapse threshold itself)", "new", [order(120)]],
    ["one order 121 days ago", "lapsed", [order(121)]],
    ["two orders a month apart", "developing", [order(40), order(10)]],
    ["a second order that was cancelled", "new", [order(40), order(10, { cancelled: true })]],
    ["a second order that was a test", "new", [order(40), order(10, { test: true })]],
    ["three orders at the shop's rhythm", "loyal", [order(70), order(40), order(10)]],
    ["three orders, but far slower than the shop's rhythm", "developing", [order(110), order(60), order(2)]],
    ["a loyal customer silent for exactly twice their usual 30 days", "loyal", [order(120), order(90), order(60)]],
    ["a loyal customer silent one day longer", "at_risk", [order(121), order(91), order(61)]],
    ["a developing customer silent too long", "at_risk", [order(100), order(70)]],
    ["a repeat buyer silent past the lapse threshold", "lapsed", [order(200), order(170), order(140), order(125)]],
    ["back after being at risk", "reactivated", [order(150), order(120), order(90), order(1)]],
    ["back after having lapsed", "reactivated", [order(200), order(170), order(140), order(1)]],
    ["back after having lapsed as a one-time buyer", "reactivated", [order(300), order(2)]],
    ["reactivated, then settled by another order at the usual rhythm", "developing", [order(300), order(60), order(30)]],
  ] as const)("%s → %s", (_name, expected, orders) => {
    expect(stageOf(orders).stage).toBe(expected);
  });

  it("drifts with time alone: new → lapsed, loyal → at risk → lapsed", () => {
    const once = customer([order(0)]);
    expect(computeStage(once, settings, NOW).stage).toBe("new");
    expect(computeStage(once, settings, new Date(NOW.getTime() + 121 * 86_400_000)).stage).toBe("lapsed");

    const regular = customer([order(60), order(30), order(0)]);
    const at = (days: number) => computeStage(regular, settings, new Date(NOW.getTime() + days * 86_400_000)).stage;
    expect([at(0), at(60), at(61), at(120), at(121)]).toEqual(["loyal", "loyal", "at_risk", "at_risk", "lapsed"]);
  });

  it("drifts back: a lapsed customer who buys again is reactivated, and settles into a stage with the next order", () => {
    const orders = [order(400), order(370), order(340)];
    expect(stageOf(orders).stage).toBe("lapsed");
    expect(stageOf([...orders, order(20)]).stage).toBe("reactivated");
    expect(stageOf([...orders, order(40), order(10)]).stage).toBe("loyal");
  });

  it("makes a loyal customer an advocate once a referred friend has paid, and keeps the merchant's choice", () => {
    const loyal = [order(70), order(40), order(10)];
    expect(stageOf(loyal, { paidReferrals: 1 }).stage).toBe("advocate");
    expect(stageOf([order(10)], { paidReferrals: 3 }).stage).toBe("new");
    expect(stageOf([order(40), order(10)], { markedAdvocate: true }).stage).toBe("advocate");
    // Silence still wins: an advocate who stopped buying is at risk.
    expect(stageOf([order(130), order(100), order(70)], { paidReferrals: 2 }).stage).toBe("at_risk");
  });

  it("gives a reason with the numbers that decided it", () => {
    expect(stageOf([order(130), order(100), order(70)]).reason).toEqual({ key: "lifecycle.reason.atRisk", values: { days: 70, multiple: 2, interval: 30 } });
    expect(stageOf([order(121)]).reason).toEqual({ key: "lifecycle.reason.lapsed", values: { days: 121, threshold: 120 } });
    expect(stageOf([order(300), order(2)]).reason).toEqual({ key: "lifecycle.reason.reactivated", values: { days: 298 } });
  });

  it("does not call a customer at risk after a few days because their two orders came a day apart", () => {
    expect(stageOf([order(11), order(10)]).stage).toBe("developing");
  });
});
