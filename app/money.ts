/** Amounts in exact minor units (cents), and back: pure, used wherever money is read, stored or shown. */
import { InvalidRecordError } from "./admin-api/errors";

const fractionDigitsCache = new Map<string, number>();

/** ISO 4217 minor-unit digits: 2 for USD, 0 for JPY, 3 for KWD. */
export function currencyFractionDigits(currencyCode: string): number {
  let digits = fractionDigitsCache.get(currencyCode);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      throw new InvalidRecordError(`Unknown currency ${currencyCode}`);
    }
    fractionDigitsCache.set(currencyCode, digits);
  }
  return digits;
}

/** A decimal amount ("12.50") in exact minor units (1250), without floating-point arithmetic. */
export function toMinorUnits(amount: string | number, currencyCode: string): number {
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new InvalidRecordError(`Not an amount: ${JSON.stringify(amount)}`);
  const digits = currencyFractionDigits(currencyCode);
  const [, sign, whole, fraction = ""] = match;
  const kept = fraction.slice(0, digits).padEnd(digits, "0");
  // Shopify sends amounts already at the currency's precision; round half up on anything finer.
  const roundUp = fraction.length > digits && Number(fraction[digits]) >= 5 ? 1 : 0;
  const minor = Number(whole) * 10 ** digits + Number(kept || "0") + roundUp;
  return sign === "-" ? -minor : minor;
}

/** Minor units back to a decimal string for display and exports. */
export function fromMinorUnits(minor: number, currencyCode: string): string {
  const digits = currencyFractionDigits(currencyCode);
  const sign = minor < 0 ? "-" : "";
  const absolute = Math.abs(Math.round(minor));
  if (digits === 0) return `${sign}${absolute}`;
  const text = String(absolute).padStart(digits + 1, "0");
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
