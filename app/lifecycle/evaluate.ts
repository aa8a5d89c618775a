import { DAY_MS, type CustomerFacts, type Reason, type Stage, type StageSettings } from "./model";
import { netMinor, purchases } from "./orders";
import { scoreRfm, type RfmGroup } from "./rfm";
import { computeStage } from "./stage";
import { valueBands, type ValueBand, type ValueBandSettings } from "./value-band";

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

const YEAR_MS = 365 * DAY_MS;

/** Everything the lifecycle says about every customer of one shop, as of `now`. */
export function evaluateShop(
  customers: readonly CustomerFacts[],
  settings: { stages: StageSettings; valueBands: ValueBandSettings },
  now: Date,
): CustomerLifecycle[] {
  const facts = customers.map((customer) => {
    const bought = purchases(customer.orders);
    const last = bought[bought.length - 1];
    const yearAgo = now.getTime() - YEAR_MS;
    return {
      customer,
      bought,
      lastPurchaseAt: last?.at ?? null,
      netRevenueMinor: bought.reduce((sum, order) => sum + netMinor(order), 0),
      trailingYearRevenueMinor: bought.filter((order) => order.at.getTime() > yearAgo).reduce((sum, order) => sum + netMinor(order), 0),
    };
  });
  const rfm = scoreRfm(
    facts.map((fact) => ({
      id: fact.customer.id,
      daysSinceLastPurchase: fact.lastPurchaseAt ? Math.floor((now.getTime() - fact.lastPurchaseAt.getTime()) / DAY_MS) : null,
      purchases: fact.bought.length,
      netRevenueMinor: fact.netRevenueMinor,
    })),
  );
  const bands = valueBands(new Map(facts.map((fact) => [fact.customer.id, fact.trailingYearRevenueMinor])), settings.valueBands);

  return facts.map((fact) => {
    const { stage, reason } = computeStage(fact.customer, settings.stages, now);
    const scores = rfm.get(fact.customer.id)!;
    return {
      id: fact.customer.id,
      stage,
      reason,
      recency: "recency" in scores ? scores.recency : null,
      frequency: "frequency" in scores ? scores.frequency : null,
      monetary: "monetary" in scores ? scores.monetary : null,
      rfmGroup: scores.group,
      valueBand: bands.get(fact.customer.id) ?? "small",
      purchases: fact.bought.length,
      netRevenueMinor: fact.netRevenueMinor,
      trailingYearRevenueMinor: fact.trailingYearRevenueMinor,
      lastPurchaseAt: fact.lastPurchaseAt,
    };
  });
}
