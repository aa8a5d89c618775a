import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { z } from "zod";
import prisma from "~/db.server";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { wakeAppWorker } from "~/jobs/app-worker.server";
import { markAdvocate } from "~/lifecycle-store/advocates.server";
import { authenticate } from "~/shopify.server";

const CustomerParam = z.string().regex(/^\d+$/);
const CustomerAction = z.object({ intent: z.literal("mark-advocate"), marked: z.enum(["true", "false"]) });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const parsed = CustomerParam.safeParse(params.customerId);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const customerId = parsed.data;
  const customer = await prisma.customer.findUnique({
    where: { shop_id: { shop, id: customerId } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  if (!customer) throw new Response("Not found", { status: 404 });
  const [lifecycle, history, account, entries, code, referrals, mark] = await Promise.all([
    prisma.customerLifecycle.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    prisma.stageChange.findMany({ where: { shop, customerId }, orderBy: { at: "desc" }, take: 20 }),
    prisma.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    prisma.pointsEntry.findMany({ where: { shop, customerId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: 50 }),
    prisma.referralCode.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    prisma.referral.findMany({ where: { shop, referrerId: customerId }, orderBy: { createdAt: "desc" }, take: 20 }),
    prisma.advocateMark.findUnique({ where: { shop_customerId: { shop, customerId } } }),
  ]);
  return {
    customer: { ...customer, name: [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || customer.id },
    lifecycle: lifecycle && {
      stage: lifecycle.stage,
      reasonKey: lifecycle.reasonKey,
      reasonValues: JSON.parse(lifecycle.reasonValues) as Record<string, string | number>,
      rfmGroup: lifecycle.rfmGroup,
      valueBand: lifecycle.valueBand,
    },
    history: history.map((change) => ({ id: change.id, from: change.fromStage, to: change.toStage, at: change.at.toISOString() })),
    points: { available: account?.available ?? 0, pending: account?.pending ?? 0 },
    entries: entries.map((entry) => ({ id: entry.id, kind: entry.kind, points: entry.points, at: entry.at.toISOString(), reason: entry.reason })),
    referralCode: code?.code ?? null,
    referrals: referrals.map((referral) => ({ id: referral.id, status: referral.status, friendId: referral.friendId, at: referral.createdAt.toISOString() })),
    markedAdvocate: mark !== null,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const customerId = CustomerParam.safeParse(params.customerId);
  const parsed = CustomerAction.safeParse(Object.fromEntries(await request.formData()));
  if (!customerId.success || !parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  const customer = await prisma.customer.findUnique({ where: { shop_id: { shop: session.shop, id: customerId.data } }, select: { id: true } });
  if (!customer) return Response.json({ error: "Unknown customer" }, { status: 404 });
  await markAdvocate(prisma, session.shop, customerId.data, parsed.data.marked === "true");
  wakeAppWorker();
  return { marked: parsed.data.marked === "true" };
};

export default function CustomerPage() {
  const { customer, lifecycle, history, points, entries, referralCode, referrals, markedAdvocate } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const navigation = useNavigation();
  const number = new Intl.NumberFormat(locale);
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
  const stage = (value: string | null) => (value ? t(`lifecycle.stage.${value}` as MessageKey) : "—");

  return (
    <Page title={customer.name} subtitle={customer.email ?? undefined} backAction={{ content: t("nav.home"), url: "/app" }}>
      <Layout>
        <Section title={t("customer.lifecycle.heading")}>
          {lifecycle ? (
            <BlockStack gap="200">
              <span data-testid="customer-stage">
                <Badge tone={lifecycle.stage === "at_risk" || lifecycle.stage === "lapsed" ? "warning" : "info"}>{stage(lifecycle.stage)}</Badge>
              </span>
              <Text as="p">{t(lifecycle.reasonKey as MessageKey, lifecycle.reasonValues)}</Text>
              <Text as="p" tone="subdued">
                {t("customer.lifecycle.segments", { rfm: lifecycle.rfmGroup, band: lifecycle.valueBand })}
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
        </Section>
        <Section title={t("customer.points.heading")}>
          <InlineGrid columns={2} gap="400">
            <Metric label={t("customer.points.available")} value={number.format(points.available)} testId="customer-points" />
            <Metric label={t("customer.points.pending")} value={number.format(points.pending)} testId="customer-pending" />
          </InlineGrid>
          {entries.length > 0 ? (
            <DataTable
              columnContentTypes={["text", "text", "numeric"]}
              headings={[t("customer.points.date"), t("customer.points.entry"), t("customer.points.points")]}
              rows={entries.map((entry) => [
                date(entry.at),
                entry.reason ?? t(`customer.points.kind.${entry.kind}` as MessageKey),
                number.format(entry.points),
              ])}
            />
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.points.none")}
            </Text>
          )}
        </Section>
        <Section title={t("customer.referrals.heading")}>
          <Text as="p">
            <span data-testid="customer-referral-code">
              {referralCode ? t("customer.referrals.code", { code: referralCode }) : t("customer.referrals.noCode")}
            </span>
          </Text>
          {referrals.length > 0 ? (
            <DataTable
              columnContentTypes={["text", "text"]}
              headings={[t("customer.points.date"), t("customer.referrals.status")]}
              rows={referrals.map((referral) => [date(referral.at), t(`customer.referrals.statuses.${referral.status}` as MessageKey)])}
            />
          ) : null}
        </Section>
        <Section title={t("customer.history.heading")}>
          {history.length > 0 ? (
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={[t("customer.points.date"), t("customer.history.from"), t("customer.history.to")]}
              rows={history.map((change) => [date(change.at), stage(change.from), stage(change.to)])}
            />
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.history.none")}
            </Text>
          )}
          <a href={`shopify://admin/customers/${customer.id}`} target="_top">
            {t("customer.openInShopify")}
          </a>
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
