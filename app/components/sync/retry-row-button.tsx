import { Form } from "@remix-run/react";
import { Button } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import { useSubmitting } from "./hooks";

/** A table row's "Retry": posts the intent with the row's id, and spins while that row's retry is sent. */
export function RetryRowButton({ intent, field, id }: { intent: "retry-job" | "retry-delivery"; field: "jobId" | "deliveryId"; id: number | string }) {
  const { t } = useI18n();
  const submitting = useSubmitting();
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={field} value={id} />
      <Button submit size="slim" loading={submitting(intent, field, id)}>
        {t("sync.retry")}
      </Button>
    </Form>
  );
}
