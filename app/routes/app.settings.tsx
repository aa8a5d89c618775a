import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Checkbox, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, type ReactNode } from "react";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { useFormatters } from "~/hooks/use-formatters";
import { usePolling } from "~/hooks/use-polling";
import { parseLifecycleSettingsForm, type LifecycleSettingsFormErrors } from "~/lifecycle-models/settings-form";
import { loadLifecycleSettingsPage, saveLifecycleSettings } from "~/lifecycle-models/settings-page.server";
import { authenticate } from "~/shopify.server";
import { AnnotatedCard } from "~/components/sections";
import { SettingsForm, useSettingsForm } from "~/components/settings-form";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadLifecycleSettingsPage(session.shop, new Date());
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseLifecycleSettingsForm(Object.fromEntries(await request.formData()));
  if ("errors" in parsed) return Response.json({ errors: parsed.errors }, { status: 400 });
  const { followUps } = await saveLifecycleSettings(session.shop, parsed.values);
  return { saved: true as const, recomputing: followUps.recompute };
};

type FieldName = keyof ReturnType<typeof useLoaderData<typeof loader>>["values"];

export default function Settings() {
  const { values, rhythm, lastFullRunAt, recomputing, awaitingApproval } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t, locale } = useI18n();
  const formats = useFormatters();
  const settings = useSettingsForm(values);
  const { form, setForm } = settings;
  useEffect(() => {
    if (result && "saved" in result) shopify.toast.show(t(result.recomputing ? "settings.savedRecomputing" : "settings.saved"));
  }, [result, shopify, t]);
  // While everyone is placed again, the page follows the recompute until it is done.
  usePolling(recomputing);
  const errors: LifecycleSettingsFormErrors = result && "errors" in result ? result.errors : {};
  const error = (field: keyof LifecycleSettingsFormErrors) => (errors[field] ? t(errors[field]) : undefined);
  const text = (
    field: Exclude<FieldName, "writeTags" | "writeMetafields" | "writeSegments">,
    label: MessageKey,
    help?: ReactNode,
    type: "text" | "number" = "number",
  ) => (
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
  const check = (field: "writeTags" | "writeMetafields" | "writeSegments", label: MessageKey, help: MessageKey) => (
    <Checkbox
      label={t(label)}
      name={field}
      // Polaris submits "" for a checked box unless told otherwise; the form reads "on".
      value="on"
      checked={form[field]}
      onChange={(checked) => setForm({ ...form, [field]: checked })}
      helpText={t(help)}
      error={error(field)}
    />
  );
  const saving = navigation.state === "submitting";

  return (
    <Page title={t("settings.title")} backAction={{ content: t("nav.home"), url: "/app" }}>
      <SettingsForm saveBarId="lifecycle-settings-save-bar" settings={settings} saving={saving} hasErrors={Object.keys(errors).length > 0}>
        <Layout.Section>
          <Text as="p" tone="subdued">
            <span data-testid="recompute-state">
              {recomputing
                ? t("settings.recomputing")
                : lastFullRunAt
                ? t("settings.lastRun", {
                    when: formats.dateTime(lastFullRunAt),
                  })
                : t("settings.neverRun")}
            </span>
          </Text>
        </Layout.Section>
        <AnnotatedCard title={t("settings.stages.heading")} description={t(rhythm.explanation.key as MessageKey, rhythm.explanation.values)}>
          <FormLayout>
            <FormLayout.Group>
              {text("repurchaseIntervalDays", "settings.stages.interval", t("settings.stages.fromStore", { days: rhythm.interval }))}
              {text("lapseAfterDays", "settings.stages.lapse", t("settings.stages.fromStore", { days: rhythm.lapse }))}
            </FormLayout.Group>
            <FormLayout.Group>
              {text("atRiskMultiple", "settings.stages.atRiskMultiple", t("settings.stages.atRiskMultipleHelp"))}
              {text("loyalMinOrders", "settings.stages.loyalMinOrders", t("settings.stages.loyalMinOrdersHelp"))}
            </FormLayout.Group>
          </FormLayout>
        </AnnotatedCard>
        <AnnotatedCard title={t("settings.value.heading")} description={t("settings.value.description")}>
          <FormLayout.Group>
            {text("valueLargePercent", "settings.value.large")}
            {text("valueMediumPercent", "settings.value.medium")}
          </FormLayout.Group>
        </AnnotatedCard>
        <AnnotatedCard title={t("settings.tags.heading")} description={t("settings.tags.description")}>
          <BlockStack gap="300">
            {awaitingApproval ? (
              <Banner tone="warning" action={{ content: t("settings.tags.review"), url: "/app" }}>
                <span data-testid="write-back-awaiting-approval">{t("settings.tags.awaitingApproval")}</span>
              </Banner>
            ) : null}
            <FormLayout.Group>
              {text("stageTagPrefix", "settings.tags.stage", undefined, "text")}
              {text("rfmTagPrefix", "settings.tags.rfm", undefined, "text")}
              {text("valueTagPrefix", "settings.tags.value", undefined, "text")}
            </FormLayout.Group>
          </BlockStack>
        </AnnotatedCard>
        <AnnotatedCard title={t("settings.writeBack.heading")} description={t("settings.writeBack.description")}>
          <BlockStack gap="200">
            {check("writeTags", "settings.writeBack.tags", "settings.writeBack.tagsHelp")}
            {check("writeMetafields", "settings.writeBack.metafields", "settings.writeBack.metafieldsHelp")}
            {check("writeSegments", "settings.writeBack.segments", "settings.writeBack.segmentsHelp")}
          </BlockStack>
        </AnnotatedCard>
        <AnnotatedCard title={t("settings.languages.heading")} description={t("settings.languages.description")}>
          <Text as="p">
            <span data-testid="admin-language">{t("settings.languages.admin", { language: formats.languageName(locale) })}</span>
          </Text>
          <Text as="p" tone="subdued">
            {t("settings.languages.storefront")}
          </Text>
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
