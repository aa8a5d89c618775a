import { BlockStack, Card, InlineStack, Link, Text } from "@shopify/polaris";
import type { Stage } from "~/lifecycle/model";
import type { DashboardData } from "~/lifecycle-models/dashboard.server";
import { customersUrl, type DashboardFormats } from "./formats";

export function WeekCard({ dashboard, formats }: { dashboard: DashboardData; formats: DashboardFormats }) {
  const { t } = formats;
  const { week } = dashboard;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.week.heading")}
        </Text>
        {!week.from || week.from === dashboard.today ? (
          <Text as="p" tone="subdued">
            {t("dashboard.week.noHistory")}
          </Text>
        ) : week.deltas.length === 0 && week.movements.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("dashboard.week.since", { day: formats.day(week.from) })} · {t("dashboard.week.nothing")}
          </Text>
        ) : (
          <>
            <Text as="p" tone="subdued">
              {t("dashboard.week.since", { day: formats.day(week.from) })}
            </Text>
            <Text as="h3" variant="headingSm">
              {t("dashboard.week.stages")}
            </Text>
            <BlockStack gap="100">
              {week.deltas.map((delta) => (
                <InlineStack key={delta.stage} align="space-between" gap="200">
                  <Link url={customersUrl({ stage: delta.stage })} removeUnderline>
                    {formats.stage(delta.stage)}
                  </Link>
                  <Text
                    as="span"
                    numeric
                    tone={delta.delta > 0 ? (isLoss(delta.stage) ? "critical" : "success") : isLoss(delta.stage) ? "success" : "critical"}
                  >
                    <span data-testid={`week-delta-${delta.stage}`}>
                      {formats.number(delta.before)} → {formats.number(delta.now)} ({delta.delta > 0 ? "+" : ""}
                      {formats.number(delta.delta)})
                    </span>
                  </Text>
                </InlineStack>
              ))}
            </BlockStack>
            {week.movements.length ? (
              <>
                <Text as="h3" variant="headingSm">
                  {t("dashboard.week.movements")}
                </Text>
                <BlockStack gap="100">
                  {week.movements.map((move) => (
                    <Text key={`${move.fromStage}>${move.toStage}`} as="p">
                      {move.fromStage
                        ? t("dashboard.week.moved", {
                            customers: formats.number(move.customers),
                            from: formats.stage(move.fromStage),
                            to: formats.stage(move.toStage),
                          })
                        : t("dashboard.week.arrived", { customers: formats.number(move.customers), to: formats.stage(move.toStage) })}
                    </Text>
                  ))}
                </BlockStack>
              </>
            ) : null}
          </>
        )}
      </BlockStack>
    </Card>
  );
}

const isLoss = (stage: Stage) => stage === "at_risk" || stage === "lapsed";
