import { useMemo } from "react";
import { formattersFor, type Formatters } from "~/i18n/format";
import { useI18n } from "~/i18n/react";

/** The formatters (app/i18n/format.ts) in the admin's language. */
export function useFormatters(): Formatters {
  const { locale } = useI18n();
  return useMemo(() => formattersFor(locale), [locale]);
}
