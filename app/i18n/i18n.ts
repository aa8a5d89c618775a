import en from "./locales/en.json";
import fr from "./locales/fr.json";
import pl from "./locales/pl.json";

export const SUPPORTED_LOCALES = ["en", "fr", "pl"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const catalogs: Record<Locale, Messages> = { en, fr, pl };

/**
 * Shopify admin passes the merchant's language as `locale` (e.g. "fr-CA") on every embedded
 * load; anything we do not ship falls back to English.
 */
export function resolveLocale(requested: string | null | undefined): Locale {
  const language = requested?.trim().toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language ?? "") ? (language as Locale) : "en";
}

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale];
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

// "{count, plural, one {# customer} other {# customers}}": ICU's plural form, with the categories of
// Intl.PluralRules (Polish needs one, few and many) and `#` for the number in the locale's format.
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_FORM = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

export function createTranslator(locale: Locale): Translate {
  const messages = catalogs[locale];
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return (key, values) =>
    messages[key]
      .replace(PLURAL, (match, name: string, branches: string) => {
        const value = Number(values?.[name]);
        if (!values || !(name in values) || Number.isNaN(value)) return match;
        const forms = Object.fromEntries([...branches.matchAll(PLURAL_FORM)].map(([, selector, text]) => [selector!, text!]));
        const form = forms[`=${value}`] ?? forms[plurals.select(value)] ?? forms.other ?? match;
        return form.replace(/#/g, numbers.format(value));
      })
      .replace(/\{(\w+)\}/g, (match, name: string) => (values && name in values ? String(values[name]) : match));
}
