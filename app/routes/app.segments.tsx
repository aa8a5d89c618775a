import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DataTable, Layout, Page, Text } from "@shopify/polaris";
import { CardSection } from "~/components/sections";
import { useI18n } from "~/i18n/react";
import { useFormatters } from "~/hooks/use-formatters";
import { authenticate } from "~/shopify.server";
import { loadManagedSegments } from "~/write-back/segments-page.server";

/** The Shopify segments the app manages, each with how many customers we place in it, and a way to open it in Shopify admin. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { segments: await loadManagedSegments(session.shop) };
};

export default function Segments() {
  const { segments } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const formats = useFormatters();
  return (
    <Page title={t("segments.title")} backAction={{ content: t("nav.home"), url: "/app" }}>
      <Layout>
        <CardSection title={t("segments.heading")}>
          <Text as="p" tone="subdued">
            {t("segments.description")}
          </Text>
          {segments.length === 0 ? (
            <Text as="p">{t("segments.none")}</Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "numeric", "text"]}
              headings={[t("segments.name"), t("segments.query"), t("segments.customers"), ""]}
              rows={segments.map((segment) => [
                segment.name,
                <code key={segment.key}>{segment.query}</code>,
                segment.customers === null ? "—" : <span data-testid={`segment-count-${segment.key}`}>{formats.number(segment.customers)}</span>,
                <a key={`${segment.key}-open`} href={segment.adminPath} target="_top">
                  {t("segments.open")}
                </a>,
              ])}
            />
          )}
        </CardSection>
      </Layout>
    </Page>
  );
}
