import { DEFAULT_STAGE_SETTINGS, type Reason, type StageSettings } from "./model";
import { gapsInDays, medianOfSorted, percentileOfSorted, purchases } from "./orders";
import type { OrderFacts } from "./model";

/** Repeat-purchase gaps needed before the shop's own rhythm is trusted over the defaults. */
export const MIN_GAPS_FOR_SHOP_RHYTHM = 20;

export interface ShopRhythm {
  repurchaseIntervalDays: number;
  lapseAfterDays: number;
  /** How these were found, for the settings page. */
  explanation: Reason;
  gapsSeen: number;
}

/**
 * The shop's usual rhythm from its own orders: the median days between two purchases of the same
 * customer, and the lapse threshold at the 90th percentile of those gaps (nine returning customers
 * in ten come back sooner), never less than twice the usual interval. A shop with too few repeat
 * purchases to tell gets the defaults, and is told so.
 */
export function shopRhythm(ordersByCustomer: Iterable<readonly OrderFacts[]>): ShopRhythm {
  const gaps: number[] = [];
  for (const orders of ordersByCustomer) gaps.push(...gapsInDays(purchases(orders)));
  return rhythmOfSortedGaps(gaps.sort((a, b) => a - b));
}

/** The shop's rhythm from all its customers' repeat-purchase gaps in days, sorted lowest first. */
export function rhythmOfSortedGaps(gaps: ArrayLike<number>): ShopRhythm {
  if (gaps.length < MIN_GAPS_FOR_SHOP_RHYTHM) {
    return {
      repurchaseIntervalDays: DEFAULT_STAGE_SETTINGS.repurchaseIntervalDays,
      lapseAfterDays: DEFAULT_STAGE_SETTINGS.lapseAfterDays,
      explanation: {
        key: "lifecycle.rhythm.defaults",
        values: { gaps: gaps.length, needed: MIN_GAPS_FOR_SHOP_RHYTHM, interval: DEFAULT_STAGE_SETTINGS.repurchaseIntervalDays, lapse: DEFAULT_STAGE_SETTINGS.lapseAfterDays },
      },
      gapsSeen: gaps.length,
    };
  }
  const interval = Math.max(1, Math.round(medianOfSorted(gaps)));
  const lapse = Math.max(Math.round(percentileOfSorted(gaps, 0.9)), 2 * interval);
  return {
    repurchaseIntervalDays: interval,
    lapseAfterDays: lapse,
    explanation: { key: "lifecycle.rhythm.fromStore", values: { gaps: gaps.length, interval, lapse } },
    gapsSeen: gaps.length,
  };
}

/** The settings stages are computed with: the shop's rhythm, with whatever the merchant overrode. */
export function stageSettings(rhythm: ShopRhythm, overrides: Partial<StageSettings> = {}): StageSettings {
  return {
    ...DEFAULT_STAGE_SETTINGS,
    repurchaseIntervalDays: rhythm.repurchaseIntervalDays,
    lapseAfterDays: rhythm.lapseAfterDays,
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined && value !== null)),
  };
}
