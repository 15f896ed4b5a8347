import { Form } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { en } from "../../admin/strings/en";
import type { RuleCondition } from "../../agent/rules";
import type { SectionResult } from "../../components/SettingsSection";
import { useRowEditor } from "../../components/useRowEditor";
import { RuleEditor } from "./RuleEditor";
import type { RuleView } from "./rules.server";

const t = en.rules;

export function describeCondition(condition: RuleCondition | null, currencyCode: string): string {
  if (!condition) return "";
  switch (condition.kind) {
    case "phrases":
      return t.describe.phrases(condition.phrases);
    case "intents":
      return t.describe.intents(condition.intents.map((intent) => t.intentNames[intent]));
    case "order-value-above":
      return t.describe["order-value-above"](condition.amount, currencyCode);
    case "agent-failures":
      return t.describe["agent-failures"](condition.inARow);
    case "negative-sentiment":
      return t.describe["negative-sentiment"](condition.threshold);
  }
}

/** A one-button form: the rule's id and what to do with it. */
function RuleAction({ rule, intent, fields = {}, label, accessibilityLabel, tone }: { rule: RuleView; intent: string; fields?: Record<string, string>; label: string; accessibilityLabel?: string; tone?: "critical" }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={rule.id} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button submit size="slim" tone={tone} accessibilityLabel={accessibilityLabel}>
        {label}
      </Button>
    </Form>
  );
}

export function RuleRow({ rule, index, count, currencyCode, result }: { rule: RuleView; index: number; count: number; currencyCode: string; result: SectionResult | undefined }) {
  const section = `rule:${rule.id}`;
  const { open, setEditing, confirming, setConfirming } = useRowEditor(section, result);
  return (
    <Box as="li" padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      {open ? (
        <RuleEditor rule={rule} section={section} result={result} onCancel={() => setEditing(false)} />
      ) : (
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center" wrap>
            <Text as="span" tone="subdued">
              {index + 1}.
            </Text>
            <Text as="h3" variant="headingSm">
              {rule.name}
            </Text>
            <Badge tone={rule.enabled ? "success" : undefined}>{rule.enabled ? t.enabled : t.disabled}</Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            {describeCondition(rule.condition, currencyCode)}
          </Text>
          {confirming ? (
            <InlineStack gap="200" blockAlign="center" wrap>
              <Text as="p">{t.confirmDelete(rule.name)}</Text>
              <RuleAction rule={rule} intent="delete" label={en.common.delete} tone="critical" />
              <Button size="slim" onClick={() => setConfirming(false)}>
                {en.common.cancel}
              </Button>
            </InlineStack>
          ) : (
            <InlineStack gap="200" wrap>
              {index > 0 ? <RuleAction rule={rule} intent="move" fields={{ direction: "up" }} label="↑" accessibilityLabel={t.moveUp(rule.name)} /> : null}
              {index < count - 1 ? <RuleAction rule={rule} intent="move" fields={{ direction: "down" }} label="↓" accessibilityLabel={t.moveDown(rule.name)} /> : null}
              <Button size="slim" onClick={() => setEditing(true)} accessibilityLabel={t.editRule(rule.name)}>
                {en.common.edit}
              </Button>
              <RuleAction rule={rule} intent="toggle" fields={{ enabled: String(!rule.enabled) }} label={rule.enabled ? t.disable : t.enable} accessibilityLabel={`${rule.enabled ? t.disable : t.enable}: ${rule.name}`} />
              <Button size="slim" tone="critical" onClick={() => setConfirming(true)} accessibilityLabel={t.deleteRule(rule.name)}>
                {en.common.delete}
              </Button>
            </InlineStack>
          )}
        </BlockStack>
      )}
    </Box>
  );
}
