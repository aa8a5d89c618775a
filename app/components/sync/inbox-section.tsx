import { DataTable, Text } from "@shopify/polaris";
import { CardSection, Fact } from "~/components/sections";
import { useFormatters } from "~/hooks/use-formatters";
import { useI18n } from "~/i18n/react";
import type { SyncHealth } from "~/sync/health.server";
import { useWhen } from "./hooks";
import { RetryRowButton } from "./retry-row-button";

export function InboxSection({ health }: { health: SyncHealth & { timeZone: string } }) {
  const { t } = useI18n();
  const formats = useFormatters();
  const when = useWhen(health.timeZone);
  const { inbox, topics, failedDeliveries, refusedDeliveries } = health;

  return (
    <CardSection title={t("sync.inbox.heading")}>
      <Fact label={t("sync.inbox.received")} value={formats.number(inbox.received)} />
      <Fact label={t("sync.inbox.pending")} value={formats.number(inbox.pending)} />
      <Fact label={t("sync.inbox.failed")} value={formats.number(inbox.failed)} />
      <Fact label={t("sync.inbox.lastReceived")} value={inbox.lastReceivedAt ? when(inbox.lastReceivedAt) : t("sync.inbox.never")} />
      {topics.length > 0 ? (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric"]}
          headings={[t("sync.inbox.topic"), t("sync.inbox.lastReceived"), t("sync.inbox.lastDay"), t("sync.inbox.failedCount")]}
          rows={topics.map((row) => [row.topic, when(row.lastReceivedAt), formats.number(row.lastDay), formats.number(row.failed)])}
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
                <RetryRowButton key="retry" intent="retry-delivery" field="deliveryId" id={delivery.id} />
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
            rows={refusedDeliveries.map((refused) => [refused.topic, when(refused.receivedAt), formats.number(refused.times)])}
          />
        </>
      ) : null}
    </CardSection>
  );
}
