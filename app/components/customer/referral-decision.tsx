import { Form } from "@remix-run/react";
import { Button, InlineStack } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";

/** Approve or reject a referral held for the merchant's decision. */
export function ReferralDecision({ referralId }: { referralId: number }) {
  const { t } = useI18n();
  return (
    <InlineStack gap="200">
      {(["approve-referral", "reject-referral"] as const).map((intent) => (
        <Form method="post" key={intent}>
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name="referralId" value={referralId} />
          <Button submit size="slim" variant={intent === "approve-referral" ? "primary" : undefined}>
            {t(intent === "approve-referral" ? "customer.referrals.approve" : "customer.referrals.reject")}
          </Button>
        </Form>
      ))}
    </InlineStack>
  );
}
