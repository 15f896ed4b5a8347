import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Checkbox, FormLayout, InlineStack, TextField } from "@shopify/polaris";
import { useState } from "react";
import { en } from "../../admin/strings/en";
import { fieldError, type SectionResult } from "../../components/SettingsSection";

const t = en.knowledge;

/** Adds or edits one FAQ entry; controlled, so a refused save keeps what was typed. */
export function FaqEditor({
  entry,
  section,
  result,
  onCancel,
}: {
  entry: { id: string; question: string; answer: string; enabled: boolean } | null;
  section: string;
  result: SectionResult | undefined;
  onCancel?: () => void;
}) {
  const [question, setQuestion] = useState(entry?.question ?? "");
  const [answer, setAnswer] = useState(entry?.answer ?? "");
  const [enabled, setEnabled] = useState(entry?.enabled ?? true);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("section") === section;
  const mine = result?.section === section ? result : undefined;
  return (
    <Form method="post" aria-label={entry ? `${en.common.edit}: ${entry.question}` : t.addFaq}>
      <input type="hidden" name="intent" value={entry ? "faq-update" : "faq-create"} />
      <input type="hidden" name="section" value={section} />
      <input type="hidden" name="enabled" value={enabled ? "on" : "off"} />
      {entry ? <input type="hidden" name="id" value={entry.id} /> : null}
      <BlockStack gap="300">
        {mine && !mine.ok ? <Banner tone="critical">{mine.fieldErrors.form?.join(" ") ?? en.common.fixErrors}</Banner> : null}
        <FormLayout>
          <TextField label={t.question} name="question" value={question} onChange={setQuestion} autoComplete="off" maxLength={300} error={fieldError(mine, section, "question")} />
          <TextField label={t.answer} name="answer" value={answer} onChange={setAnswer} autoComplete="off" multiline={3} maxLength={2000} error={fieldError(mine, section, "answer")} />
          <Checkbox label={t.enabled} checked={enabled} onChange={setEnabled} />
        </FormLayout>
        <InlineStack gap="200">
          <Button submit variant="primary" loading={busy}>
            {entry ? en.common.save : t.addFaq}
          </Button>
          {onCancel ? <Button onClick={onCancel}>{en.common.cancel}</Button> : null}
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
