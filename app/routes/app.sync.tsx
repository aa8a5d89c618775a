import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { CardSection, Fact, Metric } from "~/components/sections";
import { ImportSection } from "~/components/sync/import-section";
import { InboxSection } from "~/components/sync/inbox-section";
import { JobsSection } from "~/components/sync/jobs-section";
import { ReconciliationSection } from "~/components/sync/reconciliation-section";
import { RefusalsSection } from "~/components/sync/refusals-section";
import { useFormatters } from "~/hooks/use-formatters";
import { usePolling } from "~/hooks/use-polling";
import { useI18n } from "~/i18n/react";
import { authenticate } from "~/shopify.server";
import { loadSyncPage, runSyncRequest } from "~/sync/sync-page.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  return loadSyncPage(session.shop, admin.graphql);
};

// Database ids: digits only, within a 32-bit integer.
const Id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

const SyncAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("backfill") }),
  z.object({ intent: z.literal("reconcile") }),
  // The job engine's id: a number's text on the table engine, a uuid on pg-boss.
  z.object({ intent: z.literal("retry-job"), jobId: z.string().regex(/^(\d{1,12}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i) }),
  z.object({ intent: z.literal("retry-all-jobs") }),
  z.object({ intent: z.literal("retry-delivery"), deliveryId: Id }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = SyncAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  const result = await runSyncRequest(session.shop, parsed.data, new Date());
  if (!result) return Response.json({ error: parsed.data.intent === "retry-job" ? "No such failed job" : "No such failed delivery" }, { status: 404 });
  return result;
};

export default function SyncPage() {
  const { overview, health, refused } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const formats = useFormatters();
  // While an import runs, the page refreshes its numbers.
  usePolling(health.sync.backfill?.status === "running");
  useActionToast();
  const count = (value: ShopCount) =>
    value === null ? "—" : value.precision === "EXACT" ? formats.number(value.count) : t("sync.counts.atLeast", { count: formats.number(value.count) });

  return (
    <Page title={t("sync.title")}>
      <Layout>
        <CardSection title={t("sync.shop.heading")}>
          {overview ? (
            <>
              <Fact label={t("sync.shop.name")} value={overview.shop.name} />
              <Fact label={t("sync.shop.domain")} value={overview.shop.myshopifyDomain} />
              <Fact label={t("sync.shop.currency")} value={overview.shop.currencyCode} />
              <Fact label={t("sync.shop.timezone")} value={overview.shop.ianaTimezone} />
            </>
          ) : (
            <Text as="p" tone="subdued">
              {t("sync.shop.busy")}
            </Text>
          )}
        </CardSection>
        <CardSection title={t("sync.counts.heading")}>
          <InlineGrid columns={2} gap="400">
            <Metric label={t("sync.counts.customers")} value={overview ? count(overview.customersCount) : "—"} testId="customers-count" />
            <Metric label={t("sync.counts.orders")} value={overview ? count(overview.ordersCount) : "—"} testId="orders-count" />
          </InlineGrid>
        </CardSection>
        <ImportSection sync={health.sync} timeZone={health.timeZone} />
        <InboxSection health={health} />
        <JobsSection deadJobs={health.deadJobs} total={health.sync.deadJobs} timeZone={health.timeZone} />
        <RefusalsSection refused={refused} timeZone={health.timeZone} />
        <ReconciliationSection reconciliation={health.reconciliation} timeZone={health.timeZone} />
      </Layout>
    </Page>
  );
}

/** A toast for what the last action did; an error if what it was about is gone (retried or pruned meanwhile). */
function useActionToast() {
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const shopify = useAppBridge();
  const { t } = useI18n();
  const formats = useFormatters();
  useEffect(() => {
    if (!result) return;
    if ("error" in result) shopify.toast.show(t("sync.toast.gone"), { isError: true });
    else if ("started" in result) shopify.toast.show(t("sync.toast.started"));
    else if ("reconcileRequested" in result) shopify.toast.show(t("sync.toast.reconcileRequested"));
    else if ("retriedJobs" in result) shopify.toast.show(t("sync.toast.jobsRetried", { count: formats.number(result.retriedJobs) }));
    else shopify.toast.show(t("sync.toast.deliveryRetried"));
  }, [result, shopify, t, formats]);
}

type ActionResult = { error: string } | { started: number } | { reconcileRequested: true } | { retriedJobs: number } | { retriedDelivery: true };

type ShopCount = { count: number; precision: string } | null;
