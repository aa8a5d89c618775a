/**
 * Money is stored as decimal strings ("12.50"); arithmetic happens in integer cents so totals and
 * refunds never drift by floating-point error.
 */
const MONEY = /^\d+(\.\d{1,2})?$/;

/** A non-negative amount with at most two decimals, as the sandbox accepts from callers. */
export function isMoney(value: string): boolean {
  return MONEY.test(value);
}

/**
 * Cents of a money string; callers validate with isMoney first where the input is untrusted.
 * Rounding absorbs the float error of a two-decimal amount (far below half a cent).
 */
export function toCents(value: string): number {
  return Math.round(Number(value) * 100);
}

/** Totals repeat a lot across 300,000 orders: one shared string per amount saves tens of MB. */
const INTERNED = new Map<number, string>();
const MAX_INTERNED_CENTS = 100_000;

export function fromCents(cents: number): string {
  const whole = Math.round(cents);
  const interned = INTERNED.get(whole);
  if (interned !== undefined) return interned;
  const absolute = Math.abs(whole);
  const text = `${whole < 0 ? "-" : ""}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")}`;
  if (absolute < MAX_INTERNED_CENTS) INTERNED.set(whole, text);
  return text;
}
