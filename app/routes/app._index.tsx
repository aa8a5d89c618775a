import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { createAdminApi } from "~/admin-api/client.server";
import { fetchShopOverview } from "~/admin-api/shop-overview.server";
import prisma from "~/db.server";
import { useI18n } from "~/i18n/react";
import { authenticate } from "~/shopify.server";
import { inboxSummary } from "~/webhooks/inbox.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const [overview, inbox] = await Promise.all([
    fetchShopOverview(createAdminApi(admin.graphql)),
    inboxSummary(prisma, session.shop),
  ]);
  return { overview, inbox: { ...inbox, lastReceivedAt: inbox.lastReceivedAt?.toISOString() ?? null } };
};

export default function Home() {
  const { overview, inbox } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const count = (value: ShopCount) =>
    value === null
      ? "—"
      : value.precision === "EXACT"
        ? number.format(value.count)
        : t("home.counts.atLeast", { count: number.format(value.count) });

  return (
    <Page title={t("home.title")}>
      <Layout>
        <Section title={t("home.shop.heading")}>
          <Fact label={t("home.shop.name")} value={overview.shop.name} />
          <Fact label={t("home.shop.domain")} value={overview.shop.myshopifyDomain} />
          <Fact label={t("home.shop.currency")} value={overview.shop.currencyCode} />
          <Fact label={t("home.shop.timezone")} value={overview.shop.ianaTimezone} />
        </Section>
        <Section title={t("home.counts.heading")}>
          <InlineGrid columns={2} gap="400">
            <Metric label={t("home.counts.customers")} value={count(overview.customersCount)} testId="customers-count" />
            <Metric label={t("home.counts.orders")} value={count(overview.ordersCount)} testId="orders-count" />
          </InlineGrid>
        </Section>
        <Section title={t("home.inbox.heading")}>
          <Fact label={t("home.inbox.received")} value={number.format(inbox.received)} />
          <Fact label={t("home.inbox.pending")} value={number.format(inbox.pending)} />
          <Fact label={t("home.inbox.failed")} value={number.format(inbox.failed)} />
          <Fact
            label={t("home.inbox.lastReceived")}
            value={
              inbox.lastReceivedAt
                ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: overview.shop.ianaTimezone }).format(
                    new Date(inbox.lastReceivedAt),
                  )
                : t("home.inbox.never")
            }
          />
        </Section>
      </Layout>
    </Page>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {children}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

type ShopCount = { count: number; precision: string } | null;

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <InlineGrid columns={["oneThird", "twoThirds"]} gap="200">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span">{value}</Text>
    </InlineGrid>
  );
}

function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <BlockStack gap="100">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <span data-testid={testId}>
        <Text as="span" variant="headingXl">
          {value}
        </Text>
      </span>
    </BlockStack>
  );
}
