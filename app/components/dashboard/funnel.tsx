import { Banner, BlockStack, InlineGrid, InlineStack, Link, ProgressBar, Text } from "@shopify/polaris";
import type { MessageKey } from "~/i18n/i18n";
import { CONVERSION_STEPS, type ConversionStep, type StepKind } from "~/lifecycle/funnel";
import type { DashboardData } from "~/lifecycle-models/dashboard.server";
import { customersUrl, type DashboardFormats } from "./formats";

export function Funnel({ dashboard, formats }: { dashboard: DashboardData; formats: DashboardFormats }) {
  const { t } = formats;
  const { period } = dashboard;
  const dropOff = period.steps.find((step) => step.key === period.dropOff);
  const groups: StepKind[] = ["progress", "winBack", "loss"];
  return (
    <BlockStack gap="400">
      <Text as="p" tone="subdued">
        {t("dashboard.funnel.explain")} {period.startsLate ? t("dashboard.funnel.since", { day: formats.day(period.from) }) : null}{" "}
        {dashboard.historyReplayed ? t("dashboard.funnel.replayed") : null}
      </Text>
      {dropOff && dropOff.rate !== null ? (
        <Banner
          tone="warning"
          title={t("dashboard.dropOff.heading", { step: t(`dashboard.step.${dropOff.key}` as MessageKey) })}
          action={{ content: t("dashboard.dropOff.action"), url: customersUrl({ stage: dropOff.from[0]! }) }}
        >
          <BlockStack gap="100">
            <Text as="p">
              {t("dashboard.dropOff.rate", { rate: formats.percent(dropOff.rate), moved: formats.number(dropOff.moved), base: formats.number(dropOff.base) })}
            </Text>
            <Text as="p">{t(`dashboard.advice.${dropOff.key}` as MessageKey)}</Text>
          </BlockStack>
        </Banner>
      ) : null}
      {groups.map((kind) => (
        <BlockStack key={kind} gap="200">
          <Text as="h3" variant="headingSm">
            {t(`dashboard.funnel.${kind}`)}
          </Text>
          {period.steps
            .filter((step) => step.kind === kind)
            .map((step) => (
              <FunnelStep key={step.key} step={step} formats={formats} />
            ))}
        </BlockStack>
      ))}
    </BlockStack>
  );
}

export function FunnelStep({ step, formats }: { step: ConversionStep; formats: DashboardFormats }) {
  const { t } = formats;
  const label = t(`dashboard.step.${step.key}` as MessageKey);
  const definition = CONVERSION_STEPS.find((candidate) => candidate.key === step.key)!;
  return (
    <div data-testid={`step-${step.key}`}>
      <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="200" alignItems="center">
        <BlockStack gap="100">
          <InlineStack align="space-between" gap="200">
            <Link url={customersUrl({ stage: definition.from.length === 1 ? definition.from[0]! : step.to })} id={`step-label-${step.key}`} removeUnderline>
              {label}
            </Link>
            <Text as="span" variant="bodySm" tone="subdued">
              {step.base > 0 ? t("dashboard.step.moved", { moved: formats.number(step.moved), base: formats.number(step.base) }) : t("dashboard.step.none")}
            </Text>
          </InlineStack>
          <ProgressBar
            progress={(step.rate ?? 0) * 100}
            size="small"
            tone={step.kind === "loss" ? "critical" : step.kind === "winBack" ? "highlight" : "primary"}
            ariaLabelledBy={`step-label-${step.key}`}
          />
        </BlockStack>
        <Text as="span" variant="headingMd" alignment="end" numeric>
          <span data-testid={`step-rate-${step.key}`}>{formats.percent(step.rate)}</span>
        </Text>
      </InlineGrid>
    </div>
  );
}
