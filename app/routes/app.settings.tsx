import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Checkbox, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, type ReactNode } from "react";
import prisma from "~/db.server";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/react";
import { RECOMPUTE_JOB, requestRecompute, requestWriteBack } from "~/jobs/catalogue.server";
import { parseLifecycleSettingsForm, type LifecycleSettingsFormErrors } from "~/lifecycle-store/settings-form";
import { lifecycleSettings, storedRhythm, TAG_PREFIX_FIELDS, updateLifecycleSettings } from "~/lifecycle-store/settings.server";
import { authenticate } from "~/shopify.server";
import { markWriteBackDue } from "~/write-back/write-back.server";
import { AnnotatedCard } from "~/components/sections";
import { SettingsForm, useSettingsForm } from "~/components/settings-form";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await lifecycleSettings(prisma, session.shop);
  const recomputing = await prisma.job.count({
    where: { shop: session.shop, kind: RECOMPUTE_JOB, status: { in: ["queued", "running"] }, runAt: { lte: new Date() } },
  });
  const rhythm = storedRhythm(settings);
  // Written before, not approved now: a changed prefix waits for the merchant to approve the new dry run.
  const awaitingApproval = !settings.writeBackApprovedAt && (await prisma.writeBackRun.count({ where: { shop: session.shop } })) > 0;
  return {
    values: {
      repurchaseIntervalDays: settings.repurchaseIntervalDays?.toString() ?? "",
      lapseAfterDays: settings.lapseAfterDays?.toString() ?? "",
      atRiskMultiple: String(settings.atRiskMultiple),
      loyalMinOrders: String(settings.loyalMinOrders),
      valueLargePercent: String(Math.round(settings.valueLargeShare * 1000) / 10),
      valueMediumPercent: String(Math.round(settings.valueMediumShare * 1000) / 10),
      stageTagPrefix: settings.stageTagPrefix,
      rfmTagPrefix: settings.rfmTagPrefix,
      valueTagPrefix: settings.valueTagPrefix,
      writeTags: settings.writeTags,
      writeMetafields: settings.writeMetafields,
      writeSegments: settings.writeSegments,
    },
    // What the store's own orders suggest, shown beside the fields the merchant may override.
    rhythm: { interval: rhythm.repurchaseIntervalDays, lapse: rhythm.lapseAfterDays, explanation: rhythm.explanation },
    lastFullRunAt: settings.lastFullRunAt?.toISOString() ?? null,
    recomputing: recomputing > 0,
    awaitingApproval,
  };
};

// Changing these places customers differently: everyone is recomputed.
const RULE_FIELDS = ["repurchaseIntervalDays", "lapseAfterDays", "atRiskMultiple", "loyalMinOrders", "valueLargeShare", "valueMediumShare"] as const;
// Changing these changes what write-back tells Shopify about everyone.
const WRITE_BACK_FIELDS = ["writeTags", "writeMetafields", "writeSegments"] as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseLifecycleSettingsForm(Object.fromEntries(await request.formData()));
  if ("errors" in parsed) return Response.json({ errors: parsed.errors }, { status: 400 });
  const { valueLargePercent, valueMediumPercent, repurchaseIntervalDays, lapseAfterDays, ...rest } = parsed.values;
  const change = {
    ...rest,
    repurchaseIntervalDays: repurchaseIntervalDays ?? null,
    lapseAfterDays: lapseAfterDays ?? null,
    valueLargeShare: valueLargePercent / 100,
    valueMediumShare: valueMediumPercent / 100,
  };
  const before = await lifecycleSettings(prisma, session.shop);
  await updateLifecycleSettings(prisma, session.shop, change);
  const rulesChanged = RULE_FIELDS.some((field) => change[field] !== before[field]);
  // The recompute asks for the write-back itself for the customers it moves.
  if (rulesChanged) await requestRecompute(prisma, session.shop);
  // A changed prefix withdrew the approval (updateLifecycleSettings): approving the new dry run on
  // the dashboard looks at everyone again. A kind switched on or off needs everyone looked at now.
  const prefixChanged = TAG_PREFIX_FIELDS.some((field) => change[field] !== before[field]);
  if (!prefixChanged && WRITE_BACK_FIELDS.some((field) => change[field] !== before[field])) {
    await markWriteBackDue(prisma, session.shop, "all");
    await requestWriteBack(prisma, session.shop);
  }
  return { saved: true as const, recomputing: rulesChanged };
};

const RECOMPUTE_REFRESH_MS = 2_000;

/** "français", "polski": a language named in itself, as language pickers do. */
const languageName = (locale: string) => new Intl.DisplayNames([locale], { type: "language" }).of(locale) ?? locale;

type FieldName = keyof ReturnType<typeof useLoaderData<typeof loader>>["values"];

export default function Settings() {
  const { values, rhythm, lastFullRunAt, recomputing, awaitingApproval } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t, locale } = useI18n();
  const settings = useSettingsForm(values);
  const { form, setForm } = settings;
  const revalidator = useRevalidator();
  useEffect(() => {
    if (result && "saved" in result) shopify.toast.show(t(result.recomputing ? "settings.savedRecomputing" : "settings.saved"));
  }, [result, shopify, t]);
  // While everyone is placed again, the page follows the recompute until it is done.
  useEffect(() => {
    if (!recomputing) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), RECOMPUTE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [recomputing, revalidator]);
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
                    when: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(lastFullRunAt)),
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
            <span data-testid="admin-language">{t("settings.languages.admin", { language: languageName(locale) })}</span>
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
