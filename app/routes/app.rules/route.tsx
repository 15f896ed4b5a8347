import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, EmptyState, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { en } from "../../admin/strings/en";
import type { RuleMatchReason } from "../../agent/rules";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import { fieldError, type SectionResult } from "../../components/SettingsSection";
import { MAX_ESCALATION_RULES } from "../../settings/sections";
import { RuleEditor } from "./RuleEditor";
import { RuleRow } from "./RuleRow";
import { rulesFor, submitRules } from "./rules.server";

const t = en.rules;

export const meta: MetaFunction = () => [{ title: en.rules.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return { rules: await rulesFor(shop.id), currencyCode: shop.currencyCode };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const result = await submitRules(shop.id, await request.formData());
  return data(result, { status: result.ok ? 200 : 400 });
};

function why(reason: RuleMatchReason): string {
  switch (reason.kind) {
    case "phrases":
      return t.test.reasons.phrases(reason.phrase);
    case "intents":
      return t.test.reasons.intents(reason.intents.map((intent) => (t.intentNames as Record<string, string>)[intent] ?? intent));
    case "negative-sentiment":
      return t.test.reasons["negative-sentiment"](reason.sentiment, reason.threshold);
    case "other":
      return t.test.reasons.other;
  }
}

function PhraseTester({ result }: { result: ReturnType<typeof useActionData<typeof action>> }) {
  const [phrase, setPhrase] = useState("");
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "test";
  const answer = result?.section === "test" ? result : undefined;
  return (
    <Card>
      <Form method="post" aria-label={t.test.heading}>
        <input type="hidden" name="intent" value="test" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t.test.heading}
          </Text>
          <Text as="p" tone="subdued">
            {t.test.help}
          </Text>
          <FormLayout>
            <TextField label={t.test.phrase} name="phrase" value={phrase} onChange={setPhrase} autoComplete="off" multiline={2} error={fieldError(answer as SectionResult | undefined, "test", "phrase")} />
          </FormLayout>
          <Button submit loading={busy}>
            {t.test.submit}
          </Button>
          {answer?.ok && "match" in answer ? (
            <div role="status">
              {answer.match ? (
                <Banner tone="warning" title={t.test.fires(answer.match.name, answer.match.position)}>
                  {t.test.why(why(answer.match.reason))}
                </Banner>
              ) : (
                <Banner tone="info">{t.test.none}</Banner>
              )}
            </div>
          ) : null}
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function Rules() {
  const { rules, currencyCode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sectionResult = result as SectionResult | undefined;
  const full = rules.length >= MAX_ESCALATION_RULES;
  const listResult = result?.section === "list" ? result : undefined;
  return (
    <Page title={t.title} subtitle={t.subtitle}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {listResult && !listResult.ok ? <Banner tone="critical">{Object.values(listResult.fieldErrors).flat().join(" ")}</Banner> : null}
            {listResult?.ok && "message" in listResult ? <Banner tone="success">{listResult.message}</Banner> : null}
            {result?.section === "new" && result.ok && "message" in result ? <Banner tone="success">{result.message}</Banner> : null}
            <Card>
              {rules.length === 0 ? (
                <EmptyState heading={t.title} image="">
                  <p>{t.empty}</p>
                </EmptyState>
              ) : (
                <BlockStack as="ol" gap="200">
                  {rules.map((rule, index) => (
                    <RuleRow key={rule.id} rule={rule} index={index} count={rules.length} currencyCode={currencyCode} result={sectionResult} />
                  ))}
                </BlockStack>
              )}
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t.add}
                </Text>
                {full ? <Banner tone="info">{t.limit(MAX_ESCALATION_RULES)}</Banner> : <RuleEditor key={rules.length} rule={null} section="new" result={sectionResult} />}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <PhraseTester result={result} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBanner title={en.rules.title} />;
}
