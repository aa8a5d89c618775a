import { describe, expect, it } from "vitest";
import { evaluateCustomer, evaluateShop, ShopMeasures } from "~/lifecycle/evaluate";
import { DEFAULT_STAGE_SETTINGS, type CustomerFacts } from "~/lifecycle/model";
import { quintileCutoffs, rfmCutoffs, scoreRfm, type RfmInput } from "~/lifecycle/rfm";
import { shopRhythm } from "~/lifecycle/rhythm";
import { DEFAULT_VALUE_BAND_SETTINGS, valueBandCutoffs, valueBandCutoffsOfSorted, valueBands, type ValueBandSettings } from "~/lifecycle/value-band";
import { generatedShop, NOW } from "./facts";

const SETTINGS: ValueBandSettings[] = [DEFAULT_VALUE_BAND_SETTINGS, { largeShare: 0.5, mediumShare: 0.3 }, { largeShare: 0, mediumShare: 0.4 }, { largeShare: 0.1, mediumShare: 0 }];

/** What a full run finds customer by customer, against cut-offs gathered first (as the paged recompute does). */
function evaluateGathered(customers: readonly CustomerFacts[], valueBandSettings: ValueBandSettings) {
  const measures = new ShopMeasures(NOW);
  for (const customer of customers) measures.add(customer);
  const rhythm = measures.rhythm();
  const settings = { stages: { ...DEFAULT_STAGE_SETTINGS, repurchaseIntervalDays: rhythm.repurchaseIntervalDays, lapseAfterDays: rhythm.lapseAfterDays }, valueBands: valueBandSettings };
  const cutoffs = measures.cutoffs(valueBandSettings);
  return { rhythm, settings, cutoffs, customers: customers.map((customer) => evaluateCustomer(customer, settings, cutoffs, NOW)) };
}

describe("ShopMeasures", () => {
  it.each([
    [3_000, 1],
    [2_000, 7],
    [500, 99],
  ])("gives %i generated customers (seed %i) exactly what evaluateShop gives them", (size, seed) => {
    const shop = generatedShop(size, seed);
    for (const valueBandSettings of SETTINGS) {
      const gathered = evaluateGathered(shop, valueBandSettings);
      expect(gathered.rhythm).toEqual(shopRhythm(shop.map((customer) => customer.orders)));
      const whole = evaluateShop(shop, gathered.settings, NOW);
      expect(gathered.cutoffs).toEqual(whole.cutoffs);
      // The stored cut-offs are compared as the settings row keeps them.
      expect(JSON.stringify(gathered.cutoffs)).toBe(JSON.stringify(whole.cutoffs));
      expect(gathered.customers).toEqual(whole.customers);
    }
    // The generated shop reaches every score and band, so the comparison means something.
    const { customers } = evaluateGathered(shop, DEFAULT_VALUE_BAND_SETTINGS);
    expect(new Set(customers.map((customer) => customer.recency))).toEqual(new Set([null, 1, 2, 3, 4, 5]));
    expect(new Set(customers.map((customer) => customer.valueBand))).toEqual(new Set(["small", "medium", "large"]));
    expect(new Set(customers.map((customer) => customer.stage)).size).toBeGreaterThan(5);
  });

  it("handles an empty shop, a shop without buyers and a one-customer shop", () => {
    for (const shop of [[], generatedShop(50, 3).map((customer) => ({ ...customer, orders: [] })), generatedShop(40, 5).filter((customer) => customer.orders.length > 2).slice(0, 1)]) {
      const gathered = evaluateGathered(shop, DEFAULT_VALUE_BAND_SETTINGS);
      const whole = evaluateShop(shop, gathered.settings, NOW);
      expect(gathered.cutoffs).toEqual(whole.cutoffs);
      expect(gathered.customers).toEqual(whole.customers);
      expect(gathered.rhythm).toEqual(shopRhythm(shop.map((customer) => customer.orders)));
    }
  });
});

describe("cut-offs from sorted values", () => {
  it("quintileCutoffs finds what rfmCutoffs finds from the scores", () => {
    let state = 5;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (const size of [1, 2, 3, 7, 10, 101, 1_000]) {
      const inputs: RfmInput[] = Array.from({ length: size }, (_, index) => ({
        id: `c${index}`,
        daysSinceLastPurchase: Math.floor(random() * 40),
        purchases: 1 + Math.floor(random() * random() * 6),
        netRevenueMinor: 100 * Math.floor(random() * 50),
      }));
      const expected = rfmCutoffs(inputs, scoreRfm(inputs));
      const sorted = (values: number[]) => Float64Array.from(values).sort();
      expect({
        recency: quintileCutoffs(sorted(inputs.map((input) => -input.daysSinceLastPurchase!))),
        frequency: quintileCutoffs(sorted(inputs.map((input) => input.purchases))),
        monetary: quintileCutoffs(sorted(inputs.map((input) => input.netRevenueMinor))),
      }).toEqual(expected);
    }
    expect(quintileCutoffs([])).toEqual([null, null, null, null, null]);
    expect(quintileCutoffs([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 3, 5, 7, 9]);
  });

  it("valueBandCutoffsOfSorted finds what valueBandCutoffs finds from the bands", () => {
    const revenue = new Map([
      ["a", 900],
      ["b", 500],
      ["c", 500],
      ["d", 300],
      ["e", 100],
      ["f", 0],
    ]);
    for (const settings of SETTINGS) {
      const sorted = [...revenue.values()].sort((x, y) => y - x);
      expect(valueBandCutoffsOfSorted(sorted, settings)).toEqual(valueBandCutoffs(revenue, valueBands(revenue, settings)));
      // Customers without revenue change nothing.
      expect(valueBandCutoffsOfSorted(sorted.slice(0, -1), settings)).toEqual(valueBandCutoffs(revenue, valueBands(revenue, settings)));
    }
    expect(valueBandCutoffsOfSorted([], DEFAULT_VALUE_BAND_SETTINGS)).toEqual({ large: null, medium: null });
  });
});
