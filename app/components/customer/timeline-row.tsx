import { Badge, BlockStack, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useFormatters } from "~/hooks/use-formatters";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import type { TimelineEvent } from "~/lifecycle-models/customer-timeline.server";

/** One event of the customer's timeline: an order, a refund, a cancellation or a stage change. */
export function TimelineRow({ event }: { event: TimelineEvent }) {
  const { t } = useI18n();
  const formats = useFormatters();
  const when = formats.date(event.at);
  const stage = (value: string) => t(`lifecycle.stage.${value}` as MessageKey);
  let badge: { tone?: "success" | "critical" | "info" | "attention"; label: string };
  let text: string;
  switch (event.kind) {
    case "order":
      badge = { tone: "success", label: t("customer.timeline.orderBadge") };
      text = t("customer.timeline.order", { name: event.name, amount: formats.money(event.totalMinor, event.currencyCode) });
      if (event.test) text += ` · ${t("customer.timeline.test")}`;
      else if (event.financialStatus !== "PAID") text += ` · ${t(`customer.financial.${event.financialStatus}` as MessageKey)}`;
      break;
    case "refund":
      badge = { tone: "attention", label: t("customer.timeline.refundBadge") };
      text = t("customer.timeline.refund", { name: event.name, amount: formats.money(event.amountMinor, event.currencyCode) });
      break;
    case "cancelled":
      badge = { tone: "critical", label: t("customer.timeline.cancelledBadge") };
      text = t("customer.timeline.cancelled", { name: event.name });
      break;
    default:
      badge = { tone: "info", label: t("customer.timeline.stageBadge") };
      text = event.from
        ? t("customer.timeline.stage", { from: stage(event.from), to: stage(event.to) })
        : t("customer.timeline.placed", { to: stage(event.to) });
  }
  return (
    <div data-testid={`timeline-${event.kind}`}>
      <InlineGrid columns={["oneThird", "twoThirds"]} gap="200">
        <InlineStack gap="200" blockAlign="start" wrap={false}>
          <Text as="span" tone="subdued">
            {when}
          </Text>
          <Badge tone={badge.tone}>{badge.label}</Badge>
        </InlineStack>
        <BlockStack gap="050">
          <Text as="span">{text}</Text>
          {event.kind === "stage" ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {t(event.reasonKey as MessageKey, event.reasonValues)}
            </Text>
          ) : null}
        </BlockStack>
      </InlineGrid>
    </div>
  );
}
