import { useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useRef, useState } from "react";
import { en } from "../../admin/strings/en";
import { SKILL_NAMES } from "../../agent/types";
import { fieldError, SettingsSection, type SectionResult } from "../../components/SettingsSection";
import { MAX_STYLE_RULES, TONES, WIDGET_PAGE_TYPES } from "../../settings/sections";
import type { ConnectionCheck } from "../../agent/brains/llm/check-connection.server";
import type { GuidanceResult, GuidanceValues } from "./guidance.server";

const t = en.guidance;

/** Checkbox groups post their choices as hidden inputs, so the form's shape never depends on Polaris' markup. */
function HiddenList({ name, values }: { name: string; values: readonly string[] }) {
  return (
    <>
      {values.map((value) => (
        <input key={value} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

function toggle(list: readonly string[], value: string, on: boolean): string[] {
  return on ? [...new Set([...list, value])] : list.filter((entry) => entry !== value);
}

type CardProps<K extends keyof GuidanceValues> = { values: GuidanceValues[K]; result: GuidanceResult | undefined };

export function IdentityCard({ values, result }: CardProps<"identity">) {
  const [name, setName] = useState(values.name);
  const [greeting, setGreeting] = useState(values.greeting);
  const [brandSummary, setBrandSummary] = useState(values.brandSummary);
  const answer = result as SectionResult | undefined;
  return (
    <SettingsSection intent="identity" title={t.identity.heading} result={answer}>
      <FormLayout>
        <TextField label={t.identity.name} name="name" value={name} onChange={setName} autoComplete="off" maxLength={40} helpText={t.identity.nameHelp} error={fieldError(answer, "identity", "name")} />
        <TextField label={t.identity.greeting} name="greeting" value={greeting} onChange={setGreeting} autoComplete="off" multiline={2} maxLength={300} helpText={t.identity.greetingHelp} error={fieldError(answer, "identity", "greeting")} />
        <TextField label={t.identity.brandSummary} name="brandSummary" value={brandSummary} onChange={setBrandSummary} autoComplete="off" multiline={3} maxLength={1000} helpText={t.identity.brandSummaryHelp} error={fieldError(answer, "identity", "brandSummary")} />
      </FormLayout>
    </SettingsSection>
  );
}

export function VoiceCard({ values, result }: CardProps<"voice">) {
  const [tone, setTone] = useState<string>(values.tone);
  const [customTone, setCustomTone] = useState(values.customTone);
  const [rules, setRules] = useState<string[]>(values.styleRules.length ? [...values.styleRules] : []);
  const answer = result as SectionResult | undefined;
  const rulesError = fieldError(answer, "voice", "styleRules");
  return (
    <SettingsSection intent="voice" title={t.voice.heading} result={answer}>
      <FormLayout>
        <Select label={t.voice.tone} name="tone" options={TONES.map((value) => ({ value, label: t.voice.tones[value] }))} value={tone} onChange={setTone} error={fieldError(answer, "voice", "tone")} />
        {tone === "custom" ? (
          <TextField label={t.voice.customTone} name="customTone" value={customTone} onChange={setCustomTone} autoComplete="off" maxLength={300} error={fieldError(answer, "voice", "customTone")} />
        ) : null}
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {t.voice.styleRules}
          </Text>
          <Text as="p" tone="subdued">
            {t.voice.styleRulesHelp(MAX_STYLE_RULES)}
          </Text>
          {rules.length === 0 ? <Text as="p">{t.voice.noRules}</Text> : null}
          {rules.map((rule, index) => (
            <InlineStack key={index} gap="200" blockAlign="end" wrap={false}>
              <Box width="100%">
                <TextField
                  label={t.voice.styleRule(index + 1)}
                  name="styleRules"
                  value={rule}
                  onChange={(value) => setRules((current) => current.map((entry, position) => (position === index ? value : entry)))}
                  autoComplete="off"
                  maxLength={200}
                />
              </Box>
              <Button accessibilityLabel={t.voice.removeRule(index + 1)} onClick={() => setRules((current) => current.filter((_, position) => position !== index))}>
                {en.common.delete}
              </Button>
            </InlineStack>
          ))}
          {rulesError ? <Banner tone="critical">{rulesError}</Banner> : null}
          <InlineStack>
            <Button onClick={() => setRules((current) => [...current, ""])} disabled={rules.length >= MAX_STYLE_RULES}>
              {t.voice.addRule}
            </Button>
          </InlineStack>
        </BlockStack>
      </FormLayout>
    </SettingsSection>
  );
}

export function SkillsCard({ values, result }: CardProps<"skills">) {
  const [enabled, setEnabled] = useState<string[]>([...values.enabledSkills]);
  return (
    <SettingsSection intent="skills" title={t.skills.heading} description={t.skills.help} result={result as SectionResult | undefined}>
      <BlockStack gap="200">
        <HiddenList name="enabledSkills" values={enabled} />
        {SKILL_NAMES.map((skill) => (
          <Checkbox key={skill} label={t.skills.names[skill]} checked={enabled.includes(skill)} onChange={(on) => setEnabled((current) => toggle(current, skill, on))} />
        ))}
      </BlockStack>
    </SettingsSection>
  );
}

function checkMessage(check: ConnectionCheck): string {
  if (check.ok) return t.brain.checkOk(check.model);
  return check.reason === "refused" ? t.brain.checkFailed.refused(check.status, check.detail) : t.brain.checkFailed[check.reason];
}

export function BrainCard({ values, result }: CardProps<"brain">) {
  const [brain, setBrain] = useState<string>(values.brain);
  const [baseUrl, setBaseUrl] = useState(values.baseUrl);
  const [model, setModel] = useState(values.model);
  const [apiKey, setApiKey] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  const answer = result as SectionResult | undefined;
  const check = result && result.section === "brain" && "check" in result ? result.check : null;
  const checkConnection = () => {
    if (!formRef.current) return;
    const form = new FormData(formRef.current);
    form.set("intent", "check-brain");
    submit(form, { method: "post" });
  };
  return (
    <SettingsSection
      intent="brain"
      title={t.brain.heading}
      result={answer && !("check" in answer) ? answer : undefined}
      formRef={formRef}
      secondaryAction={brain === "llm" ? <Button onClick={checkConnection}>{t.brain.check}</Button> : null}
    >
      <FormLayout>
        <Select
          label={t.brain.choice}
          name="brain"
          options={[
            { value: "builtin", label: t.brain.builtin },
            { value: "llm", label: t.brain.llm },
          ]}
          value={brain}
          onChange={setBrain}
        />
        {brain === "llm" ? <TextField label={t.brain.baseUrl} name="baseUrl" value={baseUrl} onChange={setBaseUrl} autoComplete="off" placeholder="https://api.openai.com/v1" error={fieldError(answer, "brain", "baseUrl")} /> : null}
        {brain === "llm" ? <TextField label={t.brain.model} name="model" value={model} onChange={setModel} autoComplete="off" error={fieldError(answer, "brain", "model")} /> : null}
        {brain === "llm" ? (
          <TextField
            label={t.brain.apiKey}
            name="apiKey"
            type="password"
            value={apiKey}
            onChange={setApiKey}
            autoComplete="off"
            helpText={values.hasApiKey ? t.brain.apiKeyStored : t.brain.apiKeyMissing}
            error={fieldError(answer, "brain", "apiKey")}
          />
        ) : null}
        {check ? <Banner tone={check.ok ? "success" : "critical"}>{checkMessage(check)}</Banner> : null}
      </FormLayout>
    </SettingsSection>
  );
}

export function TimingCard({ values, result }: CardProps<"timing">) {
  const [fields, setFields] = useState(values);
  const answer = result as SectionResult | undefined;
  const field = (name: keyof typeof values, helpText: string) => (
    <TextField
      label={t.timing[name]}
      name={name}
      type="number"
      value={fields[name]}
      onChange={(value) => setFields((current) => ({ ...current, [name]: value }))}
      autoComplete="off"
      helpText={helpText}
      error={fieldError(answer, "timing", name)}
    />
  );
  return (
    <SettingsSection intent="timing" title={t.timing.heading} result={answer}>
      <FormLayout>
        {field("quietResolutionMinutes", t.timing.quietHelp)}
        {field("recommendationWindowHours", t.timing.recommendationHelp)}
        {field("attributionWindowDays", t.timing.attributionHelp)}
      </FormLayout>
    </SettingsSection>
  );
}

export function WidgetCard({ values, result }: CardProps<"widget">) {
  const [accentColor, setAccentColor] = useState(values.accentColor);
  const [position, setPosition] = useState<string>(values.position);
  const [launcherLabel, setLauncherLabel] = useState(values.launcherLabel);
  const [hidden, setHidden] = useState<string[]>([...values.hiddenPageTypes]);
  const answer = result as SectionResult | undefined;
  const swatch = /^#[0-9a-f]{6}$/i.test(accentColor) ? accentColor : "transparent";
  return (
    <SettingsSection intent="widget" title={t.widget.heading} description={t.widget.help} result={answer}>
      <FormLayout>
        <FormLayout.Group>
          <TextField
            label={t.widget.accentColor}
            name="accentColor"
            value={accentColor}
            onChange={setAccentColor}
            autoComplete="off"
            prefix={<span aria-hidden="true" style={{ display: "inline-block", width: 16, height: 16, borderRadius: 4, background: swatch, border: "1px solid #8a8a8a" }} />}
            error={fieldError(answer, "widget", "accentColor")}
          />
          <Select label={t.widget.position} name="position" options={(["right", "left"] as const).map((value) => ({ value, label: t.widget.positions[value] }))} value={position} onChange={setPosition} />
        </FormLayout.Group>
        <TextField label={t.widget.launcherLabel} name="launcherLabel" value={launcherLabel} onChange={setLauncherLabel} autoComplete="off" maxLength={40} helpText={t.widget.launcherLabelHelp} error={fieldError(answer, "widget", "launcherLabel")} />
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            {t.widget.hiddenPages}
          </Text>
          <HiddenList name="hiddenPageTypes" values={hidden} />
          <InlineStack gap="400">
            {WIDGET_PAGE_TYPES.map((type) => (
              <Checkbox key={type} label={t.widget.pageTypes[type]} checked={hidden.includes(type)} onChange={(on) => setHidden((current) => toggle(current, type, on))} />
            ))}
          </InlineStack>
        </BlockStack>
      </FormLayout>
    </SettingsSection>
  );
}
