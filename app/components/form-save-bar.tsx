import { SaveBar } from "@shopify/app-bridge-react";
import { useI18n } from "~/i18n/react";

/**
 * Shopify admin's contextual save bar for a settings form: shown while the form differs from what
 * is saved, with Save (submits the form) and Discard (puts the saved values back). Render it outside
 * the <form>: its buttons would otherwise submit the form themselves.
 */
export function FormSaveBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { t } = useI18n();
  return (
    <SaveBar id={id} open={dirty || saving}>
      <button type="button" variant="primary" onClick={onSave} loading={saving ? "" : undefined} disabled={saving}>
        {t("saveBar.save")}
      </button>
      <button type="button" onClick={onDiscard} disabled={saving}>
        {t("saveBar.discard")}
      </button>
    </SaveBar>
  );
}
