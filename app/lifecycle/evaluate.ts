import { DAY_MS, type CustomerFacts, type Reason, type Stage, type StageSettings } from "./model";
import { gapsInDays, netMinor, purchases } from "./orders";
import { quintileCutoffs, rfmCutoffs, scoreOne, scoreRfm, type RfmCutoffs, type RfmGroup, type RfmInput, type RfmScores } from "./rfm";
import { rhythmOfSortedGaps, type ShopRhythm } from "./rhythm";
import { computeStage } from "./stage";
import { bandAgainst, valueBandCutoffs, valueBandCutoffsOfSorted, valueBands, type ValueBand, type ValueBandCutoffs, type ValueBandSettings } from "./value-band";

export interface CustomerLifecycle {
  id: string;
  stage: Stage;
  reason: Reason;
  recency: number | null;
  frequency: number | null;
  monetary: number | null;
  rfmGroup: RfmGroup;
  valueBand: ValueBand;
  purchases: number;
  netRevenueMinor: number;
  trailingYearRevenueMinor: number;
  lastPurchaseAt: Date | null;
}

export interface LifecycleSettingsInput {
  stages: StageSettings;
  valueBands: ValueBandSettings;
}

/** Where the shop's scores and bands changed in the last full run: one customer is placed against these between runs. */
export interface ShopCutoffs {
  rfm: RfmCutoffs;
  valueBands: ValueBandCutoffs;
}

const YEAR_MS = 365 * DAY_MS;

function factsOf(customer: CustomerFacts, now: Date) {
  const bought = purchases(customer.orders);
  const last = bought[bought.length - 1];
  const yearAgo = now.getTime() - YEAR_MS;
  const lastPurchaseAt = last?.at ?? null;
  const netRevenueMinor = bought.reduce((sum, order) => sum + netMinor(order), 0);
  const rfmInput: RfmInput = {
    id: customer.id,
    daysSinceLastPurchase: lastPurchaseAt ? Math.floor((now.getTime() - lastPurchaseAt.getTime()) / DAY_MS) : null,
    purchases: bought.length,
    netRevenueMinor,
  };
  return {
    customer,
    bought,
    lastPurchaseAt,
    netRevenueMinor,
    rfmInput,
    trailingYearRevenueMinor: bought.filter((order) => order.at.getTime() > yearAgo).reduce((sum, order) => sum + netMinor(order), 0),
  };
}

function lifecycleOf(
  fact: ReturnType<typeof factsOf>,
  scores: RfmScores | { group: "PROSPECTS" },
  valueBand: ValueBand,
  settings: LifecycleSettingsInput,
  now: Date,
): CustomerLifecycle {
  const { stage, reason } = computeStage(fact.customer, settings.stages, now);
  return {
    id: fact.customer.id,
    stage,
    reason,
    recency: "recency" in scores ? scores.recency : null,
    frequency: "frequency" in scores ? scores.frequency : null,
    monetary: "monetary" in scores ? scores.monetary : null,
    rfmGroup: scores.group,
    valueBand,
    purchases: fact.bought.length,
    netRevenueMinor: fact.netRevenueMinor,
    trailingYearRevenueMinor: fact.trailingYearRevenueMinor,
    lastPurchaseAt: fact.lastPurchaseAt,
  };
}

/** Everything the lifecycle says about every customer of one shop as of `now`, with the cut-offs it found. */
export function evaluateShop(
  customers: readonly CustomerFacts[],
  settings: LifecycleSettingsInput,
  now: Date,
): { customers: CustomerLifecycle[]; cutoffs: ShopCutoffs } {
  const facts = customers.map((customer) => factsOf(customer, now));
  const inputs = facts.map((fact) => fact.rfmInput);
  const rfm = scoreRfm(inputs);
  const revenue = new Map(facts.map((fact) => [fact.customer.id, fact.trailingYearRevenueMinor]));
  const bands = valueBands(revenue, settings.valueBands);
  return {
    customers: facts.map((fact) => lifecycleOf(fact, rfm.get(fact.customer.id)!, bands.get(fact.customer.id) ?? "small", settings, now)),
    cutoffs: { rfm: rfmCutoffs(inputs, rfm), valueBands: valueBandCutoffs(revenue, bands) },
  };
}

/** One customer between full runs: their stage exactly, their scores and band against the shop's last cut-offs. */
export function evaluateCustomer(customer: CustomerFacts, settings: LifecycleSettingsInput, cutoffs: ShopCutoffs, now: Date): CustomerLifecycle {
  const fact = factsOf(customer, now);
  return lifecycleOf(fact, scoreOne(fact.rfmInput, cutoffs.rfm), bandAgainst(fact.trailingYearRevenueMinor, cutoffs.valueBands), settings, now);
}

/** Numbers appended one at a time into a typed array: 8 bytes each, however many customers. */
class NumberColumn {
  private values = new Float64Array(1024);
  private size = 0;

  push(value: number) {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  /** A sorted copy, lowest first. */
  sorted(): Float64Array {
    return this.values.slice(0, this.size).sort();
  }
}

/**
 * A whole shop's cut-offs and rhythm gathered one customer at a time, keeping a few numbers per
 * buyer and none of their orders, so a full run can read the shop in pages. Every customer then
 * evaluated with evaluateCustomer against `cutoffs()` gets what evaluateShop gives them: scores and
 * bands only grow with the measure, so the lowest value of each score places every value of the
 * shop exactly (a test holds the two side by side).
 */
export class ShopMeasures {
  private readonly recency = new NumberColumn();
  private readonly frequency = new NumberColumn();
  private readonly monetary = new NumberColumn();
  private readonly trailingYearRevenue = new NumberColumn();
  private readonly gaps = new NumberColumn();

  constructor(private readonly now: Date) {}

  /** One customer's orders counted in (their referrals and marks decide only their own stage). */
  add(customer: Pick<CustomerFacts, "id" | "orders">) {
    const fact = factsOf({ ...customer, paidReferrals: 0, markedAdvocate: false }, this.now);
    for (const gap of gapsInDays(fact.bought)) this.gaps.push(gap);
    const { daysSinceLastPurchase, purchases: bought, netRevenueMinor } = fact.rfmInput;
    // Prospects have no scores; their trailing revenue is zero, which no band's share counts.
    if (daysSinceLastPurchase === null || bought === 0) return;
    this.recency.push(-daysSinceLastPurchase);
    this.frequency.push(bought);
    this.monetary.push(netRevenueMinor);
    this.trailingYearRevenue.push(fact.trailingYearRevenueMinor);
  }

  /** The shop's rhythm, as shopRhythm finds it from every customer's orders. */
  rhythm(): ShopRhythm {
    return rhythmOfSortedGaps(this.gaps.sorted());
  }

  /** The cut-offs evaluateShop finds for the same customers. */
  cutoffs(settings: ValueBandSettings): ShopCutoffs {
    return {
      rfm: { recency: quintileCutoffs(this.recency.sorted()), frequency: quintileCutoffs(this.frequency.sorted()), monetary: quintileCutoffs(this.monetary.sorted()) },
      valueBands: valueBandCutoffsOfSorted(this.trailingYearRevenue.sorted().reverse(), settings),
    };
  }
}
