import { useFormatters } from "~/hooks/use-formatters";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";

/** The dashboard's figures: money in the shop's currency, rounded for a glance; a missing share reads "not available". */
export function useDashboardFormats(currencyCode: string) {
  const { t } = useI18n();
  const formats = useFormatters();
  return {
    t,
    number: formats.number,
    percent: (value: number | null) => (value === null ? t("dashboard.notAvailable") : formats.percent(value)),
    money: (minor: number) => formats.money(minor, currencyCode, { wholeUnits: true }),
    day: formats.day,
    stage: (stage: string) => t(`lifecycle.stage.${stage}` as MessageKey),
  };
}
export type DashboardFormats = ReturnType<typeof useDashboardFormats>;

/** The customer list, filtered. */
export const customersUrl = (filters: Record<string, string | number>) =>
  `/app/customers?${new URLSearchParams(Object.entries(filters).map(([key, value]) => [key, String(value)]))}`;
