import { describe, expect, it } from "vitest";
import { evaluateCustomer, evaluateShop } from "~/lifecycle/evaluate";
import { DEFAULT_STAGE_SETTINGS } from "~/lifecycle/model";
import { DEFAULT_VALUE_BAND_SETTINGS } from "~/lifecycle/value-band";
import { customer, NOW, order } from "./facts";

const settings = { stages: DEFAULT_STAGE_SETTINGS, valueBands: DEFAULT_VALUE_BAND_SETTINGS };

describe("evaluateShop", () => {
  it("gives a one-customer store a full answer", () => {
    const [only] = evaluateShop([customer([order(5)])], settings, NOW).customers;
    expect(only).toMatchObject({ stage: "new", recency: 3, frequency: 3, monetary: 3, rfmGroup: "NEEDS_ATTENTION", valueBand: "large", purchases: 1, netRevenueMinor: 5000 });
  });

  it("reduces monetary value by partial refunds and ignores cancelled and test orders", () => {
    const [result] = evaluateShop(
      [customer([order(50, { financialStatus: "PARTIALLY_REFUNDED", refundedMinor: 2000 }), order(20, { cancelled: true }), order(10, { test: true })])],
      settings,
      NOW,
    ).customers;
    expect(result).toMatchObject({ purchases: 1, netRevenueMinor: 3000, trailingYearRevenueMinor: 3000 });
  });

  it("counts only the last twelve months for the value band", () => {
    const results = evaluateShop(
      [customer([order(400, { totalMinor: 900_000 })], { id: "big-long-ago" }), customer([order(30, { totalMinor: 10_000 })], { id: "recent" })],
      settings,
      NOW,
    ).customers;
    const byId = Object.fromEntries(results.map((result) => [result.id, result]));
    expect(byId["big-long-ago"]).toMatchObject({ trailingYearRevenueMinor: 0, valueBand: "small", stage: "lapsed" });
    expect(byId["recent"]).toMatchObject({ valueBand: "large" });
  });

  it("puts customers without orders in PROSPECTS with no scores", () => {
    const [prospect] = evaluateShop([customer([])], settings, NOW).customers;
    expect(prospect).toMatchObject({ stage: "prospect", rfmGroup: "PROSPECTS", recency: null, frequency: null, monetary: null, valueBand: "small", lastPurchaseAt: null });
  });

  it("places one customer between full runs against the shop's cut-offs, agreeing with the full run", () => {
    const shop = Array.from({ length: 50 }, (_, index) =>
      customer(
        Array.from({ length: 1 + (index % 5) }, (_, n) => order(5 + index * 3 + n * 20, { totalMinor: 1000 * (1 + (index % 7)) })),
        { id: `c${index}` },
      ),
    );
    const full = evaluateShop(shop, settings, NOW);
    for (const [index, facts] of shop.entries()) {
      const one = evaluateCustomer(facts, settings, full.cutoffs, NOW);
      expect(one).toEqual(full.customers[index]);
    }
  });
});
