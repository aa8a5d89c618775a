import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect } from "react";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { useFormatters } from "~/hooks/use-formatters";
import { parseLoyaltySettingsForm, type LoyaltySettingsFormErrors } from "~/loyalty-models/settings-form";
import { loadLoyaltySettingsPage, saveLoyaltySettings, turnLoyaltyOn } from "~/loyalty-models/settings-page.server";
import { authenticate } from "~/shopify.server";
import { AnnotatedCard } from "~/components/sections";
import { SettingsForm, useSettingsForm } from "~/components/settings-form";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadLoyaltySettingsPage(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  // The onboarding's one action: the programme runs from now on.
  if (form.intent === "turn-on") {
    await turnLoyaltyOn(session.shop, new Date());
    return { turnedOn: true as const };
  }
  const parsed = parseLoyaltySettingsForm(form);
  if ("errors" in parsed) return Response.json({ errors: parsed.errors }, { status: 400 });
  const { followUps } = await saveLoyaltySettings(session.shop, parsed.values, new Date());
  return { saved: true as const, awarding: followUps.pastOrdersAward };
};

type Values = ReturnType<typeof useLoaderData<typeof loader>>["values"];

/**
 * While the programme is off: what it does, its main rules as they stand, and the one action that
 * starts it. A separate form, outside the settings form.
 */
function Onboarding({ values, currencyCode, pointsKept }: { values: Values; currencyCode: string; pointsKept: boolean }) {
  const { t } = useI18n();
  const formats = useFormatters();
  const navigation = useNavigation();
  const money = (amount: string) => formats.moneyAmount(Number(amount), currencyCode);
  const number = (value: string) => formats.number(Number(value));
  const turningOn = navigation.state === "submitting" && navigation.formData?.get("intent") === "turn-on";
  return (
    <Box paddingBlockEnd="400">
      <Card>
        <Form method="post">
          <input type="hidden" name="intent" value="turn-on" />
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("loyalty.onboarding.heading")}
            </Text>
            <Text as="p" tone="subdued">
              <span data-testid="loyalty-off">{t("loyalty.onboarding.off")}</span>
              {pointsKept ? ` ${t("loyalty.onboarding.kept")}` : ""}
            </Text>
            <Text as="p">{t("loyalty.onboarding.rules")}</Text>
            <List>
              <List.Item>{t("loyalty.onboarding.earn", { points: number(values.pointsPerUnit), currency: currencyCode })}</List.Item>
              <List.Item>{t("loyalty.onboarding.pending", { days: number(values.pendingDays) })}</List.Item>
              <List.Item>{t("loyalty.onboarding.reward", { points: number(values.pointsPerReward), value: money(values.rewardValue) })}</List.Item>
              <List.Item>
                {t("loyalty.onboarding.referral", {
                  minimum: money(values.referralMinOrder),
                  points: number(values.referrerPoints),
                  percent: number(values.friendDiscountPercent),
                })}
              </List.Item>
              <List.Item>{t("loyalty.onboarding.storefront")}</List.Item>
            </List>
            <InlineStack align="end">
              <Button submit variant="primary" loading={turningOn}>
                {t("loyalty.onboarding.turnOn")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </Box>
  );
}

export default function LoyaltySettings() {
  const { values, currencyCode, outstanding, heldReferrals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t } = useI18n();
  const formats = useFormatters();
  const settings = useSettingsForm<Values>(values);
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") !== "turn-on";
  const { form, setForm } = settings;
  useEffect(() => {
    if (result && "saved" in result) shopify.toast.show(t(result.awarding ? "loyalty.savedAwarding" : "loyalty.saved"));
    if (result && "turnedOn" in result) shopify.toast.show(t("loyalty.turnedOn"));
  }, [result, shopify, t]);
  const errors: LoyaltySettingsFormErrors = result && "errors" in result ? result.errors : {};
  const error = (field: keyof LoyaltySettingsFormErrors) => (errors[field] ? t(errors[field]) : undefined);
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
      {values.enabled ? null : <Onboarding values={values} currencyCode={currencyCode} pointsKept={outstanding.available !== 0 || outstanding.pending !== 0} />}
      <SettingsForm
        saveBarId="loyalty-settings-save-bar"
        settings={settings}
        saving={saving}
        hasErrors={Object.keys(errors).length > 0}
      >
        <Layout.Section>
          <Text as="p" tone="subdued">
            <span data-testid="points-outstanding">
              {t("loyalty.outstanding", {
                points: formats.number(outstanding.available),
                pending: formats.number(outstanding.pending),
                customers: formats.number(outstanding.customers),
              })}
            </span>
            {heldReferrals > 0 ? ` · ${t("loyalty.heldReferrals", { count: heldReferrals })}` : ""}
          </Text>
        </Layout.Section>
        <AnnotatedCard title={t("loyalty.earning.heading")} description={t("loyalty.earning.description")}>
          <FormLayout>
            {/* Turning on is the onboarding's; once on, the programme can be turned off here. */}
            {values.enabled ? (
              <Checkbox
                label={t("loyalty.enabled")}
                name="enabled"
                value="on"
                checked={form.enabled}
                onChange={(checked) => setForm({ ...form, enabled: checked })}
              />
            ) : null}
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
            {/* Off, the programme starts when it is turned on; then the start can be moved back. */}
            {values.enabled ? text("earnSince", "loyalty.earnSince", t("loyalty.earnSinceHelp"), "date") : <input type="hidden" name="earnSince" value={form.earnSince} />}
          </FormLayout>
        </AnnotatedCard>
        <AnnotatedCard title={t("loyalty.rewards.heading")} description={t("loyalty.rewards.description")}>
          <FormLayout.Group>
            {text("pointsPerReward", "loyalty.pointsPerReward")}
            {text("rewardValue", "loyalty.rewardValue", currencyCode)}
          </FormLayout.Group>
        </AnnotatedCard>
        <AnnotatedCard title={t("loyalty.referrals.heading")} description={t("loyalty.referrals.description")}>
          <FormLayout>
            <FormLayout.Group>
              {text("referrerPoints", "loyalty.referrerPoints")}
              {text("returnWindowDays", "loyalty.returnWindowDays")}
              {text("friendDiscountPercent", "loyalty.friendDiscountPercent", t("loyalty.friendDiscountPercentHelp"))}
            </FormLayout.Group>
            {text("referralMinOrder", "loyalty.referralMinOrder", t("loyalty.referralMinOrderHelp", { currency: currencyCode }))}
          </FormLayout>
        </AnnotatedCard>
        <Layout.Section>
          <InlineStack align="end">
            <Button submit variant="primary" loading={saving}>
              {t("settings.save")}
            </Button>
          </InlineStack>
        </Layout.Section>
      </SettingsForm>
    </Page>
  );
}
