import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Button, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { loadDataRequests, markDataRequest } from "~/compliance/data-request-pages.server";
import type { DataRequestRow } from "~/compliance/data-requests.server";
import { useAuthenticatedDownload } from "~/components/download";
import { CardSection } from "~/components/sections";
import { useI18n } from "~/i18n/react";
import { useFormatters } from "~/hooks/use-formatters";
import { authenticate } from "~/shopify.server";

/** customers/data_request: what each customer asked for, ready to download and send, open until the merchant marks it sent. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadDataRequests(session.shop);
};

// Database ids: digits only, within a 32-bit integer.
const Id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

const DataRequestAction = z.object({ intent: z.enum(["mark-sent", "mark-open"]), requestId: Id });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = DataRequestAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  const sent = parsed.data.intent === "mark-sent";
  if (!(await markDataRequest(session.shop, parsed.data.requestId, sent, new Date()))) {
    return Response.json({ error: "No such data request" }, { status: 404 });
  }
  return { sent };
};

type Row = ReturnType<typeof useLoaderData<typeof loader>>["open"][number];

export default function DataRequests() {
  const { open, fulfilled, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const formats = useFormatters();
  useActionToast();
  const when = (at: Date | string | null) => (at ? formats.dateTime(at, timeZone) : "—");

  return (
    <Page title={t("dataRequests.title")} backAction={{ content: t("nav.home"), url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("dataRequests.description")}
          </Text>
        </Layout.Section>
        <CardSection title={t("dataRequests.open.heading")}>
          {open.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("dataRequests.open.none")}
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text"]}
              headings={[t("dataRequests.requestedAt"), t("dataRequests.customer"), t("dataRequests.shopifyRequest"), ""]}
              rows={open.map((row) => [
                when(row.requestedAt),
                <CustomerCell key="customer" row={row} />,
                row.shopifyRequestId ?? "—",
                <InlineStack key="actions" gap="200" wrap={false}>
                  <DownloadButton row={row} />
                  <MarkButton row={row} intent="mark-sent" />
                </InlineStack>,
              ])}
            />
          )}
        </CardSection>
        <CardSection title={t("dataRequests.fulfilled.heading")}>
          {fulfilled.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("dataRequests.fulfilled.none")}
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text"]}
              headings={[t("dataRequests.sentAt"), t("dataRequests.customer"), t("dataRequests.requestedAt"), ""]}
              rows={fulfilled.map((row) => [
                when(row.sentAt),
                <CustomerCell key="customer" row={row} />,
                when(row.requestedAt),
                row.hasExport ? (
                  <InlineStack key="actions" gap="200" wrap={false}>
                    <DownloadButton row={row} />
                    <MarkButton row={row} intent="mark-open" />
                  </InlineStack>
                ) : (
                  <Text key="actions" as="span" tone="subdued">
                    {t("dataRequests.exportDropped")}
                  </Text>
                ),
              ])}
            />
          )}
        </CardSection>
      </Layout>
    </Page>
  );
}

/** Who asked: the name and email we hold, else Shopify's customer id; a link to the customer in Shopify admin. */
function CustomerCell({ row }: { row: Row }) {
  const { t } = useI18n();
  return (
    <span data-testid={`data-request-customer-${row.id}`}>
      <a href={`shopify://admin/customers/${row.customerId}`} target="_top">
        {row.name ?? row.email ?? t("dataRequests.customerId", { id: row.customerId })}
      </a>
      {row.name && row.email ? (
        <Text as="span" tone="subdued">
          {" "}
          {row.email}
        </Text>
      ) : null}
    </span>
  );
}

/** The export, fetched with the session token and saved as a file. */
function DownloadButton({ row }: { row: Pick<DataRequestRow, "id"> }) {
  const { t } = useI18n();
  const { download, downloading } = useAuthenticatedDownload(t("dataRequests.downloadFailed"));
  return (
    <Button size="slim" onClick={() => void download(`/app/data-requests/${row.id}.json`, "customer-data.json")} loading={downloading} disabled={downloading}>
      {t("dataRequests.download")}
    </Button>
  );
}

function MarkButton({ row, intent }: { row: Pick<DataRequestRow, "id">; intent: "mark-sent" | "mark-open" }) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === intent && navigation.formData.get("requestId") === String(row.id);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="requestId" value={row.id} />
      <Button submit size="slim" variant={intent === "mark-sent" ? "primary" : "plain"} loading={submitting}>
        {t(intent === "mark-sent" ? "dataRequests.markSent" : "dataRequests.markOpen")}
      </Button>
    </Form>
  );
}

function useActionToast() {
  const result = useActionData<typeof action>() as { error: string } | { sent: boolean } | undefined;
  const shopify = useAppBridge();
  const { t } = useI18n();
  useEffect(() => {
    if (!result) return;
    if ("error" in result) shopify.toast.show(t("dataRequests.toast.gone"), { isError: true });
    else shopify.toast.show(t(result.sent ? "dataRequests.toast.sent" : "dataRequests.toast.reopened"));
  }, [result, shopify, t]);
}
