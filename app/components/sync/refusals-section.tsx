import { DataTable, Link, Text } from "@shopify/polaris";
import { CardSection } from "~/components/sections";
import { useFormatters } from "~/hooks/use-formatters";
import { useI18n } from "~/i18n/react";
import type { WriteBackRefusals } from "~/write-back/refusals.server";
import { useWhen } from "./hooks";

export function RefusalsSection({ refused, timeZone }: { refused: WriteBackRefusals; timeZone: string }) {
  const { t } = useI18n();
  const formats = useFormatters();
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
              {t("sync.writeRefused.showing", { shown: formats.number(refused.refusals.length), total: formats.number(refused.total) })}
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
