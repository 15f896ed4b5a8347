import { BlockStack, Text } from "@shopify/polaris";

/** One figure with its label and an optional line of context; the label is a heading so screen readers can jump between figures. */
export function StatTile({ label, value, detail, tone }: { label: string; value: string | number; detail?: string; tone?: "critical" | "success" }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg" tone={tone}>
        {value}
      </Text>
      {detail ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      ) : null}
    </BlockStack>
  );
}
