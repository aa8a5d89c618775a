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
      const placeholders = (message: string) => (message.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(translated[key]), key).toEqual(placeholders(text));
    }
  });

  it("follows Shopify admin's locale and falls back to English", () => {
    expect(resolveLocale("fr-CA")).toBe("fr");
    expect(resolveLocale("pl")).toBe("pl");
    expect(resolveLocale("de")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
  });

  it("fills placeholders", () => {
    expect(createTranslator("pl")("sync.counts.atLeast", { count: "10 000" })).toBe("co najmniej 10 000");
  });
});
