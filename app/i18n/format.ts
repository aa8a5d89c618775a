import { currencyFractionDigits } from "~/money";
import type { Locale } from "./i18n";

/**
 * Numbers, money, shares, dates and durations in the admin's language: the one place the pages
 * make Intl formatters. Formatters are made once per locale and options, as they are costly.
 */
export function formattersFor(locale: Locale) {
  const made = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
  const numberFormat = (options: Intl.NumberFormatOptions = {}) => {
    const key = `n${JSON.stringify(options)}`;
    let format = made.get(key) as Intl.NumberFormat | undefined;
    if (!format) made.set(key, (format = new Intl.NumberFormat(locale, options)));
    return format;
  };
  const dateFormat = (options: Intl.DateTimeFormatOptions) => {
    const key = `d${JSON.stringify(options)}`;
    let format = made.get(key) as Intl.DateTimeFormat | undefined;
    if (!format) made.set(key, (format = new Intl.DateTimeFormat(locale, options)));
    return format;
  };
  return {
    number: (value: number) => numberFormat().format(value),
    /** A share (0.25) as a percentage, to one decimal at most. */
    percent: (share: number) => numberFormat({ style: "percent", maximumFractionDigits: 1 }).format(share),
    /** An amount held in minor units (cents); `wholeUnits` rounds it for a glance (dashboard figures). */
    money: (minor: number, currency: string, options: { wholeUnits?: boolean } = {}) =>
      numberFormat({ style: "currency", currency, ...(options.wholeUnits ? { maximumFractionDigits: 0 } : {}) }).format(
        minor / 10 ** currencyFractionDigits(currency),
      ),
    /** An amount as the settings forms hold it, in major units ("12.50"). */
    moneyAmount: (amount: number, currency: string) => numberFormat({ style: "currency", currency }).format(amount),
    /** A day ("2026-03-01", a UTC calendar day) as a date. */
    day: (day: string) => dateFormat({ dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`)),
    /** A moment's date, in `timeZone` (the runtime's own when none is given). */
    date: (at: Date | string, timeZone?: string) => dateFormat({ dateStyle: "medium", timeZone }).format(new Date(at)),
    /** A moment's date and time, in `timeZone` (the runtime's own when none is given). */
    dateTime: (at: Date | string, timeZone?: string) => dateFormat({ dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(at)),
    /** "about 3 minutes": seconds, minutes or hours, whichever reads best. */
    duration: (seconds: number) => {
      const [value, unit] =
        seconds < 90 ? [Math.max(1, Math.round(seconds)), "second"] : seconds < 5400 ? [Math.round(seconds / 60), "minute"] : [Math.round(seconds / 3600), "hour"];
      return numberFormat({ style: "unit", unit, unitDisplay: "long" }).format(value);
    },
    /** "français", "polski": a language named in itself, as language pickers do. */
    languageName: (language: string) => new Intl.DisplayNames([language], { type: "language" }).of(language) ?? language,
  };
}

export type Formatters = ReturnType<typeof formattersFor>;
