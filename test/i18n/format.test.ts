import { describe, expect, it } from "vitest";
import { formattersFor } from "~/i18n/format";

describe("formatters in the admin's language", () => {
  const fr = formattersFor("fr");
  const en = formattersFor("en");

  it("formats money held in minor units by the currency's own decimals, optionally rounded to whole units", () => {
    expect(fr.money(123456, "EUR")).toBe(new Intl.NumberFormat("fr", { style: "currency", currency: "EUR" }).format(1234.56));
    expect(en.money(1500, "JPY")).toBe(new Intl.NumberFormat("en", { style: "currency", currency: "JPY" }).format(1500));
    expect(en.money(123456, "USD", { wholeUnits: true })).toBe("$1,235");
    expect(en.moneyAmount(12.5, "USD")).toBe("$12.50");
  });

  it("formats numbers, shares, days and durations", () => {
    expect(fr.number(1234567)).toBe(new Intl.NumberFormat("fr").format(1234567));
    expect(en.percent(0.12345)).toBe("12.3%");
    expect(en.day("2026-03-01")).toBe("Mar 1, 2026");
    expect(en.dateTime("2026-03-01T12:00:00Z", "Europe/Warsaw")).toBe(
      new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Warsaw" }).format(new Date("2026-03-01T12:00:00Z")),
    );
    expect(en.duration(30)).toBe("30 seconds");
    expect(en.duration(600)).toBe("10 minutes");
    expect(en.duration(7200)).toBe("2 hours");
    expect(fr.languageName("pl")).toBe("polski");
  });
});
