import { Form } from "@remix-run/react";
import { Button, DataTable, Text } from "@shopify/polaris";
import { CardSection, Fact } from "~/components/sections";
import { useFormatters } from "~/hooks/use-formatters";
import { useI18n } from "~/i18n/react";
import type { MessageKey } from "~/i18n/i18n";
import type { SyncHealth } from "~/sync/health.server";
import { useSubmitting, useWhen } from "./hooks";

export function ReconciliationSection({ reconciliation, timeZone }: { reconciliation: SyncHealth["reconciliation"]; timeZone: string }) {
  const { t } = useI18n();
  const formats = useFormatters();
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
            formats.number(run.customersRepaired),
            formats.number(run.ordersRepaired),
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
