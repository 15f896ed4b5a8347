import { BlockStack, Text } from "@shopify/polaris";

/** What an admin table shows when it has no rows yet: a title and a line saying when rows will appear. */
export function TableEmptyState({ title, body }: { title: string; body: string }) {
  return (
    <BlockStack inlineAlign="center" gap="200">
      <Text as="p" variant="headingSm">
        {title}
      </Text>
      <Text as="p" tone="subdued">
        {body}
      </Text>
    </BlockStack>
  );
}
