import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Text } from "@shopify/polaris";
import { CardSection, Fact } from "~/components/sections";
import type { LifecycleSummary } from "~/lifecycle-models/summary.server";
import type { DashboardFormats } from "./formats";

export function WriteBackPreview({ lifecycle, formats }: { lifecycle: LifecycleSummary; formats: DashboardFormats }) {
  const { t, number } = formats;
  const navigation = useNavigation();
  const { writeBack } = lifecycle;
  if (writeBack.preview) {
    return (
      <CardSection title={t("home.writeBack.previewHeading")}>
        {writeBack.preview.prefixChanged ? (
          <Banner tone="warning">
            <span data-testid="write-back-prefix-changed">{t("home.writeBack.prefixChanged")}</span>
          </Banner>
        ) : null}
        <Text as="p">{t("home.writeBack.preview", { customers: number(writeBack.preview.customers) })}</Text>
        <BlockStack gap="100">
          {writeBack.preview.added.map(({ tag, customers }) => (
            <Fact key={tag} label={tag} value={t("home.writeBack.customers", { count: customers })} />
          ))}
        </BlockStack>
        {writeBack.preview.removed.length > 0 ? (
          <>
            <Text as="p">{t("home.writeBack.removed")}</Text>
            <BlockStack gap="100">
              {writeBack.preview.removed.map(({ tag, customers }) => (
                <Fact key={tag} label={tag} value={t("home.writeBack.customers", { count: customers })} />
              ))}
            </BlockStack>
          </>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="approve-write-back" />
          <Button submit variant="primary" loading={navigation.state === "submitting"}>
            {t("home.writeBack.approve")}
          </Button>
        </Form>
      </CardSection>
    );
  }
  return null;
}
