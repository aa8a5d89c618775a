/**
 * Loyalty points: plain data in, plain data out. Nothing here may import Shopify, Prisma or the
 * network (a test checks). Amounts are minor units of the shop currency; `minorPerUnit` is 100 for
 * USD, 1 for JPY.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface PointsRules {
  /** Points for each whole unit of shop currency spent (1 point per dollar…). */
  pointsPerUnit: number;
  /** What an order earns on: the subtotal (after discounts, before shipping and tax) or the total. */
  basis: "subtotal" | "total";
  /** Days after the purchase before its points can be spent (returns settle first); 0 for at once. */
  pendingDays: number;
  /** Months without earning or spending after which the balance expires; null: never. */
  expiryMonths: number | null;
  /** One reward: this many points… */
  pointsPerReward: number;
  /** …for this much off (minor units), as a single-use discount code. */
  rewardValueMinor: number;
}

export const DEFAULT_POINTS_RULES: PointsRules = {
  pointsPerUnit: 1,
  basis: "subtotal",
  // Through the return window: points are spent only once the order that earned them is settled.
  pendingDays: 14,
  expiryMonths: null,
  pointsPerReward: 500,
  rewardValueMinor: 500,
};

/** An order as the ledger sees it. */
export interface LedgerOrder {
  id: string;
  /** When the customer bought. */
  at: Date;
  subtotalMinor: number;
  totalMinor: number;
  financialStatus: string;
  cancelled: boolean;
  test: boolean;
  minorPerUnit: number;
}

export type EntryKind = "earn" | "reverse" | "adjust" | "redeem" | "restore" | "expire" | "referral";

/** One line of the append-only ledger. Positive points are credits, negative debits. */
export interface LedgerEntry {
  kind: EntryKind;
  points: number;
  /** When it happened (activity, for expiry). */
  at: Date;
  /** From when the points count as spendable (a pending earn counts later). */
  availableAt: Date;
}

// Statuses of an order that was paid, whatever was refunded since.
const PAID_STATUSES = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

export interface Earning {
  points: number;
  /** The amount the points were earned on, kept with them: reversals are proportional to it. */
  basisMinor: number;
  availableAt: Date;
}

/**
 * What a paid order earns under the rules in force: whole points for each whole unit of the basis.
 * Test and cancelled orders earn nothing; an unpaid one earns once it is paid.
 */
export function earningFor(order: LedgerOrder, rules: PointsRules): Earning | null {
  if (order.test || order.cancelled || !PAID_STATUSES.has(order.financialStatus)) return null;
  const basisMinor = rules.basis === "subtotal" ? order.subtotalMinor : order.totalMinor;
  const points = Math.floor((Math.max(0, basisMinor) * rules.pointsPerUnit) / order.minorPerUnit);
  if (points <= 0) return null;
  return { points, basisMinor, availableAt: new Date(order.at.getTime() + rules.pendingDays * DAY_MS) };
}

/**
 * The points still to take back for an order: of the points actually earned (not recomputed with
 * today's rules), the share of the basis refunded so far, rounded to the nearest point, all of them
 * once cancelled or refunded in full. Counting from what is already reversed makes the result the
 * same whatever order the refunds arrive in.
 */
export function reversalOwed(earning: Pick<Earning, "points" | "basisMinor">, refundedMinor: number, cancelled: boolean, alreadyReversed: number): number {
  const share = earning.basisMinor > 0 ? Math.min(1, Math.max(0, refundedMinor) / earning.basisMinor) : 1;
  const target = cancelled ? earning.points : Math.min(earning.points, Math.round(earning.points * share));
  return Math.max(0, target - alreadyReversed);
}

export interface Balance {
  /** Spendable now. Negative when points were spent and the order behind them was refunded since. */
  available: number;
  /** Earned, not yet spendable. */
  pending: number;
}

export function balanceOf(entries: readonly LedgerEntry[], now: Date): Balance {
  let available = 0;
  let pending = 0;
  for (const entry of entries) {
    // A redemption spends the moment it is written, even one stamped a moment after `now`: two
    // redemptions whose clocks were read out of order must still see each other's spending.
    if (entry.kind === "redeem" || entry.availableAt.getTime() <= now.getTime()) available += entry.points;
    else pending += entry.points;
  }
  return { available, pending };
}

// Activity that keeps a balance alive: earning, spending, the merchant's adjustments, referrals.
const ACTIVITY: ReadonlySet<EntryKind> = new Set(["earn", "redeem", "adjust", "referral"]);

/** Calendar months after `at` (the same day of month, clamped), in UTC. */
export function addMonths(at: Date, months: number): Date {
  const result = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1, at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return result;
}

/**
 * The expiry due at `now`: after `expiryMonths` without activity the spendable balance expires,
 * once per quiet spell (keyed by the last activity, so running it again changes nothing).
 */
export function expiryDue(entries: readonly LedgerEntry[], rules: PointsRules, now: Date): { points: number; lastActivity: Date; at: Date } | null {
  if (rules.expiryMonths === null) return null;
  const activity = entries.filter((entry) => ACTIVITY.has(entry.kind)).map((entry) => entry.at.getTime());
  if (activity.length === 0) return null;
  const lastActivity = new Date(Math.max(...activity));
  const at = addMonths(lastActivity, rules.expiryMonths);
  if (at.getTime() > now.getTime()) return null;
  // What is spendable now: a refund since the spell ended has already taken its share.
  const { available } = balanceOf(entries, now);
  return available > 0 ? { points: available, lastActivity, at } : null;
}

export interface NextReward {
  /** What one reward costs. */
  costPoints: number;
  valueMinor: number;
  /** Points still missing before the customer can redeem; 0 when they can now. */
  pointsNeeded: number;
}

export function nextReward(balance: Balance, rules: Pick<PointsRules, "pointsPerReward" | "rewardValueMinor">): NextReward {
  return { costPoints: rules.pointsPerReward, valueMinor: rules.rewardValueMinor, pointsNeeded: Math.max(0, rules.pointsPerReward - Math.max(0, balance.available)) };
}

export class InsufficientPointsError extends Error {
  override readonly name = "InsufficientPointsError";
  constructor(
    readonly available: number,
    readonly needed: number,
  ) {
    super(`${needed} points needed, ${available} available`);
  }
}

/** Checks a redemption of one reward against the spendable balance; throws when it would overspend. */
export function redemptionFor(balance: Balance, rules: PointsRules): { points: number; valueMinor: number } {
  if (balance.available < rules.pointsPerReward) throw new InsufficientPointsError(balance.available, rules.pointsPerReward);
  return { points: rules.pointsPerReward, valueMinor: rules.rewardValueMinor };
}
