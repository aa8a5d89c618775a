import { BlockStack, Card, InlineGrid, Layout, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A full-width card with a heading: the admin pages' building block. */
export function CardSection({ title, children }: { title: string; children: ReactNode }) {
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

/** A settings group: title and explanation beside, the fields in a card. */
export function AnnotatedCard({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Layout.AnnotatedSection title={title} description={description}>
      <Card>
        <BlockStack gap="300">{children}</BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

/** A number that matters, large, with its label; `testId` lets browser tests read it. */
export function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
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

/** A label and its value on one line. */
export function Fact({ label, value }: { label: string; value: string }) {
  return (
    <InlineGrid columns={["oneThird", "twoThirds"]} gap="200">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span">{value}</Text>
    </InlineGrid>
  );
}
