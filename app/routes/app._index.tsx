import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Banner, Card, EmptyState, Layout, Page, Select, SkeletonBodyText, Text } from "@shopify/polaris";
import { z } from "zod";
import { useDashboardFormats } from "~/components/dashboard/formats";
import { ImportingState } from "~/components/dashboard/importing-state";
import { DashboardSections } from "~/components/dashboard/sections";
import { WriteBackPreview } from "~/components/dashboard/write-back-preview";
import { CardSection } from "~/components/sections";
import { usePolling } from "~/hooks/use-polling";
import { DASHBOARD_PERIODS, DashboardQuery } from "~/lifecycle-models/dashboard-query";
import { loadDashboard } from "~/lifecycle-models/dashboard-page.server";
import { authenticate } from "~/shopify.server";
import { approveWriteBack } from "~/write-back/approval.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = DashboardQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw Response.json({ error: "Unknown period" }, { status: 400 });
  return { ...(await loadDashboard(session.shop, Number(query.data.period))), period: query.data.period };
};

const HomeAction = z.object({ intent: z.literal("approve-write-back") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = HomeAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  await approveWriteBack(session.shop, new Date());
  return { approved: true as const };
};

export default function Dashboard() {
  const { dashboard, lifecycle, period } = useLoaderData<typeof loader>();
  const formats = useDashboardFormats(dashboard.currencyCode);
  const { t } = formats;
  const navigate = useNavigate();
  const importing = dashboard.backfill?.status === "running";
  const placing = !importing && dashboard.computedAt === null && dashboard.backfill?.status === "completed";
  // Right after the first placement, the year before it is still being replayed from the orders.
  const replaying = dashboard.computedAt !== null && !dashboard.historyReplayed && dashboard.totalCustomers > 0;
  // While the store is imported or customers are placed, the page refreshes its numbers.
  usePolling(importing || placing || replaying);

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
