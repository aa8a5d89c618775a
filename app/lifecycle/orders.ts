import type { OrderFacts } from "./model";

// Statuses of an order the customer actually paid for (at least partly kept).
const PAID_STATUSES = new Set(["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED"]);

/** What an order is worth now: its total less what was refunded, never below zero. */
export function netMinor(order: OrderFacts): number {
  return Math.max(order.totalMinor - order.refundedMinor, 0);
}

/**
 * The orders that count as purchases: paid, not cancelled, not a test, not refunded in full.
 * Sorted oldest first.
 */
export function purchases(orders: readonly OrderFacts[]): OrderFacts[] {
  return orders
    .filter((order) => !order.test && !order.cancelled && PAID_STATUSES.has(order.financialStatus) && netMinor(order) > 0)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
}

/** Whole days between consecutive purchases. */
export function gapsInDays(bought: readonly OrderFacts[]): number[] {
  const gaps: number[] = [];
  // Whole days, as silence is counted: thresholds compare like with like.
  for (let index = 1; index < bought.length; index += 1) gaps.push(Math.floor((bought[index]!.at.getTime() - bought[index - 1]!.at.getTime()) / 86_400_000));
  return gaps;
}

export function median(values: readonly number[]): number {
  return medianOfSorted([...values].sort((a, b) => a - b));
}

export function medianOfSorted(sorted: ArrayLike<number>): number {
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The value below which `share` (0–1) of the values fall (nearest rank). */
export function percentile(values: readonly number[], share: number): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), share);
}

export function percentileOfSorted(sorted: ArrayLike<number>, share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}
