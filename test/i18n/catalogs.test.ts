import { describe, expect, it } from "vitest";
import { createTranslator, messagesFor, resolveLocale, SUPPORTED_LOCALES } from "~/i18n/i18n";

describe("translations", () => {
  it.each(SUPPORTED_LOCALES.filter((locale) => locale !== "en"))("%s has every English key, non-empty, with the same placeholders", (locale) => {
    const english = messagesFor("en");
    const translated = messagesFor(locale);
    expect(Object.keys(translated).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(english) as [keyof typeof english, string][]) {
      expect(translated[key].trim(), key).not.toBe("");
      // Word order differs between languages: the same placeholders, in any order.
      const placeholders = (message: string) => (message.match(/\{\w+(?=\}|, plural,)/g) ?? []).sort();
      expect(placeholders(translated[key]), key).toEqual(placeholders(text));
    }
  });

  it("follows Shopify admin's locale and falls back to English", () => {
    expect(resolveLocale("fr-CA")).toBe("fr");
    expect(resolveLocale("pl")).toBe("pl");
    expect(resolveLocale("de")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
  });

  it("chooses each language's plural form, with the number in its format", () => {
    expect(createTranslator("en")("home.writeBack.customers", { count: 1 })).toBe("1 customer");
    expect(createTranslator("en")("home.writeBack.customers", { count: 1234 })).toBe("1,234 customers");
    expect(createTranslator("fr")("home.writeBack.customers", { count: 0 })).toBe("0 client");
    expect(createTranslator("pl")("loyalty.heldReferrals", { count: 3 })).toMatch(/^3 polecenia czekają/);
    expect(createTranslator("pl")("loyalty.heldReferrals", { count: 5 })).toMatch(/^5 poleceń czeka/);
  });

  it("gives every plural message an `other` form, in every language", () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, text] of Object.entries(messagesFor(locale))) {
        if (text.includes(", plural,")) expect(text, `${locale} ${key}`).toMatch(/\bother\s*\{/);
      }
    }
  });

  it("fills placeholders", () => {
    expect(createTranslator("pl")("sync.counts.atLeast", { count: "10 000" })).toBe("co najmniej 10 000");
  });
});
