import { DAY_MS, STAGES, type OrderFacts, type Stage, type StageSettings } from "./model";
import { netMinor, purchases } from "./orders";
import { computeStage } from "./stage";

/**
 * The shop's past, replayed from its orders: where each customer stood at earlier dates. A shop
 * that installs the app today has years of orders, so its funnel and trend need not start empty.
 *
 * Stages are a function of purchases and time alone, so the past is computed exactly as today is,
 * with two honest limits: refunds count from the order's date (their own dates are not replayed),
 * and there were no merchant advocate marks or app referrals before the app was installed.
 */

export interface HistoricalCustomer {
  id: string;
  createdAt: Date;
  orders: readonly OrderFacts[];
}

export interface StageTotals {
  customers: number;
  /** Net revenue of the twelve months before the point, minor units (as the live counts carry it). */
  revenueMinor: number;
}

export interface ReplayedPoint {
  at: Date;
  totals: Map<Stage, StageTotals>;
  /** "from>to" → customers who moved between the previous point and this one ("" = not a customer yet). */
  transitions: Map<string, number>;
}

export interface ReplayedHistory {
  points: ReplayedPoint[];
  /** From the last replayed point to the stages the live recompute placed customers in. */
  toCurrent: Map<string, number>;
}

const YEAR_MS = 365 * DAY_MS;

export const transitionKey = (from: Stage | null, to: Stage) => `${from ?? ""}>${to}`;

/** Nothing replayed yet at `points`. */
export function emptyReplay(points: readonly Date[]): ReplayedHistory {
  return {
    points: points.map((at) => ({ at, totals: new Map(STAGES.map((stage) => [stage, { customers: 0, revenueMinor: 0 }])), transitions: new Map() })),
    toCurrent: new Map(),
  };
}

/**
 * Replays every customer's stage at each of `points` (oldest first), then compares the last point
 * with `current`, the stages the live recompute holds now. Customers unknown to `current` were
 * deleted since and are left out of the past too, as their data is gone. The customers are added
 * to `into`: a shop can be replayed a page of customers at a time.
 */
export function replayHistory(
  customers: readonly HistoricalCustomer[],
  settings: StageSettings,
  points: readonly Date[],
  current: ReadonlyMap<string, Stage>,
  into: ReplayedHistory = emptyReplay(points),
): ReplayedHistory {
  const { points: replayed, toCurrent } = into;
  const add = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  for (const customer of customers) {
    const now = current.get(customer.id);
    if (now === undefined) continue;
    const bought = purchases(customer.orders);
    let previous: Stage | null = null;
    replayed.forEach((point, index) => {
      const time = point.at.getTime();
      const upTo = bought.filter((order) => order.at.getTime() <= time);
      if (upTo.length === 0 && customer.createdAt.getTime() > time) return;
      const { stage } = computeStage({ id: customer.id, orders: upTo, paidReferrals: 0, markedAdvocate: false }, settings, point.at);
      const totals = point.totals.get(stage)!;
      totals.customers += 1;
      totals.revenueMinor += upTo.filter((order) => order.at.getTime() > time - YEAR_MS).reduce((sum, order) => sum + netMinor(order), 0);
      // The first point is the baseline: who was already there is not a movement.
      if (index > 0 && previous !== stage) add(point.transitions, transitionKey(previous, stage));
      previous = stage;
    });
    if (previous !== now) add(toCurrent, transitionKey(previous, now));
  }
  return into;
}

/**
 * Weekly points ending a week before `now`, going back `weeks` weeks, but not before the shop's
 * first customer (a shop two months old gets eight points, not fifty-two).
 */
export function weeklyPoints(now: Date, weeks: number, firstCustomerAt: Date | null): Date[] {
  if (!firstCustomerAt) return [];
  const points: Date[] = [];
  for (let week = weeks; week >= 1; week -= 1) {
    const at = new Date(now.getTime() - week * 7 * DAY_MS);
    // Keep one point just before the first customer arrived: it is the (empty) baseline.
    if (at.getTime() + 7 * DAY_MS < firstCustomerAt.getTime()) continue;
    points.push(at);
  }
  return points;
}
