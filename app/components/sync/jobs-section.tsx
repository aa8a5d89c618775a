import { Form } from "@remix-run/react";
import { Button, DataTable, InlineStack, Text } from "@shopify/polaris";
import { CardSection } from "~/components/sections";
import { useFormatters } from "~/hooks/use-formatters";
import { useI18n } from "~/i18n/react";
import type { SyncHealth } from "~/sync/health.server";
import { useSubmitting, useWhen } from "./hooks";
import { RetryRowButton } from "./retry-row-button";

export function JobsSection({ deadJobs, total, timeZone }: { deadJobs: SyncHealth["deadJobs"]; total: number; timeZone: string }) {
  const { t } = useI18n();
  const formats = useFormatters();
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
              formats.number(job.attempts),
              <Text key="error" as="span" breakWord>
                {job.lastError ?? "—"}
              </Text>,
              job.finishedAt ? when(job.finishedAt) : "—",
              job.retryable ? (
                <RetryRowButton key="retry" intent="retry-job" field="jobId" id={job.id} />
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
                {t("sync.jobs.showing", { shown: formats.number(deadJobs.length), total: formats.number(total) })}
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
