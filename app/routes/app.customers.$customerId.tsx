import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, Card, DataTable, FormLayout, InlineGrid, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";
import { z } from "zod";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { useFormatters } from "~/hooks/use-formatters";
import { loadCustomerPage, updateCustomer } from "~/lifecycle-models/customer-pages.server";
import { authenticate } from "~/shopify.server";
import { ReferralDecision } from "~/components/customer/referral-decision";
import { TimelineRow } from "~/components/customer/timeline-row";
import { CardSection, Metric } from "~/components/sections";

const CustomerParam = z.string().regex(/^\d+$/);
const CustomerAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("mark-advocate"), marked: z.enum(["true", "false"]).transform((marked) => marked === "true") }),
  z.object({
    intent: z.literal("adjust-points"),
    // A whole number of points, added or (negative) taken, never zero.
    points: z.coerce
      .number({ message: "customer.errors.points" })
      .int({ message: "customer.errors.points" })
      .min(-1_000_000, { message: "customer.errors.points" })
      .max(1_000_000, { message: "customer.errors.points" })
      .refine((value) => value !== 0, { message: "customer.errors.points" }),
    reason: z.string().trim().min(1, { message: "customer.errors.reason" }).max(200, { message: "customer.errors.reason" }),
    // One per submission: a double click or a retried request counts once.
    adjustmentId: z.string().uuid(),
  }),
  z.object({ intent: z.enum(["approve-referral", "reject-referral"]), referralId: z.coerce.number().int().positive() }),
]);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = CustomerParam.safeParse(params.customerId);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const page = await loadCustomerPage(session.shop, parsed.data);
  if (!page) throw new Response("Not found", { status: 404 });
  return page;
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const customerId = CustomerParam.safeParse(params.customerId);
  const form = Object.fromEntries(await request.formData());
  const parsed = CustomerAction.safeParse(form);
  if (!customerId.success) return Response.json({ error: "Unknown customer" }, { status: 404 });
  if (!parsed.success) {
    // Field errors (message keys) for the form that sent them; anything else is not an action we know.
    const fieldErrors = Object.fromEntries(
      parsed.error.issues.filter((issue) => String(issue.message).startsWith("customer.errors.")).map((issue) => [String(issue.path[0]), issue.message]),
    );
    return Object.keys(fieldErrors).length > 0 && form.intent === "adjust-points"
      ? Response.json({ errors: fieldErrors }, { status: 400 })
      : Response.json({ error: "Unknown action" }, { status: 400 });
  }
  const result = await updateCustomer(session.shop, customerId.data, parsed.data, new Date());
  if ("notFound" in result) return Response.json({ error: result.notFound === "customer" ? "Unknown customer" : "No such held referral" }, { status: 404 });
  return result;
};

export default function CustomerPage() {
  const { customer, lifecycle, timeline, points, entries, referralCode, referrals, markedAdvocate, adjustmentId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  const formats = useFormatters();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [adjustment, setAdjustment] = useState({ points: "", reason: "" });
  useEffect(() => {
    if (result && "adjusted" in result) {
      setAdjustment({ points: "", reason: "" });
      shopify.toast.show(t("customer.points.adjusted"));
    }
  }, [result, shopify, t]);
  const errors = (result && "errors" in result ? result.errors : {}) as Record<string, MessageKey>;
  const stage = (value: string | null) => (value ? t(`lifecycle.stage.${value}` as MessageKey) : "—");

  return (
    <Page title={customer.name} subtitle={customer.email ?? undefined} backAction={{ content: t("nav.home"), url: "/app" }}>
      <Layout>
        <CardSection title={t("customer.lifecycle.heading")}>
          {lifecycle ? (
            <BlockStack gap="200">
              <span data-testid="customer-stage">
                <Badge tone={lifecycle.stage === "at_risk" || lifecycle.stage === "lapsed" ? "warning" : "info"}>{stage(lifecycle.stage)}</Badge>
              </span>
              <Text as="p">{t(lifecycle.reasonKey as MessageKey, lifecycle.reasonValues)}</Text>
              <Text as="p" tone="subdued">
                {t("customer.lifecycle.segments", {
                  rfm: t(`lifecycle.rfm.${lifecycle.rfmGroup}` as MessageKey),
                  band: t(`lifecycle.band.${lifecycle.valueBand}` as MessageKey),
                })}
              </Text>
            </BlockStack>
          ) : (
            <Text as="p">{t("home.lifecycle.notYet")}</Text>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="mark-advocate" />
            <input type="hidden" name="marked" value={markedAdvocate ? "false" : "true"} />
            <Button submit loading={navigation.state === "submitting"}>
              {markedAdvocate ? t("customer.advocate.unmark") : t("customer.advocate.mark")}
            </Button>
          </Form>
          <Text as="p" tone="subdued">
            {t("customer.advocate.help")}
          </Text>
        </CardSection>
        <CardSection title={t("customer.points.heading")}>
          <InlineGrid columns={2} gap="400">
            <Metric label={t("customer.points.available")} value={formats.number(points.available)} testId="customer-points" />
            <Metric label={t("customer.points.pending")} value={formats.number(points.pending)} testId="customer-pending" />
          </InlineGrid>
          {entries.length > 0 ? (
            <DataTable
              columnContentTypes={["text", "text", "numeric"]}
              headings={[t("customer.points.date"), t("customer.points.entry"), t("customer.points.points")]}
              rows={entries.map((entry) => [
                formats.date(entry.at),
                entry.reason ?? t(`customer.points.kind.${entry.kind}` as MessageKey),
                formats.number(entry.points),
              ])}
            />
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.points.none")}
            </Text>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="adjust-points" />
            <input type="hidden" name="adjustmentId" value={adjustmentId} />
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label={t("customer.points.adjustPoints")}
                  helpText={t("customer.points.adjustPointsHelp")}
                  name="points"
                  type="number"
                  autoComplete="off"
                  value={adjustment.points}
                  onChange={(value) => setAdjustment({ ...adjustment, points: value })}
                  error={errors.points ? t(errors.points) : undefined}
                />
                <TextField
                  label={t("customer.points.adjustReason")}
                  name="reason"
                  autoComplete="off"
                  value={adjustment.reason}
                  onChange={(value) => setAdjustment({ ...adjustment, reason: value })}
                  error={errors.reason ? t(errors.reason) : undefined}
                />
              </FormLayout.Group>
              <Button submit>{t("customer.points.adjust")}</Button>
            </FormLayout>
          </Form>
        </CardSection>
        <CardSection title={t("customer.referrals.heading")}>
          <Text as="p">
            <span data-testid="customer-referral-code">
              {referralCode ? t("customer.referrals.code", { code: referralCode }) : t("customer.referrals.noCode")}
            </span>
          </Text>
          {referrals.length > 0 ? (
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={[t("customer.points.date"), t("customer.referrals.status"), ""]}
              rows={referrals.map((referral) => [
                formats.date(referral.at),
                t(`customer.referrals.statuses.${referral.status}` as MessageKey),
                referral.status === "held" ? <ReferralDecision key={referral.id} referralId={referral.id} /> : "",
              ])}
            />
          ) : null}
        </CardSection>
        <CardSection title={t("customer.timeline.heading")}>
          {timeline.length > 0 ? (
            <BlockStack gap="300">
              {timeline.map((event, index) => (
                <TimelineRow key={`${event.kind}-${event.at}-${index}`} event={event} />
              ))}
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.timeline.none")}
            </Text>
          )}
          <a href={`shopify://admin/customers/${customer.id}`} target="_top">
            {t("customer.openInShopify")}
          </a>
        </CardSection>
      </Layout>
    </Page>
  );
}

/**
 * A customer we do not hold (deleted or erased in Shopify, or a mistyped link) gets a page inside
 * the app, with its navigation, rather than the bare 404 of the root; anything else goes to
 * Shopify's boundary, which must see the responses it throws.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  if (!isRouteErrorResponse(error) || error.status !== 404) return boundary.error(error);
  return (
    <Page title={t("customer.notFound.title")} backAction={{ content: t("nav.customers"), url: "/app/customers" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="p">
                <span data-testid="customer-not-found">{t("customer.notFound.body")}</span>
              </Text>
              <InlineStack>
                <Button url="/app/customers">{t("customer.notFound.back")}</Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
