import type { KlaviyoEventStatus } from "@prisma/client";
import { BlockStack, Box, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { en } from "../../admin/strings/en";

interface PreviewedEvent {
  id: string;
  metric: string;
  status: KlaviyoEventStatus;
  payload: string;
  lastError: string | null;
  lastStatusCode: number | null;
}

/** What the app sends Klaviyo for one event (its JSON:API attributes), with Klaviyo's reason and a retry when it failed. */
export function EventPreview({ preview, retrying, onRetry, closeUrl }: { preview: PreviewedEvent; retrying: boolean; onRetry: () => void; closeUrl: string }) {
  const text = en.events;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingSm">
            {text.previewTitle(preview.metric)}
          </Text>
          <InlineStack gap="200">
            {preview.status === "failed" ? (
              <Button variant="primary" loading={retrying} onClick={onRetry}>
                {text.retryOne}
              </Button>
            ) : null}
            <Button url={closeUrl}>{text.closePreview}</Button>
          </InlineStack>
        </InlineStack>
        {preview.lastError ? (
          <Text as="p" tone="critical">
            {preview.lastStatusCode ? `${preview.lastStatusCode}: ` : ""}
            {preview.lastError}
          </Text>
        ) : null}
        <Box background="bg-surface-secondary" padding="300" borderRadius="200" overflowX="scroll">
          <pre tabIndex={0} aria-label={text.headings.payload} style={{ margin: 0, fontSize: "0.8125rem", whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
            {preview.payload}
          </pre>
        </Box>
      </BlockStack>
    </Card>
  );
}
