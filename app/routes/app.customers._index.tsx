import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Select, Tag, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useAuthenticatedDownload } from "~/components/download";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { useFormatters } from "~/hooks/use-formatters";
import { STAGES } from "~/lifecycle/model";
import { RFM_GROUPS } from "~/lifecycle/rfm";
import { VALUE_BANDS } from "~/lifecycle/value-band";
import { CustomerListQuery, InvalidCursorError } from "~/lifecycle-models/customer-list.server";
import { loadCustomerList } from "~/lifecycle-models/customer-pages.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  // Only our own parameters: Shopify's (shop, host, embedded, id_token, locale…) ride along in the URL.
  const ours = Object.fromEntries(["stage", "rfm", "band", "r", "f", "q", "sort", "after"].flatMap((key) => (params.get(key) ? [[key, params.get(key)]] : [])));
  const query = CustomerListQuery.safeParse(ours);
  if (!query.success) throw new Response("Invalid filter", { status: 400 });
  try {
    return { ...(await loadCustomerList(session.shop, query.data)), query: query.data };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new Response("Invalid page", { status: 400 });
    throw error;
  }
};

export default function Customers() {
  const { rows, next, query, currencyCode } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const navigation = useNavigation();
  const [search, setSearch] = useState(query.q ?? "");
  const [filters, setFilters] = useState({ stage: query.stage ?? "", rfm: query.rfm ?? "", band: query.band ?? "", sort: query.sort });
  const formats = useFormatters();
  const nextParams = new URLSearchParams(
    Object.entries({ ...query, after: next ?? "" })
      .filter(([, value]) => value)
      .map(([key, value]) => [key, String(value)]),
  );
  const any = (label: string) => [{ label, value: "" }];
  const navigate = useNavigate();
  const withoutScores = () =>
    new URLSearchParams(
      Object.entries({ ...query, r: undefined, f: undefined })
        .filter(([, value]) => value)
        .map(([key, value]) => [key, String(value)]),
    ).toString();
  const { download, downloading: exporting } = useAuthenticatedDownload(t("customers.exportFailed"));

  // The applied filters, not the form's unsubmitted ones; the locale for the header, as the URL may have lost Shopify's.
  const exportCsv = () => {
    const { stage, rfm, band, r, f, q, sort } = query;
    const params = new URLSearchParams(
      Object.entries({ stage, rfm, band, r: r?.toString(), f: f?.toString(), q, sort, locale }).filter(([, value]) => value) as [string, string][],
    );
    void download(`/app/customers/export.csv?${params.toString()}`, "customers.csv");
  };

  return (
    <Page
      title={t("customers.title")}
      backAction={{ content: t("nav.home"), url: "/app" }}
      secondaryActions={[{ content: t("customers.export"), onAction: exportCsv, loading: exporting, disabled: exporting }]}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <Form method="get">
              <BlockStack gap="300">
                <InlineStack gap="300" wrap blockAlign="end">
                  <div style={{ minWidth: "16rem", flexGrow: 1 }}>
                    <TextField
                      label={t("customers.search")}
                      name="q"
                      value={search}
                      onChange={setSearch}
                      autoComplete="off"
                      clearButton
                      onClearButtonClick={() => setSearch("")}
                    />
                  </div>
                  <Select
                    label={t("customers.stage")}
                    name="stage"
                    options={[...any(t("customers.any")), ...STAGES.map((stage) => ({ label: t(`lifecycle.stage.${stage}` as MessageKey), value: stage }))]}
                    value={filters.stage}
                    onChange={(stage) => setFilters({ ...filters, stage })}
                  />
                  <Select
                    label={t("customers.rfm")}
                    name="rfm"
                    options={[...any(t("customers.any")), ...RFM_GROUPS.map((group) => ({ label: t(`lifecycle.rfm.${group}` as MessageKey), value: group }))]}
                    value={filters.rfm}
                    onChange={(rfm) => setFilters({ ...filters, rfm })}
                  />
                  <Select
                    label={t("customers.band")}
                    name="band"
                    options={[...any(t("customers.any")), ...VALUE_BANDS.map((band) => ({ label: t(`lifecycle.band.${band}` as MessageKey), value: band }))]}
                    value={filters.band}
                    onChange={(band) => setFilters({ ...filters, band })}
                  />
                  <Select
                    label={t("customers.sort")}
                    name="sort"
                    options={[
                      { label: t("customers.sortRevenue"), value: "revenue" },
                      { label: t("customers.sortName"), value: "name" },
                    ]}
                    value={filters.sort}
                    onChange={(sort) => setFilters({ ...filters, sort: sort as "revenue" | "name" })}
                  />
                  <Button submit loading={navigation.state === "loading"}>
                    {t("customers.apply")}
                  </Button>
                </InlineStack>
                {query.r || query.f ? (
                  <InlineStack gap="200">
                    {query.r ? <input type="hidden" name="r" value={query.r} /> : null}
                    {query.f ? <input type="hidden" name="f" value={query.f} /> : null}
                    <Tag onRemove={() => navigate(`?${withoutScores()}`)}>
                      {[query.r ? t("customers.recency", { score: query.r }) : null, query.f ? t("customers.frequency", { score: query.f }) : null]
                        .filter(Boolean)
                        .join(" · ")}
                    </Tag>
                  </InlineStack>
                ) : null}
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: t("customers.singular"), plural: t("customers.plural") }}
              itemCount={rows.length}
              selectable={false}
              emptyState={
                <Text as="p" alignment="center">
                  {t("customers.empty")}
                </Text>
              }
              headings={[
                { title: t("customers.name") },
                { title: t("customers.stage") },
                { title: t("customers.rfm") },
                { title: t("customers.band") },
                { title: t("customers.purchases"), alignment: "end" },
                { title: t("customers.revenue"), alignment: "end" },
              ]}
            >
              {rows.map((row, index) => (
                <IndexTable.Row id={row.customerId} key={row.customerId} position={index}>
                  <IndexTable.Cell>
                    <Link to={`/app/customers/${row.customerId}`} data-testid="customer-row">
                      {row.name}
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge>{t(`lifecycle.stage.${row.stage}` as MessageKey)}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{t(`lifecycle.rfm.${row.rfmGroup}` as MessageKey)}</IndexTable.Cell>
                  <IndexTable.Cell>{t(`lifecycle.band.${row.valueBand}` as MessageKey)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.purchases}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formats.money(row.trailingYearRevenueMinor, currencyCode)}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
        {next ? (
          <Layout.Section>
            <InlineStack align="end">
              <Link to={`?${nextParams.toString()}`}>{t("customers.next")}</Link>
            </InlineStack>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
