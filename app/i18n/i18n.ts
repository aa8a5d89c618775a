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

export function createTranslator(locale: Locale): Translate {
  const messages = catalogs[locale];
  return (key, values) =>
    messages[key].replace(/\{(\w+)\}/g, (match, name: string) => (values && name in values ? String(values[name]) : match));
}
