import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { en } from "../../admin/strings/en";
import type { RuleCondition } from "../../agent/rules";
import { ESCALATION_INTENTS } from "../../agent/types";
import { fieldError, type SectionResult } from "../../components/SettingsSection";

const t = en.rules;
const KINDS = ["phrases", "intents", "order-value-above", "agent-failures", "negative-sentiment"] as const;

/** The form for one rule (new, or an existing one being edited). Controlled, so a refused save keeps the input. */
export function RuleEditor({
  rule,
  section,
  result,
  onCancel,
}: {
  rule: { id: string; name: string; condition: RuleCondition | null } | null;
  section: string;
  result: SectionResult | undefined;
  onCancel?: () => void;
}) {
  const condition = rule?.condition;
  const [name, setName] = useState(rule?.name ?? "");
  const [kind, setKind] = useState<string>(condition?.kind ?? "phrases");
  const [phrases, setPhrases] = useState(condition?.kind === "phrases" ? condition.phrases.join("\n") : "");
  const [intents, setIntents] = useState<string[]>(condition?.kind === "intents" ? [...condition.intents] : []);
  const [amount, setAmount] = useState(condition?.kind === "order-value-above" ? String(condition.amount) : "1000");
  const [inARow, setInARow] = useState(condition?.kind === "agent-failures" ? String(condition.inARow) : "2");
  const [threshold, setThreshold] = useState(condition?.kind === "negative-sentiment" ? String(condition.threshold) : "-1.5");
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("section") === section;
  const mine = result?.section === section ? result : undefined;
  const error = (field: string) => fieldError(mine, section, field);
  return (
    <Form method="post" aria-label={rule ? t.editRule(rule.name) : t.add}>
      <input type="hidden" name="intent" value={rule ? "update" : "create"} />
      <input type="hidden" name="section" value={section} />
      {rule ? <input type="hidden" name="id" value={rule.id} /> : null}
      <BlockStack gap="300">
        {mine && !mine.ok ? <Banner tone="critical">{mine.fieldErrors.form?.join(" ") ?? en.common.fixErrors}</Banner> : null}
        <FormLayout>
          <TextField label={t.name} name="name" value={name} onChange={setName} autoComplete="off" maxLength={80} helpText={t.nameHelp} error={error("name")} />
          <Select label={t.kind} name="kind" options={KINDS.map((value) => ({ value, label: t.kinds[value] }))} value={kind} onChange={setKind} error={error("kind")} />
          {kind === "phrases" ? (
            <TextField label={t.phrases} name="phrases" value={phrases} onChange={setPhrases} autoComplete="off" multiline={3} helpText={t.phrasesHelp} error={error("phrases")} />
          ) : null}
          {kind === "intents" ? (
            <BlockStack gap="100">
              <Text as="span">{t.intents}</Text>
              {intents.map((intent) => (
                <input key={intent} type="hidden" name="intents" value={intent} />
              ))}
              <InlineStack gap="400">
                {ESCALATION_INTENTS.map((intent) => (
                  <Checkbox
                    key={intent}
                    label={t.intentNames[intent]}
                    checked={intents.includes(intent)}
                    onChange={(on) => setIntents((current) => (on ? [...current, intent] : current.filter((entry) => entry !== intent)))}
                  />
                ))}
              </InlineStack>
              {error("intents") ? (
                <Text as="p" tone="critical">
                  {error("intents")}
                </Text>
              ) : null}
            </BlockStack>
          ) : null}
          {kind === "order-value-above" ? <TextField label={t.amount} name="amount" type="number" value={amount} onChange={setAmount} autoComplete="off" error={error("amount")} /> : null}
          {kind === "agent-failures" ? <TextField label={t.inARow} name="inARow" type="number" value={inARow} onChange={setInARow} autoComplete="off" error={error("inARow")} /> : null}
          {kind === "negative-sentiment" ? (
            <TextField label={t.threshold} name="threshold" type="number" step={0.5} value={threshold} onChange={setThreshold} autoComplete="off" helpText={t.thresholdHelp} error={error("threshold")} />
          ) : null}
        </FormLayout>
        <InlineStack gap="200">
          <Button submit variant="primary" loading={busy}>
            {rule ? en.common.save : t.add}
          </Button>
          {onCancel ? <Button onClick={onCancel}>{en.common.cancel}</Button> : null}
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
