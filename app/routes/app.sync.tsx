import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, DataTable, InlineGrid, InlineStack, Layout, Link, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { createAdminApi } from "~/admin-api/client.server";
import { AdminApiThrottledError } from "~/admin-api/errors";
import { fetchShopOverview } from "~/admin-api/shop-overview.server";
import { CardSection, Fact, Metric } from "~/components/sections";
import prisma from "~/db.server";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { retryDeadJob, retryDeadJobs } from "~/jobs/queue.server";
import { authenticate } from "~/shopify.server";
import { startBackfill } from "~/sync/backfill.server";
import { syncHealth, type SyncHealth } from "~/sync/health.server";
import { scheduleReconciliation } from "~/jobs/catalogue.server";
import { retryFailedDelivery } from "~/webhooks/inbox.server";
import { writeBackRefusals, type WriteBackRefusals } from "~/write-back/refusals.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const [overview, health, refused] = await Promise.all([
    // The shop's live details are a nicety: when Shopify is busy the page still shows what we hold.
    fetchShopOverview(createAdminApi(admin.graphql)).catch((error: unknown) => {
      if (error instanceof AdminApiThrottledError) return null;
      throw error;
    }),
    syncHealth(prisma, session.shop),
    writeBackRefusals(prisma, session.shop),
  ]);
  // The time zone the import stored, else Shopify's answer (before the first import), else UTC.
  return { overview, health: { ...health, timeZone: health.timeZone ?? overview?.shop.ianaTimezone ?? "UTC" }, refused };
};

// Database ids: digits only, within a 32-bit integer.
const Id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

const SyncAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("backfill") }),
  z.object({ intent: z.literal("reconcile") }),
  z.object({ intent: z.literal("retry-job"), jobId: Id }),
  z.object({ intent: z.literal("retry-all-jobs") }),
  z.object({ intent: z.literal("retry-delivery"), deliveryId: Id }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const parsed = SyncAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  const now = new Date();
  switch (parsed.data.intent) {
    case "backfill": {
      // Returns the import already running, if any: one at a time.
      const backfill = await startBackfill(prisma, shop, "manual", now);
      return { started: backfill.id };
    }
    case "reconcile":
      // The shop's hourly check, brought forward to now (or run again right after the one running).
      await scheduleReconciliation(prisma, shop, now, 0);
      return { reconcileRequested: true as const };
    case "retry-job":
      if (!(await retryDeadJob(prisma, shop, parsed.data.jobId, now))) return Response.json({ error: "No such failed job" }, { status: 404 });
      return { retriedJobs: 1 };
    case "retry-all-jobs": {
      const retried = await retryDeadJobs(prisma, shop, now);
      return { retriedJobs: retried };
    }
    case "retry-delivery":
      if (!(await retryFailedDelivery(prisma, shop, parsed.data.deliveryId))) return Response.json({ error: "No such failed delivery" }, { status: 404 });
      return { retriedDelivery: true as const };
  }
};

// While an import runs, the page refreshes its numbers this often.
const PROGRESS_REFRESH_MS = 2_000;

export default function SyncPage() {
  const { overview, health, refused } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const revalidator = useRevalidator();
  const running = health.sync.backfill?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), PROGRESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  useActionToast();
  const number = new Intl.NumberFormat(locale);
  const count = (value: ShopCount) =>
    value === null ? "—" : value.precision === "EXACT" ? number.format(value.count) : t("sync.counts.atLeast", { count: number.format(value.count) });

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
  const { t, locale } = useI18n();
  useEffect(() => {
    if (!result) return;
    if ("error" in result) shopify.toast.show(t("sync.toast.gone"), { isError: true });
    else if ("started" in result) shopify.toast.show(t("sync.toast.started"));
    else if ("reconcileRequested" in result) shopify.toast.show(t("sync.toast.reconcileRequested"));
    else if ("retriedJobs" in result) shopify.toast.show(t("sync.toast.jobsRetried", { count: new Intl.NumberFormat(locale).format(result.retriedJobs) }));
    else shopify.toast.show(t("sync.toast.deliveryRetried"));
  }, [result, shopify, t, locale]);
}

type ActionResult = { error: string } | { started: number } | { reconcileRequested: true } | { retriedJobs: number } | { retriedDelivery: true };

/** Dates in the shop's time zone, in the admin's language. */
function useWhen(timeZone: string) {
  const { locale } = useI18n();
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
  return (iso: string) => format.format(new Date(iso));
}

/** Whether the form being submitted is this one (its intent and, for a row, its id). */
function useSubmitting() {
  const navigation = useNavigation();
  return (intent: string, field?: string, id?: number) =>
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    (field === undefined || navigation.formData.get(field) === String(id));
}

function ImportSection({ sync, timeZone }: { sync: SyncHealth["sync"]; timeZone: string }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const when = useWhen(timeZone);
  const submitting = useSubmitting();
  const backfill = sync.backfill;

  return (
    <CardSection title={t("sync.import.heading")}>
      {backfill?.status === "running" ? (
        <BlockStack gap="200">
          <Text as="p" id="sync-progress-label">
            {backfill.total === null
              ? t("sync.import.runningUnknownTotal", { done: number.format(backfill.done) })
              : t("sync.import.running", { done: number.format(backfill.done), total: number.format(backfill.total) })}
            {" · "}
            {t(backfill.phase === "orders" ? "sync.import.phase.orders" : "sync.import.phase.customers")}
          </Text>
          <span data-testid="sync-progress">
            <ProgressBar
              progress={backfill.total ? Math.min(100, (backfill.done / Math.max(backfill.total, 1)) * 100) : 0}
              ariaLabelledBy="sync-progress-label"
            />
          </span>
          {backfill.rowsPerSecond !== null && backfill.etaSeconds !== null ? (
            <Text as="p" tone="subdued">
              {t("sync.import.rate", { rate: number.format(Math.round(backfill.rowsPerSecond)), eta: duration(backfill.etaSeconds, locale) })}
            </Text>
          ) : null}
          {backfill.method === "paginated" ? (
            <Text as="p" tone="subdued">
              {t("sync.import.paginated")}
            </Text>
          ) : null}
        </BlockStack>
      ) : backfill?.status === "completed" && backfill.finishedAt ? (
        <Text as="p" tone="success">
          <span data-testid="sync-state">{t("sync.import.completed", { when: when(backfill.finishedAt) })}</span>
        </Text>
      ) : backfill ? (
        <Banner tone="warning">{t("sync.import.failed", { reason: backfill.lastError ?? backfill.status })}</Banner>
      ) : (
        <Text as="p">{t("sync.import.notStarted")}</Text>
      )}
      <InlineGrid columns={3} gap="400">
        <Metric label={t("sync.import.held.customers")} value={number.format(sync.held.customers)} testId="synced-customers" />
        <Metric label={t("sync.import.held.orders")} value={number.format(sync.held.orders)} testId="synced-orders" />
        <Metric label={t("sync.import.held.refunds")} value={number.format(sync.held.refunds)} testId="synced-refunds" />
      </InlineGrid>
      <Form method="post">
        <input type="hidden" name="intent" value="backfill" />
        <Button submit disabled={backfill?.status === "running"} loading={submitting("backfill")}>
          {t("sync.import.again")}
        </Button>
      </Form>
    </CardSection>
  );
}

function InboxSection({ health }: { health: SyncHealth & { timeZone: string } }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const when = useWhen(health.timeZone);
  const submitting = useSubmitting();
  const { inbox, topics, failedDeliveries, refusedDeliveries } = health;

  return (
    <CardSection title={t("sync.inbox.heading")}>
      <Fact label={t("sync.inbox.received")} value={number.format(inbox.received)} />
      <Fact label={t("sync.inbox.pending")} value={number.format(inbox.pending)} />
      <Fact label={t("sync.inbox.failed")} value={number.format(inbox.failed)} />
      <Fact label={t("sync.inbox.lastReceived")} value={inbox.lastReceivedAt ? when(inbox.lastReceivedAt) : t("sync.inbox.never")} />
      {topics.length > 0 ? (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric"]}
          headings={[t("sync.inbox.topic"), t("sync.inbox.lastReceived"), t("sync.inbox.lastDay"), t("sync.inbox.failedCount")]}
          rows={topics.map((row) => [row.topic, when(row.lastReceivedAt), number.format(row.lastDay), number.format(row.failed)])}
        />
      ) : null}
      <Text as="h3" variant="headingSm">
        {t("sync.inbox.failedHeading")}
      </Text>
      {failedDeliveries.length > 0 ? (
        <>
          <Text as="p" tone="subdued">
            {t("sync.inbox.failedHelp")}
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={[t("sync.inbox.topic"), t("sync.inbox.receivedAt"), t("sync.inbox.reason"), ""]}
            rows={failedDeliveries.map((delivery) => [
              delivery.topic,
              when(delivery.receivedAt),
              <Text key="reason" as="span" breakWord>
                {delivery.reason ?? "—"}
              </Text>,
              delivery.retryable ? (
                <Form method="post" key="retry">
                  <input type="hidden" name="intent" value="retry-delivery" />
                  <input type="hidden" name="deliveryId" value={delivery.id} />
                  <Button submit size="slim" loading={submitting("retry-delivery", "deliveryId", delivery.id)}>
                    {t("sync.retry")}
                  </Button>
                </Form>
              ) : (
                ""
              ),
            ])}
          />
        </>
      ) : (
        <Text as="p" tone="subdued">
          {t("sync.inbox.noneFailed")}
        </Text>
      )}
      {refusedDeliveries.length > 0 ? (
        <>
          <Text as="h3" variant="headingSm">
            {t("sync.refused.heading")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sync.refused.help")}
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "numeric"]}
            headings={[t("sync.inbox.topic"), t("sync.inbox.receivedAt"), t("sync.refused.times")]}
            rows={refusedDeliveries.map((refused) => [refused.topic, when(refused.receivedAt), number.format(refused.times)])}
          />
        </>
      ) : null}
    </CardSection>
  );
}

function JobsSection({ deadJobs, total, timeZone }: { deadJobs: SyncHealth["deadJobs"]; total: number; timeZone: string }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const when = useWhen(timeZone);
  const submitting = useSubmitting();

  return (
    <CardSection title={t("sync.jobs.heading")}>
      {deadJobs.length > 0 ? (
        <>
          <Text as="p" tone="subdued">
            {t("sync.jobs.help")}
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric", "text", "text", "text"]}
            headings={[t("sync.jobs.kind"), t("sync.jobs.attempts"), t("sync.jobs.lastError"), t("sync.jobs.failedAt"), ""]}
            rows={deadJobs.map((job) => [
              job.kindKey ? t(job.kindKey) : job.kind,
              number.format(job.attempts),
              <Text key="error" as="span" breakWord>
                {job.lastError ?? "—"}
              </Text>,
              job.finishedAt ? when(job.finishedAt) : "—",
              job.retryable ? (
                <Form method="post" key="retry">
                  <input type="hidden" name="intent" value="retry-job" />
                  <input type="hidden" name="jobId" value={job.id} />
                  <Button submit size="slim" loading={submitting("retry-job", "jobId", job.id)}>
                    {t("sync.retry")}
                  </Button>
                </Form>
              ) : (
                ""
              ),
            ])}
          />
          <InlineStack gap="300" blockAlign="center">
            {deadJobs.some((job) => job.retryable) ? (
              <Form method="post">
                <input type="hidden" name="intent" value="retry-all-jobs" />
                <Button submit loading={submitting("retry-all-jobs")}>
                  {t("sync.jobs.retryAll")}
                </Button>
              </Form>
            ) : null}
            {total > deadJobs.length ? (
              <Text as="span" tone="subdued">
                {t("sync.jobs.showing", { shown: number.format(deadJobs.length), total: number.format(total) })}
              </Text>
            ) : null}
          </InlineStack>
        </>
      ) : (
        <Text as="p" tone="subdued">
          {t("sync.jobs.none")}
        </Text>
      )}
    </CardSection>
  );
}

function RefusalsSection({ refused, timeZone }: { refused: WriteBackRefusals; timeZone: string }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const when = useWhen(timeZone);

  return (
    <CardSection title={t("sync.writeRefused.heading")}>
      {refused.refusals.length > 0 ? (
        <>
          <Text as="p" tone="subdued">
            {t("sync.writeRefused.help")}
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={[t("sync.writeRefused.customer"), t("sync.writeRefused.what"), t("sync.writeRefused.reason"), t("sync.writeRefused.at")]}
            rows={refused.refusals.map((refusal) => [
              <Link key="customer" url={`/app/customers/${refusal.customerId}`}>
                {refusal.customerId}
              </Link>,
              t(refusal.what === "loyalty" ? "sync.writeRefused.what.loyalty" : "sync.writeRefused.what.lifecycle"),
              <Text key="reason" as="span" breakWord>
                {refusal.reason}
              </Text>,
              when(refusal.at),
            ])}
          />
          {refused.total > refused.refusals.length ? (
            <Text as="span" tone="subdued">
              {t("sync.writeRefused.showing", { shown: number.format(refused.refusals.length), total: number.format(refused.total) })}
            </Text>
          ) : null}
        </>
      ) : (
        <Text as="p" tone="subdued">
          {t("sync.writeRefused.none")}
        </Text>
      )}
    </CardSection>
  );
}

function ReconciliationSection({ reconciliation, timeZone }: { reconciliation: SyncHealth["reconciliation"]; timeZone: string }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const when = useWhen(timeZone);
  const submitting = useSubmitting();

  return (
    <CardSection title={t("sync.reconcile.heading")}>
      <Text as="p" tone="subdued">
        {t("sync.reconcile.help")}
      </Text>
      {reconciliation.reconciledThrough ? <Fact label={t("sync.reconcile.through")} value={when(reconciliation.reconciledThrough)} /> : null}
      {reconciliation.runs.length > 0 ? (
        <DataTable
          columnContentTypes={["text", "text", "text", "numeric", "numeric", "text"]}
          headings={[
            t("sync.reconcile.started"),
            t("sync.reconcile.finished"),
            t("sync.reconcile.status"),
            t("sync.reconcile.customersRepaired"),
            t("sync.reconcile.ordersRepaired"),
            t("sync.reconcile.since"),
          ]}
          rows={reconciliation.runs.map((run) => [
            when(run.startedAt),
            run.finishedAt ? when(run.finishedAt) : "—",
            run.status === "failed" && run.lastError
              ? t("sync.reconcile.statusWithReason", { status: runStatus(run.status, t), reason: run.lastError })
              : runStatus(run.status, t),
            number.format(run.customersRepaired),
            number.format(run.ordersRepaired),
            run.since ? when(run.since) : "—",
          ])}
        />
      ) : (
        <Text as="p" tone="subdued">
          {t(reconciliation.available ? "sync.reconcile.none" : "sync.reconcile.afterImport")}
        </Text>
      )}
      <Form method="post">
        <input type="hidden" name="intent" value="reconcile" />
        <Button submit disabled={!reconciliation.available} loading={submitting("reconcile")}>
          {t("sync.reconcile.now")}
        </Button>
      </Form>
    </CardSection>
  );
}

const RUN_STATUS_KEYS: Record<string, MessageKey> = {
  running: "sync.reconcile.statuses.running",
  completed: "sync.reconcile.statuses.completed",
  failed: "sync.reconcile.statuses.failed",
  abandoned: "sync.reconcile.statuses.abandoned",
};

function runStatus(status: string, t: ReturnType<typeof useI18n>["t"]): string {
  const key = RUN_STATUS_KEYS[status];
  return key ? t(key) : status;
}

/** "about 3 minutes", in the admin's language. */
function duration(seconds: number, locale: string): string {
  const [value, unit] =
    seconds < 90 ? [Math.max(1, Math.round(seconds)), "second"] : seconds < 5400 ? [Math.round(seconds / 60), "minute"] : [Math.round(seconds / 3600), "hour"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

type ShopCount = { count: number; precision: string } | null;
