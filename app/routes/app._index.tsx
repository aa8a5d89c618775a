import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useNavigation, useRevalidator } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  Select,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { CardSection, Fact, Metric } from "~/components/sections";
import { STAGE_COLOURS, StageTrendChart } from "~/components/stage-trend-chart";
import prisma from "~/db.server";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { CONVERSION_STEPS, type ConversionStep, type StepKind } from "~/lifecycle/funnel";
import { STAGES, type Stage } from "~/lifecycle/model";
import { DASHBOARD_PERIODS, DashboardQuery } from "~/lifecycle-store/dashboard-query";
import { dashboardData, type DashboardData } from "~/lifecycle-store/dashboard.server";
import { lifecycleSettings } from "~/lifecycle-store/settings.server";
import { lifecycleSummary, type LifecycleSummary } from "~/lifecycle-store/summary.server";
import { authenticate } from "~/shopify.server";
import { currencyFractionDigits } from "~/money";
import { requestWriteBack } from "~/jobs/catalogue.server";
import { markWriteBackDue } from "~/write-back/write-back.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = DashboardQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw Response.json({ error: "Unknown period" }, { status: 400 });
  const [dashboard, lifecycle] = await Promise.all([dashboardData(prisma, session.shop, Number(query.data.period)), lifecycleSummary(prisma, session.shop)]);
  return { dashboard, lifecycle, period: query.data.period };
};

const HomeAction = z.object({ intent: z.literal("approve-write-back") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = HomeAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  await lifecycleSettings(prisma, session.shop);
  await prisma.lifecycleSettings.update({ where: { shop: session.shop }, data: { writeBackApprovedAt: new Date() } });
  // What was approved is a look at everyone (the dry run): after a prefix change, everyone is re-tagged.
  await markWriteBackDue(prisma, session.shop, "all");
  await requestWriteBack(prisma, session.shop);
  return { approved: true as const };
};

// While the store is imported or customers are placed, the page refreshes its numbers this often.
const PROGRESS_REFRESH_MS = 2_000;

const customersUrl = (filters: Record<string, string | number>) =>
  `/app/customers?${new URLSearchParams(Object.entries(filters).map(([key, value]) => [key, String(value)]))}`;

function useFormats(currencyCode: string) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode, maximumFractionDigits: 0 });
  const digits = currencyFractionDigits(currencyCode);
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return {
    t,
    number: (value: number) => number.format(value),
    percent: (value: number | null) => (value === null ? t("dashboard.notAvailable") : percent.format(value)),
    money: (minor: number) => money.format(minor / 10 ** digits),
    day: (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`)),
    stage: (stage: string) => t(`lifecycle.stage.${stage}` as MessageKey),
  };
}
type Formats = ReturnType<typeof useFormats>;

export default function Dashboard() {
  const { dashboard, lifecycle, period } = useLoaderData<typeof loader>();
  const formats = useFormats(dashboard.currencyCode);
  const { t } = formats;
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const importing = dashboard.backfill?.status === "running";
  const placing = !importing && dashboard.computedAt === null && dashboard.backfill?.status === "completed";
  // Right after the first placement, the year before it is still being replayed from the orders.
  const replaying = dashboard.computedAt !== null && !dashboard.historyReplayed && dashboard.totalCustomers > 0;
  useEffect(() => {
    if (!importing && !placing && !replaying) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), PROGRESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [importing, placing, replaying, revalidator]);

  const periodSelect = (
    <Select
      label={t("dashboard.period.label")}
      labelInline
      options={DASHBOARD_PERIODS.map((days) => ({ label: t(`dashboard.period.${days}`), value: days }))}
      value={period}
      onChange={(value) => navigate(`?period=${value}`, { preventScrollReset: true })}
    />
  );

  return (
    <Page title={t("dashboard.title")} primaryAction={dashboard.computedAt ? periodSelect : undefined}>
      <Layout>
        <WriteBackPreview lifecycle={lifecycle} formats={formats} />
        {replaying ? (
          <Layout.Section>
            <Banner tone="info">
              <span data-testid="history-replaying">{t("dashboard.replaying")}</span>
            </Banner>
          </Layout.Section>
        ) : null}
        {importing && dashboard.backfill ? (
          <ImportingState backfill={dashboard.backfill} formats={formats} />
        ) : placing ? (
          <CardSection title={t("dashboard.title")}>
            <Text as="p">{t("dashboard.placing")}</Text>
            <SkeletonBodyText lines={4} />
          </CardSection>
        ) : dashboard.computedAt === null || dashboard.totalCustomers === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState heading={t("dashboard.empty.heading")} image="" action={{ content: t("dashboard.syncLink"), url: "/app/sync" }}>
                <p>{t("dashboard.empty.body")}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <DashboardSections dashboard={dashboard} lifecycle={lifecycle} formats={formats} />
        )}
      </Layout>
    </Page>
  );
}

function DashboardSections({ dashboard, lifecycle, formats }: { dashboard: DashboardData; lifecycle: LifecycleSummary; formats: Formats }) {
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

function Funnel({ dashboard, formats }: { dashboard: DashboardData; formats: Formats }) {
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

function FunnelStep({ step, formats }: { step: ConversionStep; formats: Formats }) {
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

function WeekCard({ dashboard, formats }: { dashboard: DashboardData; formats: Formats }) {
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

function RecencyFrequencyGrid({ grid, formats }: { grid: number[][]; formats: Formats }) {
  const { t } = formats;
  const max = Math.max(1, ...grid.flat());
  const scores = [1, 2, 3, 4, 5];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.grid.heading")}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("dashboard.grid.explain")}
        </Text>
        <table style={{ borderCollapse: "separate", borderSpacing: 4, width: "100%", tableLayout: "fixed" }} data-testid="rf-grid">
          <thead>
            <tr>
              <td />
              {scores.map((r) => (
                <th key={r} scope="col" style={{ fontWeight: 500, fontSize: 12 }}>
                  {t("dashboard.grid.recency", { score: r })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...scores].reverse().map((f) => (
              <tr key={f}>
                <th scope="row" style={{ fontWeight: 500, fontSize: 12 }}>
                  {t("dashboard.grid.frequency", { score: f })}
                </th>
                {scores.map((r) => {
                  const customers = grid[f - 1]![r - 1]!;
                  const strength = customers / max;
                  return (
                    <td
                      key={r}
                      style={{
                        textAlign: "center",
                        padding: "8px 0",
                        borderRadius: 6,
                        background: `rgba(31, 122, 69, ${0.08 + 0.72 * strength})`,
                        color: strength > 0.55 ? "#fff" : "inherit",
                      }}
                    >
                      {customers > 0 ? (
                        <span data-testid={`rf-${r}-${f}`}>
                          <Link
                            url={customersUrl({ r, f })}
                            monochrome
                            removeUnderline
                            accessibilityLabel={t("dashboard.grid.cell", { customers: formats.number(customers), r, f })}
                          >
                            {formats.number(customers)}
                          </Link>
                        </span>
                      ) : (
                        <span data-testid={`rf-${r}-${f}`}>0</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </BlockStack>
    </Card>
  );
}

function ValueBands({ dashboard, formats }: { dashboard: DashboardData; formats: Formats }) {
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

function ImportingState({ backfill, formats }: { backfill: NonNullable<DashboardData["backfill"]>; formats: Formats }) {
  const { t, number } = formats;
  return (
    <CardSection title={t("dashboard.importing.heading")}>
      <Text as="p">{t("dashboard.importing.body")}</Text>
      <Text as="p" id="import-progress-label">
        {backfill.total === null
          ? t("home.sync.runningUnknownTotal", { done: number(backfill.done) })
          : t("home.sync.running", { done: number(backfill.done), total: number(backfill.total) })}
      </Text>
      <ProgressBar progress={backfill.total ? Math.min(100, (backfill.done / Math.max(backfill.total, 1)) * 100) : 0} ariaLabelledBy="import-progress-label" />
      <Box>
        <Button url="/app/sync" variant="plain">
          {t("dashboard.syncLink")}
        </Button>
      </Box>
      <SkeletonBodyText lines={3} />
    </CardSection>
  );
}

function WriteBackPreview({ lifecycle, formats }: { lifecycle: LifecycleSummary; formats: Formats }) {
  const { t, number } = formats;
  const navigation = useNavigation();
  const { writeBack } = lifecycle;
  if (writeBack.preview) {
    return (
      <CardSection title={t("home.writeBack.previewHeading")}>
        {writeBack.preview.prefixChanged ? (
          <Banner tone="warning">
            <span data-testid="write-back-prefix-changed">{t("home.writeBack.prefixChanged")}</span>
          </Banner>
        ) : null}
        <Text as="p">{t("home.writeBack.preview", { customers: number(writeBack.preview.customers) })}</Text>
        <BlockStack gap="100">
          {writeBack.preview.added.map(({ tag, customers }) => (
            <Fact key={tag} label={tag} value={t("home.writeBack.customers", { count: customers })} />
          ))}
        </BlockStack>
        {writeBack.preview.removed.length > 0 ? (
          <>
            <Text as="p">{t("home.writeBack.removed")}</Text>
            <BlockStack gap="100">
              {writeBack.preview.removed.map(({ tag, customers }) => (
                <Fact key={tag} label={tag} value={t("home.writeBack.customers", { count: customers })} />
              ))}
            </BlockStack>
          </>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="approve-write-back" />
          <Button submit variant="primary" loading={navigation.state === "submitting"}>
            {t("home.writeBack.approve")}
          </Button>
        </Form>
      </CardSection>
    );
  }
  return null;
}
