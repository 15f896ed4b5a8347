import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Collapsible, EmptyState, InlineStack, Layout, Link, Page, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { en } from "../../admin/strings/en";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import type { SectionResult } from "../../components/SettingsSection";
import { FaqEditor } from "./FaqEditor";
import { FaqRow } from "./FaqRow";
import { knowledgeFor, submitKnowledge } from "./knowledge.server";

const t = en.knowledge;

export const meta: MetaFunction = () => [{ title: en.knowledge.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return knowledgeFor(shop.id);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const result = await submitKnowledge(shop, await request.formData());
  // A refused form is the merchant's to fix (400); a sync Shopify did not answer is not (503).
  return data(result, { status: result.ok ? 200 : result.section === "policies" ? 503 : 400 });
};

/** Case and accents ignored, so "retour" finds "Retour". */
function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function formatTime(iso: string): string {
  return new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
}

function Policies({ policies, result }: { policies: ReturnType<typeof useLoaderData<typeof loader>>["policies"]; result: SectionResult | undefined }) {
  const [open, setOpen] = useState<string | null>(null);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "resync";
  const mine = result?.section === "policies" ? result : undefined;
  const lastSync = policies.reduce<string | null>((latest, policy) => (!latest || policy.syncedAt > latest ? policy.syncedAt : latest), null);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t.policies}
            </Text>
            <Text as="p" tone="subdued">
              {t.lastSync(lastSync ? formatTime(lastSync) : en.common.never)}
            </Text>
          </BlockStack>
          <Form method="post">
            <input type="hidden" name="intent" value="resync" />
            <Button submit loading={busy}>
              {t.resync}
            </Button>
          </Form>
        </InlineStack>
        <Text as="p" tone="subdued">
          {t.policiesHelp}
        </Text>
        {mine ? <Banner tone={mine.ok ? "success" : "critical"}>{mine.ok ? mine.message : mine.fieldErrors.form?.join(" ")}</Banner> : null}
        {policies.length === 0 ? (
          <Text as="p">{t.noPolicies}</Text>
        ) : (
          <BlockStack as="ul" gap="200">
            {policies.map((policy) => (
              <Box as="li" key={policy.id} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center" gap="200">
                    <Button variant="plain" onClick={() => setOpen(open === policy.id ? null : policy.id)} ariaExpanded={open === policy.id} ariaControls={`policy-${policy.id}`}>
                      {policy.title}
                    </Button>
                    {policy.url ? (
                      <Link url={policy.url} target="_blank">
                        {t.viewOnStore}
                      </Link>
                    ) : null}
                  </InlineStack>
                  <Collapsible id={`policy-${policy.id}`} open={open === policy.id}>
                    <Text as="p" tone="subdued">
                      <span style={{ whiteSpace: "pre-line" }}>{policy.body}</span>
                    </Text>
                  </Collapsible>
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Knowledge() {
  const { policies, faq } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as SectionResult | undefined;
  const [query, setQuery] = useState("");
  const shown = useMemo(() => {
    const needle = fold(query.trim());
    return needle ? faq.filter((entry) => fold(`${entry.question} ${entry.answer}`).includes(needle)) : faq;
  }, [faq, query]);
  // Deletions and additions are confirmed above the list, where the change shows.
  const faqMessage = (result?.section === "faq" || result?.section === "new-faq") && result.ok ? result.message : null;
  return (
    <Page title={t.title} subtitle={t.subtitle}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t.faq}
                </Text>
                <Text as="p" tone="subdued">
                  {t.faqHelp}
                </Text>
                {faqMessage ? <Banner tone="success">{faqMessage}</Banner> : null}
                {faq.length === 0 ? (
                  <EmptyState heading={t.faq} image="">
                    <p>{t.noFaq}</p>
                  </EmptyState>
                ) : (
                  <>
                    <TextField label={t.search} value={query} onChange={setQuery} autoComplete="off" clearButton onClearButtonClick={() => setQuery("")} />
                    {shown.length === 0 ? (
                      <Text as="p" tone="subdued">
                        {t.noMatches(query)}
                      </Text>
                    ) : (
                      <BlockStack as="ul" gap="200">
                        {shown.map((entry) => (
                          <FaqRow key={entry.id} entry={entry} result={result} />
                        ))}
                      </BlockStack>
                    )}
                  </>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t.addFaq}
                </Text>
                <FaqEditor key={faq.length} entry={null} section="new-faq" result={result} />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Policies policies={policies} result={result} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBanner title={en.knowledge.title} />;
}
