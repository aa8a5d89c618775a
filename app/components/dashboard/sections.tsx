import { useNavigation } from "@remix-run/react";
import { BlockStack, InlineGrid, InlineStack, Layout, Link, SkeletonBodyText, Text } from "@shopify/polaris";
import { CardSection, Metric } from "~/components/sections";
import { STAGE_COLOURS, StageTrendChart } from "~/components/stage-trend-chart";
import type { MessageKey } from "~/i18n/i18n";
import { STAGES } from "~/lifecycle/model";
import type { DashboardData } from "~/lifecycle-models/dashboard.server";
import type { LifecycleSummary } from "~/lifecycle-models/summary.server";
import { customersUrl, type DashboardFormats } from "./formats";
import { Funnel } from "./funnel";
import { RecencyFrequencyGrid } from "./recency-frequency-grid";
import { ValueBands } from "./value-bands";
import { WeekCard } from "./week-card";

export function DashboardSections({ dashboard, lifecycle, formats }: { dashboard: DashboardData; lifecycle: LifecycleSummary; formats: DashboardFormats }) {
  const { t } = formats;
  const navigation = useNavigation();
  // Changing the period reloads this page: the period's numbers give way to skeletons meanwhile.
  const reloading = navigation.state === "loading" && navigation.location.pathname === "/app";
  return (
    <>
      <CardSection title={t("home.lifecycle.heading")}>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          {dashboard.stages.map(({ stage, customers, revenueMinor }) => (
            <BlockStack key={stage} gap="100">
              <InlineStack gap="150" blockAlign="center">
                <span aria-hidden style={{ display: "inline-block", width: 10, height: 10, borderRadius: 5, background: STAGE_COLOURS[stage] }} />
                <Text as="span" tone="subdued">
                  {formats.stage(stage)}
                </Text>
              </InlineStack>
              <span data-testid={`stage-count-${stage}`}>
                <Link url={customersUrl({ stage })} monochrome removeUnderline accessibilityLabel={t("dashboard.stages.view", { stage: formats.stage(stage) })}>
                  <Text as="span" variant="headingXl">
                    {formats.number(customers)}
                  </Text>
                </Link>
              </span>
              <Text as="span" variant="bodySm" tone="subdued">
                {t("dashboard.stages.share", { share: formats.percent(customers / dashboard.totalCustomers) })}
              </Text>
              <Text as="span" variant="bodySm" tone="subdued">
                <span data-testid={`stage-revenue-${stage}`}>{t("dashboard.stages.revenue", { revenue: formats.money(revenueMinor) })}</span>
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
        <Text as="p" tone="subdued">
          {t(lifecycle.rhythm.key as MessageKey, lifecycle.rhythm.values)}
        </Text>
        {lifecycle.writeBack.approvedAt ? (
          <Text as="p" tone="subdued">
            <span data-testid="write-back-state">{t("home.writeBack.active", { segments: formats.number(lifecycle.writeBack.segments) })}</span>
          </Text>
        ) : null}
      </CardSection>
      <CardSection title={t("dashboard.kpi.heading")}>
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <BlockStack gap="100">
            <Metric label={t("dashboard.kpi.retention")} value={formats.percent(dashboard.rates.retention)} testId="kpi-retention" />
            <Text as="span" variant="bodySm" tone="subdued">
              {t("dashboard.kpi.retentionHelp", { repeat: formats.number(dashboard.rates.repeatBuyers), buyers: formats.number(dashboard.rates.buyers) })}
            </Text>
          </BlockStack>
          <BlockStack gap="100">
            <Metric label={t("dashboard.kpi.referral")} value={reloading ? "…" : formats.percent(dashboard.rates.referral)} testId="kpi-referral" />
            <Text as="span" variant="bodySm" tone="subdued">
              {t("dashboard.kpi.referralHelp", {
                referred: formats.number(dashboard.rates.referredFirstOrders),
                first: formats.number(dashboard.rates.firstBuyers),
              })}
            </Text>
          </BlockStack>
          <BlockStack gap="100">
            <Metric label={t("dashboard.kpi.points")} value={formats.number(dashboard.points.available)} testId="kpi-points" />
            <Text as="span" variant="bodySm" tone="subdued">
              {t("dashboard.kpi.pointsHelp", { pending: formats.number(dashboard.points.pending) })}
            </Text>
          </BlockStack>
        </InlineGrid>
      </CardSection>
      <CardSection title={t("dashboard.funnel.heading")}>
        {reloading ? <SkeletonBodyText lines={8} /> : <Funnel dashboard={dashboard} formats={formats} />}
      </CardSection>
      <CardSection title={t("dashboard.trend.heading")}>
        {dashboard.trend.length > 1 ? (
          <StageTrendChart
            points={dashboard.trend}
            stages={STAGES}
            label={formats.stage}
            caption={t("dashboard.trend.caption", {
              from: formats.day(dashboard.trend[0]!.day),
              to: formats.day(dashboard.trend[dashboard.trend.length - 1]!.day),
            })}
            tableLabel={t("dashboard.trend.table")}
            dayLabel={t("dashboard.trend.day")}
            formatDay={formats.day}
            formatNumber={formats.number}
          />
        ) : (
          <Text as="p" tone="subdued">
            {t("dashboard.trend.notEnough")}
          </Text>
        )}
      </CardSection>
      <Layout.Section variant="oneHalf">
        <WeekCard dashboard={dashboard} formats={formats} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <BlockStack gap="400">
          <RecencyFrequencyGrid grid={dashboard.grid} formats={formats} />
          <ValueBands dashboard={dashboard} formats={formats} />
        </BlockStack>
      </Layout.Section>
    </>
  );
}
