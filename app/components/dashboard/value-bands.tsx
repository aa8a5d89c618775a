import { BlockStack, Card, InlineGrid, Link, Text } from "@shopify/polaris";
import type { MessageKey } from "~/i18n/i18n";
import type { DashboardData } from "~/lifecycle-models/dashboard.server";
import { customersUrl, type DashboardFormats } from "./formats";

export function ValueBands({ dashboard, formats }: { dashboard: DashboardData; formats: DashboardFormats }) {
  const { t } = formats;
  const revenue = dashboard.bands.reduce((sum, band) => sum + band.revenueMinor, 0);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.bands.heading")}
        </Text>
        <InlineGrid columns={3} gap="300">
          {[...dashboard.bands].reverse().map((band) => (
            <BlockStack key={band.band} gap="100">
              <Text as="span" tone="subdued">
                {t(`lifecycle.band.${band.band}` as MessageKey)}
              </Text>
              <span data-testid={`band-count-${band.band}`}>
                <Link url={customersUrl({ band: band.band })} monochrome removeUnderline>
                  <Text as="span" variant="headingLg">
                    {formats.number(band.customers)}
                  </Text>
                </Link>
              </span>
              <Text as="span" variant="bodySm" tone="subdued">
                {t("dashboard.bands.revenueShare", { share: formats.percent(revenue > 0 ? band.revenueMinor / revenue : null) })}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
