import { describe, expect, it } from "vitest";
import {
  addMonths,
  balanceOf,
  DEFAULT_POINTS_RULES,
  earningFor,
  expiryDue,
  InsufficientPointsError,
  nextReward,
  redemptionFor,
  reversalOwed,
  type LedgerEntry,
  type LedgerOrder,
  type PointsRules,
} from "~/loyalty/points";

const NOW = new Date("2026-11-23T12:00:00Z");
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const order = (patch: Partial<LedgerOrder> = {}): LedgerOrder => ({
  id: "1",
  at: days(-1),
  subtotalMinor: 4_550,
  totalMinor: 5_200,
  financialStatus: "PAID",
  cancelled: false,
  test: false,
  minorPerUnit: 100,
  ...patch,
});
const rules = (patch: Partial<PointsRules> = {}): PointsRules => ({ ...DEFAULT_POINTS_RULES, ...patch });
const entry = (kind: LedgerEntry["kind"], points: number, at: Date, availableAt = at): LedgerEntry => ({ kind, points, at, availableAt });

describe("earning", () => {
  it.each([
    ["a paid order: whole points per whole unit of the subtotal", order(), rules(), 45],
    ["on the total when configured", order(), rules({ basis: "total" }), 52],
    ["at 3 points per unit", order(), rules({ pointsPerUnit: 3 }), 136],
    ["in a currency without minor units", order({ subtotalMinor: 4_550, minorPerUnit: 1 }), rules({ pointsPerUnit: 0.01 }), 45],
    ["once partly refunded (it was paid)", order({ financialStatus: "PARTIALLY_REFUNDED" }), rules(), 45],
    ["once fully refunded (then reversed in full)", order({ financialStatus: "REFUNDED" }), rules(), 45],
  ])("%s", (_name, input, ruleSet, points) => {
    expect(earningFor(input, ruleSet)?.points).toBe(points);
  });

  it.each([
    ["a test order", order({ test: true })],
    ["a cancelled order", order({ cancelled: true })],
    ["an unpaid order", order({ financialStatus: "PENDING" })],
    ["an authorized, not captured order", order({ financialStatus: "AUTHORIZED" })],
    ["an order under one unit", order({ subtotalMinor: 99 })],
    ["a free order", order({ subtotalMinor: 0 })],
  ])("nothing for %s", (_name, input) => {
    expect(earningFor(input, rules())).toBeNull();
  });

  it("keeps the basis with the points and makes them spendable after the pending period", () => {
    expect(earningFor(order(), rules({ pendingDays: 14 }))).toEqual({ points: 45, basisMinor: 4_550, availableAt: days(13) });
  });
});

describe("reversal", () => {
  const earned = { points: 45, basisMinor: 4_550 };
  it.each([
    ["nothing refunded", 0, false, 0, 0],
    ["a partial refund: the refunded share of the points earned", 1_000, false, 0, 10],
    ["rounded to the nearest point", 1_100, false, 0, 11],
    ["what is left after an earlier reversal", 2_000, false, 10, 10],
    ["a full refund takes back exactly what was earned", 4_550, false, 0, 45],
    ["a refund beyond the subtotal (shipping, tax) takes back no more", 5_200, false, 0, 45],
    ["a cancellation takes back the rest", 1_000, true, 10, 35],
    ["never more than was earned", 4_550, true, 45, 0],
  ])("%s", (_name, refunded, cancelled, already, owed) => {
    expect(reversalOwed(earned, refunded, cancelled, already)).toBe(owed);
  });

  it("ends at the same total whatever order two refunds arrive in", () => {
    const inOrder = reversalOwed(earned, 1_234, false, 0);
    const total = inOrder + reversalOwed(earned, 1_234 + 2_000, false, inOrder);
    const laterFirst = reversalOwed(earned, 2_000, false, 0);
    expect(laterFirst + reversalOwed(earned, 2_000 + 1_234, false, laterFirst)).toBe(total);
  });
});

describe("balance", () => {
  it("counts pending points apart until they are spendable", () => {
    const entries = [entry("earn", 100, days(-30)), entry("earn", 40, days(-1), days(13)), entry("redeem", -50, days(-2))];
    expect(balanceOf(entries, NOW)).toEqual({ available: 50, pending: 40 });
    expect(balanceOf(entries, days(14))).toEqual({ available: 90, pending: 0 });
  });

  it("counts a redemption stamped a moment after now as already spent", () => {
    // Two redemptions read their clocks, then take the customer's lock in the other order.
    const later = new Date(NOW.getTime() + 3);
    expect(balanceOf([entry("earn", 600, days(-30)), entry("redeem", -500, later)], NOW)).toEqual({ available: 100, pending: 0 });
  });

  it("goes negative when spent points are taken back by a refund", () => {
    expect(balanceOf([entry("earn", 100, days(-30)), entry("redeem", -100, days(-20)), entry("reverse", -30, days(-1))], NOW).available).toBe(-30);
  });
});

describe("expiry after months without activity", () => {
  const ruleSet = rules({ expiryMonths: 12 });
  it("expires the spendable balance once the quiet spell is over", () => {
    const entries = [entry("earn", 100, new Date("2025-10-01T00:00:00Z")), entry("redeem", -30, new Date("2025-11-01T00:00:00Z"))];
    expect(expiryDue(entries, ruleSet, NOW)).toEqual({ points: 70, lastActivity: new Date("2025-11-01T00:00:00Z"), at: new Date("2026-11-01T00:00:00Z") });
  });

  it("not before, not without a rule, and not twice", () => {
    const recent = [entry("earn", 100, new Date("2026-01-15T00:00:00Z"))];
    expect(expiryDue(recent, ruleSet, NOW)).toBeNull();
    expect(expiryDue([entry("earn", 100, new Date("2020-01-01T00:00:00Z"))], rules(), NOW)).toBeNull();
    const old = [entry("earn", 100, new Date("2025-01-01T00:00:00Z"))];
    const due = expiryDue(old, ruleSet, NOW)!;
    expect(expiryDue([...old, entry("expire", -due.points, due.at)], ruleSet, NOW)).toBeNull();
  });

  it("a reversal or an expiry is not activity that keeps points alive", () => {
    const entries = [entry("earn", 100, new Date("2025-01-01T00:00:00Z")), entry("reverse", -10, new Date("2026-06-01T00:00:00Z"))];
    expect(expiryDue(entries, ruleSet, NOW)?.points).toBe(90);
  });

  it.each([
    ["2026-01-31T10:00:00Z", 1, "2026-02-28T10:00:00Z"],
    ["2024-01-31T00:00:00Z", 1, "2024-02-29T00:00:00Z"],
    ["2025-11-30T00:00:00Z", 12, "2026-11-30T00:00:00Z"],
  ])("months after %s (+%i) is %s", (from, months, to) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(new Date(to).toISOString());
  });
});

describe("rewards", () => {
  it("says how many points the next reward still needs", () => {
    expect(nextReward({ available: 320, pending: 50 }, rules())).toEqual({ costPoints: 500, valueMinor: 500, pointsNeeded: 180 });
    expect(nextReward({ available: 900, pending: 0 }, rules()).pointsNeeded).toBe(0);
    expect(nextReward({ available: -40, pending: 0 }, rules()).pointsNeeded).toBe(500);
  });

  it("redeems one reward only from spendable points", () => {
    expect(redemptionFor({ available: 500, pending: 0 }, rules())).toEqual({ points: 500, valueMinor: 500 });
    expect(() => redemptionFor({ available: 499, pending: 400 }, rules())).toThrow(InsufficientPointsError);
  });
});
