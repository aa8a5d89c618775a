import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Button, Checkbox, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect } from "react";
import prisma from "~/db.server";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { wakeAppWorker } from "~/jobs/app-worker.server";
import { requestPastOrdersAward } from "~/loyalty-store/jobs.server";
import { requestLoyaltyMetafields } from "~/loyalty-store/metafields.server";
import { parseLoyaltySettingsForm, type LoyaltySettingsFormErrors } from "~/loyalty-store/settings-form";
import { loyaltySettings } from "~/loyalty-store/settings.server";
import { authenticate } from "~/shopify.server";
import { currencyFractionDigits, fromMinorUnits, toMinorUnits } from "~/sync/records";
import { AnnotatedCard } from "~/components/sections";
import { SettingsForm, useSettingsForm } from "~/components/settings-form";

async function shopCurrency(shop: string) {
  return (await prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }))?.currencyCode ?? "USD";
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, currencyCode, accounts, held] = await Promise.all([
    loyaltySettings(prisma, session.shop),
    shopCurrency(session.shop),
    prisma.loyaltyAccount.aggregate({ where: { shop: session.shop }, _sum: { available: true, pending: true }, _count: { _all: true } }),
    prisma.referral.count({ where: { shop: session.shop, status: "held" } }),
  ]);
  return {
    currencyCode,
    values: {
      enabled: settings.enabled,
      pointsPerUnit: String(settings.pointsPerUnit),
      basis: settings.basis,
      pendingDays: String(settings.pendingDays),
      expiryMonths: settings.expiryMonths?.toString() ?? "",
      pointsPerReward: String(settings.pointsPerReward),
      rewardValue: fromMinorUnits(settings.rewardValueMinor, currencyCode),
      referrerPoints: String(settings.referrerPoints),
      returnWindowDays: String(settings.returnWindowDays),
      friendDiscountPercent: String(settings.friendDiscountPercent),
      earnSince: settings.earnSince.toISOString().slice(0, 10),
    },
    outstanding: { available: accounts._sum.available ?? 0, pending: accounts._sum.pending ?? 0, customers: accounts._count._all },
    heldReferrals: held,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseLoyaltySettingsForm(Object.fromEntries(await request.formData()));
  if ("errors" in parsed) return Response.json({ errors: parsed.errors }, { status: 400 });
  const { rewardValue, expiryMonths, earnSince, ...rest } = parsed.values;
  const shop = session.shop;
  const currencyCode = await shopCurrency(shop);
  const before = await loyaltySettings(prisma, shop);
  const since = new Date(`${earnSince}T00:00:00Z`);
  // The form shows days; a start kept as it was keeps its exact time.
  const earnSinceAt = since.toISOString().slice(0, 10) === before.earnSince.toISOString().slice(0, 10) ? before.earnSince : since;
  await prisma.loyaltySettings.update({
    where: { shop },
    data: {
      ...rest,
      expiryMonths: expiryMonths ?? null,
      rewardValueMinor: toMinorUnits(rewardValue.toFixed(currencyFractionDigits(currencyCode)), currencyCode),
      earnSince: earnSinceAt,
    },
  });
  // Moved back: the orders now inside the programme earn (each once; those already earned are untouched).
  const awarding = earnSinceAt < before.earnSince;
  if (awarding) await requestPastOrdersAward(prisma, shop);
  // What the storefront shows (next reward, friend discount) follows the new rules.
  await requestLoyaltyMetafields(prisma, shop);
  wakeAppWorker();
  return { saved: true as const, awarding };
};

type Values = ReturnType<typeof useLoaderData<typeof loader>>["values"];

export default function LoyaltySettings() {
  const { values, currencyCode, outstanding, heldReferrals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t, locale } = useI18n();
  const settings = useSettingsForm<Values>(values);
  const { form, setForm } = settings;
  useEffect(() => {
    if (result && "saved" in result) shopify.toast.show(t(result.awarding ? "loyalty.savedAwarding" : "loyalty.saved"));
  }, [result, shopify, t]);
  const errors: LoyaltySettingsFormErrors = result && "errors" in result ? result.errors : {};
  const error = (field: keyof LoyaltySettingsFormErrors) => (errors[field] ? t(errors[field]) : undefined);
  const number = new Intl.NumberFormat(locale);
  type TextFieldName = Exclude<keyof Values, "enabled" | "basis">;
  const text = (field: TextFieldName, label: MessageKey, help?: string, type: "number" | "text" | "date" = "number") => (
    <TextField
      label={t(label)}
      name={field}
      type={type}
      value={form[field]}
      onChange={(value) => setForm({ ...form, [field]: value })}
      helpText={help}
      error={error(field)}
      autoComplete="off"
    />
  );

  return (
    <Page title={t("loyalty.title")} backAction={{ content: t("nav.home"), url: "/app" }}>
      <SettingsForm
        saveBarId="loyalty-settings-save-bar"
        settings={settings}
        saving={navigation.state === "submitting"}
        hasErrors={Object.keys(errors).length > 0}
      >
        <Layout.Section>
          <Text as="p" tone="subdued">
            <span data-testid="points-outstanding">
              {t("loyalty.outstanding", {
                points: number.format(outstanding.available),
                pending: number.format(outstanding.pending),
                customers: number.format(outstanding.customers),
              })}
            </span>
            {heldReferrals > 0 ? ` · ${t("loyalty.heldReferrals", { count: number.format(heldReferrals) })}` : ""}
          </Text>
        </Layout.Section>
        <AnnotatedCard title={t("loyalty.earning.heading")} description={t("loyalty.earning.description")}>
          <FormLayout>
            <Checkbox
              label={t("loyalty.enabled")}
              name="enabled"
              value="on"
              checked={form.enabled}
              onChange={(checked) => setForm({ ...form, enabled: checked })}
            />
            <FormLayout.Group>
              {text("pointsPerUnit", "loyalty.pointsPerUnit", t("loyalty.pointsPerUnitHelp", { currency: currencyCode }))}
              <Select
                label={t("loyalty.basis")}
                name="basis"
                options={[
                  { label: t("loyalty.basisSubtotal"), value: "subtotal" },
                  { label: t("loyalty.basisTotal"), value: "total" },
                ]}
                value={form.basis}
                onChange={(value) => setForm({ ...form, basis: value })}
                error={error("basis")}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              {text("pendingDays", "loyalty.pendingDays", t("loyalty.pendingDaysHelp"))}
              {text("expiryMonths", "loyalty.expiryMonths", t("loyalty.expiryMonthsHelp"))}
            </FormLayout.Group>
            {text("earnSince", "loyalty.earnSince", t("loyalty.earnSinceHelp"), "date")}
          </FormLayout>
        </AnnotatedCard>
        <AnnotatedCard title={t("loyalty.rewards.heading")} description={t("loyalty.rewards.description")}>
          <FormLayout.Group>
            {text("pointsPerReward", "loyalty.pointsPerReward")}
            {text("rewardValue", "loyalty.rewardValue", currencyCode)}
          </FormLayout.Group>
        </AnnotatedCard>
        <AnnotatedCard title={t("loyalty.referrals.heading")} description={t("loyalty.referrals.description")}>
          <FormLayout.Group>
            {text("referrerPoints", "loyalty.referrerPoints")}
            {text("returnWindowDays", "loyalty.returnWindowDays")}
            {text("friendDiscountPercent", "loyalty.friendDiscountPercent", t("loyalty.friendDiscountPercentHelp"))}
          </FormLayout.Group>
        </AnnotatedCard>
        <Layout.Section>
          <InlineStack align="end">
            <Button submit variant="primary" loading={navigation.state === "submitting"}>
              {t("settings.save")}
            </Button>
          </InlineStack>
        </Layout.Section>
      </SettingsForm>
    </Page>
  );
}
