import { Form } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { Banner, Layout } from "@shopify/polaris";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useI18n } from "~/i18n/react";

/**
 * A settings form's state against its saved values. Only a change in the saved values resets it
 * (pages revalidate while work they started runs), so unsaved edits survive a refresh.
 */
export function useSettingsForm<Values>(values: Values) {
  const saved = JSON.stringify(values);
  const [form, setForm] = useState<Values>(values);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => setForm(JSON.parse(saved) as Values), [saved]);
  return {
    form,
    setForm,
    formRef,
    dirty: JSON.stringify(form) !== saved,
    discard: () => setForm(JSON.parse(saved) as Values),
  };
}

/**
 * A settings page's form: Shopify admin's contextual save bar while it differs from what is saved
 * (Save submits, Discard puts the saved values back), and a banner when the last save was refused.
 * The save bar stands outside the <form>, whose submit its buttons would otherwise trigger.
 */
export function SettingsForm<Values>({
  saveBarId,
  settings,
  saving,
  hasErrors,
  children,
}: {
  saveBarId: string;
  settings: ReturnType<typeof useSettingsForm<Values>>;
  saving: boolean;
  hasErrors: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      <SaveBar id={saveBarId} open={settings.dirty || saving}>
        <button type="button" variant="primary" onClick={() => settings.formRef.current?.requestSubmit()} loading={saving ? "" : undefined} disabled={saving}>
          {t("saveBar.save")}
        </button>
        <button type="button" onClick={settings.discard} disabled={saving}>
          {t("saveBar.discard")}
        </button>
      </SaveBar>
      <Form method="post" ref={settings.formRef}>
        <Layout>
          {hasErrors ? (
            <Layout.Section>
              <Banner tone="critical" title={t("settings.errors.heading")} />
            </Layout.Section>
          ) : null}
          {children}
        </Layout>
      </Form>
    </>
  );
}
