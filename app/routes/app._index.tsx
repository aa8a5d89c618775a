import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, InlineGrid, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { createAdminApi } from "~/admin-api/client.server";
import { AdminApiThrottledError } from "~/admin-api/errors";
import { fetchShopOverview } from "~/admin-api/shop-overview.server";
import prisma from "~/db.server";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { wakeAppWorker } from "~/jobs/app-worker.server";
import { authenticate } from "~/shopify.server";
import { startBackfill } from "~/sync/backfill.server";
import { syncStatus, type SyncStatus } from "~/sync/status.server";
import { lifecycleSummary, type LifecycleSummary } from "~/lifecycle-store/summary.server";
import { lifecycleSettings } from "~/lifecycle-store/settings.server";
import { requestWriteBack } from "~/write-back/jobs.server";
import { inboxSummary } from "~/webhooks/inbox.server";
import { CardSection, Fact, Metric } from "~/components/sections";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const [overview, inbox, sync, lifecycle] = await Promise.all([
    // The shop's live details are a nicety: when Shopify is busy the page still shows what we hold.
    fetchShopOverview(createAdminApi(admin.graphql)).catch((error: unknown) => {
      if (error instanceof AdminApiThrottledError) return null;
      throw error;
    }),
    inboxSummary(prisma, session.shop),
    syncStatus(prisma, session.shop),
    lifecycleSummary(prisma, session.shop),
  ]);
  return { overview, inbox: { ...inbox, lastReceivedAt: inbox.lastReceivedAt?.toISOString() ?? null }, sync, lifecycle };
};

const HomeAction = z.discriminatedUnion("intent", [z.object({ intent: z.literal("backfill") }), z.object({ intent: z.literal("approve-write-back") })]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = HomeAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  if (parsed.data.intent === "approve-write-back") {
    await lifecycleSettings(prisma, session.shop);
    await prisma.lifecycleSettings.update({ where: { shop: session.shop }, data: { writeBackApprovedAt: new Date() } });
    await requestWriteBack(prisma, session.shop);
    wakeAppWorker();
    return { approved: true as const };
  }
  const backfill = await startBackfill(prisma, session.shop, "manual");
  wakeAppWorker();
  return { started: backfill.id };
};

// While an import runs, the page refreshes its numbers this often.
const PROGRESS_REFRESH_MS = 2_000;

export default function Home() {
  const { overview, inbox, sync, lifecycle } = useLoaderData<typeof loader>();
  const timeZone = overview?.shop.ianaTimezone ?? "UTC";
  const { t, locale } = useI18n();
  const revalidator = useRevalidator();
  const running = sync.backfill?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), PROGRESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const number = new Intl.NumberFormat(locale);
  const count = (value: ShopCount) =>
    value === null
      ? "—"
      : value.precision === "EXACT"
        ? number.format(value.count)
        : t("home.counts.atLeast", { count: number.format(value.count) });

  return (
    <Page title={t("home.title")}>
      <Layout>
        <CardSection title={t("home.shop.heading")}>
          {overview ? (
            <>
              <Fact label={t("home.shop.name")} value={overview.shop.name} />
              <Fact label={t("home.shop.domain")} value={overview.shop.myshopifyDomain} />
              <Fact label={t("home.shop.currency")} value={overview.shop.currencyCode} />
              <Fact label={t("home.shop.timezone")} value={overview.shop.ianaTimezone} />
            </>
          ) : (
            <Text as="p" tone="subdued">
              {t("home.shop.busy")}
            </Text>
          )}
        </CardSection>
        <CardSection title={t("home.counts.heading")}>
          <InlineGrid columns={2} gap="400">
            <Metric label={t("home.counts.customers")} value={overview ? count(overview.customersCount) : "—"} testId="customers-count" />
            <Metric label={t("home.counts.orders")} value={overview ? count(overview.ordersCount) : "—"} testId="orders-count" />
          </InlineGrid>
        </CardSection>
        <LifecycleSection lifecycle={lifecycle} />
        <SyncSection sync={sync} timeZone={timeZone} />
        <CardSection title={t("home.inbox.heading")}>
          <Fact label={t("home.inbox.received")} value={number.format(inbox.received)} />
          <Fact label={t("home.inbox.pending")} value={number.format(inbox.pending)} />
          <Fact label={t("home.inbox.failed")} value={number.format(inbox.failed)} />
          <Fact
            label={t("home.inbox.lastReceived")}
            value={
              inbox.lastReceivedAt
                ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(
                    new Date(inbox.lastReceivedAt),
                  )
                : t("home.inbox.never")
            }
          />
        </CardSection>
      </Layout>
    </Page>
  );
}

function LifecycleSection({ lifecycle }: { lifecycle: LifecycleSummary }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const navigation = useNavigation();
  const { writeBack } = lifecycle;
  return (
    <CardSection title={t("home.lifecycle.heading")}>
      {lifecycle.computedAt === null ? (
        <Text as="p">{t("home.lifecycle.notYet")}</Text>
      ) : (
        <>
          <InlineGrid columns={4} gap="400">
            {lifecycle.stages.map(({ stage, customers }) => (
              <Metric key={stage} label={t(`lifecycle.stage.${stage}`)} value={number.format(customers)} testId={`stage-count-${stage}`} />
            ))}
          </InlineGrid>
          <Text as="p" tone="subdued">
            {t(lifecycle.rhythm.key as MessageKey, lifecycle.rhythm.values)}
          </Text>
        </>
      )}
      {writeBack.preview ? (
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {t("home.writeBack.previewHeading")}
          </Text>
          <Text as="p">{t("home.writeBack.preview", { customers: number.format(writeBack.preview.customers) })}</Text>
          <BlockStack gap="100">
            {writeBack.preview.added.map(({ tag, customers }) => (
              <Fact key={tag} label={tag} value={t("home.writeBack.customers", { count: number.format(customers) })} />
            ))}
          </BlockStack>
          <Form method="post">
            <input type="hidden" name="intent" value="approve-write-back" />
            <Button submit variant="primary" loading={navigation.state === "submitting"}>
              {t("home.writeBack.approve")}
            </Button>
          </Form>
        </BlockStack>
      ) : writeBack.approvedAt ? (
        <Text as="p" tone="subdued">
          <span data-testid="write-back-state">{t("home.writeBack.active", { segments: number.format(writeBack.segments) })}</span>
        </Text>
      ) : null}
    </CardSection>
  );
}

function SyncSection({ sync, timeZone }: { sync: SyncStatus; timeZone: string }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const when = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
  const navigation = useNavigation();
  const result = useActionData<typeof action>();
  const shopify = useAppBridge();
  useEffect(() => {
    if (result && "started" in result) shopify.toast.show(t("home.sync.started"));
  }, [result, shopify, t]);
  const backfill = sync.backfill;

  return (
    <CardSection title={t("home.sync.heading")}>
      {backfill?.status === "running" ? (
        <BlockStack gap="200">
          <Text as="p" id="sync-progress-label">
            {backfill.total === null
              ? t("home.sync.runningUnknownTotal", { done: number.format(backfill.done) })
              : t("home.sync.running", { done: number.format(backfill.done), total: number.format(backfill.total) })}
            {" · "}
            {t(backfill.phase === "orders" ? "home.sync.phase.orders" : "home.sync.phase.customers")}
          </Text>
          <span data-testid="sync-progress">
            <ProgressBar progress={backfill.total ? Math.min(100, (backfill.done / Math.max(backfill.total, 1)) * 100) : 0} ariaLabelledBy="sync-progress-label" />
          </span>
          {backfill.rowsPerSecond !== null && backfill.etaSeconds !== null ? (
            <Text as="p" tone="subdued">
              {t("home.sync.rate", { rate: number.format(Math.round(backfill.rowsPerSecond)), eta: duration(backfill.etaSeconds, locale) })}
            </Text>
          ) : null}
          {backfill.method === "paginated" ? <Text as="p" tone="subdued">{t("home.sync.paginated")}</Text> : null}
        </BlockStack>
      ) : backfill?.status === "completed" && backfill.finishedAt ? (
        <Text as="p" tone="success">
          <span data-testid="sync-state">{t("home.sync.completed", { when: when(backfill.finishedAt) })}</span>
        </Text>
      ) : backfill ? (
        <Banner tone="warning">{t("home.sync.failed", { reason: backfill.lastError ?? backfill.status })}</Banner>
      ) : (
        <Text as="p">{t("home.sync.notStarted")}</Text>
      )}
      <InlineGrid columns={3} gap="400">
        <Metric label={t("home.sync.held.customers")} value={number.format(sync.held.customers)} testId="synced-customers" />
        <Metric label={t("home.sync.held.orders")} value={number.format(sync.held.orders)} testId="synced-orders" />
        <Metric label={t("home.sync.held.refunds")} value={number.format(sync.held.refunds)} testId="synced-refunds" />
      </InlineGrid>
      <Fact
        label={t("home.sync.reconciliation")}
        value={
          sync.reconciliation?.finishedAt
            ? t("home.sync.reconciliationResult", { when: when(sync.reconciliation.finishedAt), repaired: number.format(sync.reconciliation.repaired) })
            : t("home.sync.reconciliationNever")
        }
      />
      {sync.deadJobs > 0 ? <Banner tone="critical">{t("home.sync.deadJobs", { count: number.format(sync.deadJobs) })}</Banner> : null}
      <Form method="post">
        <input type="hidden" name="intent" value="backfill" />
        <Button submit disabled={backfill?.status === "running"} loading={navigation.state === "submitting"}>
          {t("home.sync.again")}
        </Button>
      </Form>
    </CardSection>
  );
}

/** "about 3 minutes", in the admin's language. */
function duration(seconds: number, locale: string): string {
  const [value, unit] = seconds < 90 ? [Math.max(1, Math.round(seconds)), "second"] : seconds < 5400 ? [Math.round(seconds / 60), "minute"] : [Math.round(seconds / 3600), "hour"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
}


type ShopCount = { count: number; precision: string } | null;
