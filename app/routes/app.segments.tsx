import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DataTable, Layout, Page, Text } from "@shopify/polaris";
import { CardSection } from "~/components/sections";
import prisma from "~/db.server";
import { useI18n } from "~/i18n/react";
import { authenticate } from "~/shopify.server";

/** The Shopify segments the app manages, each with how many customers we place in it, and a way to open it in Shopify admin. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const [segments, stages, groups, bands] = await Promise.all([
    prisma.managedSegment.findMany({ where: { shop }, orderBy: [{ kind: "asc" }, { name: "asc" }] }),
    prisma.customerLifecycle.groupBy({ by: ["stage"], where: { shop }, _count: { _all: true } }),
    prisma.customerLifecycle.groupBy({ by: ["rfmGroup"], where: { shop }, _count: { _all: true } }),
    prisma.customerLifecycle.groupBy({ by: ["valueBand"], where: { shop }, _count: { _all: true } }),
  ]);
  const counts = new Map<string, number>([
    ...stages.map((row) => [`stage:${row.stage}`, row._count._all] as const),
    ...groups.map((row) => [`rfm:${row.rfmGroup}`, row._count._all] as const),
    ...bands.map((row) => [`value:${row.valueBand}`, row._count._all] as const),
  ]);
  return {
    segments: segments.map((segment) => ({
      key: `${segment.kind}:${segment.value}`,
      name: segment.name,
      query: segment.query,
      // Ours: the customers we tag for it (Shopify counts them once the tags are written). Other segments: Shopify's own rule.
      customers: counts.get(`${segment.kind}:${segment.value}`) ?? null,
      adminPath: `shopify://admin/customers/segments/${segment.segmentId.split("/").pop()}`,
    })),
  };
};

export default function Segments() {
  const { segments } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
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
                segment.customers === null ? "—" : <span data-testid={`segment-count-${segment.key}`}>{number.format(segment.customers)}</span>,
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
