import { DAY_MS, type CustomerFacts, type Reason, type Stage, type StageSettings } from "./model";
import { gapsInDays, median, purchases } from "./orders";

export interface StageResult {
  stage: Stage;
  reason: Reason;
}

// However often someone bought, silence shorter than this is never "at risk".
const MIN_EXPECTED_INTERVAL_DAYS = 7;
// Loyal means buying at least about as often as the shop's customers usually do.
const LOYAL_RHYTHM_SLACK = 1.5;

/**
 * How long this customer usually goes between purchases: their own median gap, but never shorter
 * than half the shop's rhythm (two orders a day apart say little) nor a week.
 */
export function expectedIntervalDays(gaps: readonly number[], settings: StageSettings): number {
  return Math.max(median(gaps), settings.repurchaseIntervalDays / 2, MIN_EXPECTED_INTERVAL_DAYS);
}

const days = (ms: number) => Math.floor(ms / DAY_MS);

/**
 * The customer's stage now, with the reason. Only their purchases and "now" decide it — no stored
 * history — so recomputing is always safe, and reactivation is read from the orders themselves:
 * the gap before the latest purchase was long enough to have made them at risk or lapsed.
 */
export function computeStage(customer: CustomerFacts, settings: StageSettings, now: Date): StageResult {
  const bought = purchases(customer.orders);
  if (bought.length === 0) return { stage: "prospect", reason: { key: "lifecycle.reason.prospect", values: {} } };

  const last = bought[bought.length - 1]!;
  const silentDays = days(now.getTime() - last.at.getTime());
  if (silentDays > settings.lapseAfterDays) {
    return { stage: "lapsed", reason: { key: "lifecycle.reason.lapsed", values: { days: silentDays, threshold: settings.lapseAfterDays } } };
  }

  const gaps = gapsInDays(bought);
  if (bought.length >= 2) {
    const expected = expectedIntervalDays(gaps, settings);
    if (silentDays > settings.atRiskMultiple * expected) {
      return {
        stage: "at_risk",
        reason: { key: "lifecycle.reason.atRisk", values: { days: silentDays, multiple: settings.atRiskMultiple, interval: Math.round(expected) } },
      };
    }
    const lastGap = gaps[gaps.length - 1]!;
    if (wasAtRiskOrLapsed(lastGap, gaps.slice(0, -1), settings)) {
      return { stage: "reactivated", reason: { key: "lifecycle.reason.reactivated", values: { days: Math.floor(lastGap) } } };
    }
  } else {
    return { stage: "new", reason: { key: "lifecycle.reason.new", values: { days: silentDays } } };
  }

  if (customer.markedAdvocate) return { stage: "advocate", reason: { key: "lifecycle.reason.advocateMarked", values: {} } };
  const interval = Math.round(median(gaps));
  const atShopRhythm = median(gaps) <= LOYAL_RHYTHM_SLACK * settings.repurchaseIntervalDays;
  if (bought.length >= settings.loyalMinOrders && atShopRhythm) {
    if (customer.paidReferrals > 0) {
      return { stage: "advocate", reason: { key: "lifecycle.reason.advocate", values: { orders: bought.length, referrals: customer.paidReferrals } } };
    }
    return { stage: "loyal", reason: { key: "lifecycle.reason.loyal", values: { orders: bought.length, interval } } };
  }
  if (!atShopRhythm) {
    return {
      stage: "developing",
      reason: { key: "lifecycle.reason.developingSlow", values: { orders: bought.length, interval, usual: Math.round(settings.repurchaseIntervalDays) } },
    };
  }
  return { stage: "developing", reason: { key: "lifecycle.reason.developing", values: { orders: bought.length, needed: settings.loyalMinOrders } } };
}

/** Before the latest purchase, had the customer been silent long enough to be at risk or lapsed? */
function wasAtRiskOrLapsed(lastGapDays: number, earlierGaps: readonly number[], settings: StageSettings): boolean {
  if (lastGapDays > settings.lapseAfterDays) return true;
  // With a single earlier purchase they were "new", which does not turn at risk.
  if (earlierGaps.length === 0) return false;
  return lastGapDays > settings.atRiskMultiple * expectedIntervalDays(earlierGaps, settings);
}
