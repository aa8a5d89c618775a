import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineGrid, ProgressBar, Text } from "@shopify/polaris";
import { CardSection, Metric } from "~/components/sections";
import { useFormatters } from "~/hooks/use-formatters";
import { useI18n } from "~/i18n/react";
import type { SyncHealth } from "~/sync/health.server";
import { useSubmitting, useWhen } from "./hooks";

export function ImportSection({ sync, timeZone }: { sync: SyncHealth["sync"]; timeZone: string }) {
  const { t } = useI18n();
  const formats = useFormatters();
  const when = useWhen(timeZone);
  const submitting = useSubmitting();
  const backfill = sync.backfill;

  return (
    <CardSection title={t("sync.import.heading")}>
      {backfill?.status === "running" ? (
        <BlockStack gap="200">
          <Text as="p" id="sync-progress-label">
            {backfill.total === null
              ? t("sync.import.runningUnknownTotal", { done: formats.number(backfill.done) })
              : t("sync.import.running", { done: formats.number(backfill.done), total: formats.number(backfill.total) })}
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
              {t("sync.import.rate", { rate: formats.number(Math.round(backfill.rowsPerSecond)), eta: formats.duration(backfill.etaSeconds) })}
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
        <Metric label={t("sync.import.held.customers")} value={formats.number(sync.held.customers)} testId="synced-customers" />
        <Metric label={t("sync.import.held.orders")} value={formats.number(sync.held.orders)} testId="synced-orders" />
        <Metric label={t("sync.import.held.refunds")} value={formats.number(sync.held.refunds)} testId="synced-refunds" />
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
