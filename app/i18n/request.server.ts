import { resolveLocale, type Locale } from "./i18n";

/** Shopify admin adds `locale` to embedded loads; otherwise the browser's first language decides. */
export function localeFromRequest(request: Request): Locale {
  const fromAdmin = new URL(request.url).searchParams.get("locale");
  if (fromAdmin) return resolveLocale(fromAdmin);
  const firstAccepted = request.headers.get("accept-language")?.split(",")[0]?.split(";")[0];
  return resolveLocale(firstAccepted);
}
