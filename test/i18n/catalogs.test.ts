import { describe, expect, it } from "vitest";
import { createTranslator, messagesFor, resolveLocale, SUPPORTED_LOCALES } from "~/i18n/i18n";

describe("translations", () => {
  it.each(SUPPORTED_LOCALES.filter((locale) => locale !== "en"))("%s has every English key, non-empty, with the same placeholders", (locale) => {
    const english = messagesFor("en");
    const translated = messagesFor(locale);
    expect(Object.keys(translated).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(english) as [keyof typeof english, string][]) {
      expect(translated[key].trim(), key).not.toBe("");
      expect(translated[key].match(/\{\w+\}/g) ?? [], key).toEqual(text.match(/\{\w+\}/g) ?? []);
    }
  });

  it("follows Shopify admin's locale and falls back to English", () => {
    expect(resolveLocale("fr-CA")).toBe("fr");
    expect(resolveLocale("pl")).toBe("pl");
    expect(resolveLocale("de")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
  });

  it("fills placeholders", () => {
    expect(createTranslator("pl")("home.counts.atLeast", { count: "10 000" })).toBe("co najmniej 10 000");
  });
});
