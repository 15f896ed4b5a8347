import { Form } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { en } from "../../admin/strings/en";
import type { SectionResult } from "../../components/SettingsSection";
import { useRowEditor } from "../../components/useRowEditor";
import { FaqEditor } from "./FaqEditor";

const t = en.knowledge;

export function FaqRow({ entry, result }: { entry: { id: string; question: string; answer: string; enabled: boolean }; result: SectionResult | undefined }) {
  const section = `faq:${entry.id}`;
  const { open, setEditing, confirming, setConfirming } = useRowEditor(section, result);
  return (
    <Box as="li" padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      {open ? (
        <FaqEditor entry={entry} section={section} result={result} onCancel={() => setEditing(false)} />
      ) : (
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center" wrap>
            <Text as="h3" variant="headingSm">
              {entry.question}
            </Text>
            {entry.enabled ? null : <Badge>{t.off}</Badge>}
          </InlineStack>
          <Text as="p">{entry.answer}</Text>
          {confirming ? (
            <InlineStack gap="200" blockAlign="center" wrap>
              <Text as="p">{t.confirmDelete(entry.question)}</Text>
              <Form method="post">
                <input type="hidden" name="intent" value="faq-delete" />
                <input type="hidden" name="id" value={entry.id} />
                <Button submit size="slim" tone="critical">
                  {en.common.delete}
                </Button>
              </Form>
              <Button size="slim" onClick={() => setConfirming(false)}>
                {en.common.cancel}
              </Button>
            </InlineStack>
          ) : (
            <InlineStack gap="200">
              <Button size="slim" onClick={() => setEditing(true)} accessibilityLabel={`${en.common.edit}: ${entry.question}`}>
                {en.common.edit}
              </Button>
              <Button size="slim" tone="critical" onClick={() => setConfirming(true)} accessibilityLabel={`${en.common.delete}: ${entry.question}`}>
                {en.common.delete}
              </Button>
            </InlineStack>
          )}
        </BlockStack>
      )}
    </Box>
  );
}
