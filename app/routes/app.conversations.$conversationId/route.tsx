import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Link, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { en } from "../../admin/strings/en";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import { ConversationStatusBadge } from "../../components/ConversationStatusBadge";
import { loadConversationPage, runConversationAction } from "./conversation.server";
import { Transcript } from "./Transcript";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.shopper} · ${en.conversations.title}` : en.conversations.title }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return loadConversationPage(shop.id, params.conversationId!);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return runConversationAction(shop.id, params.conversationId!, await request.formData());
};

export default function ConversationPage() {
  const conversation = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const text = en.conversation;
  const [reply, setReply] = useState("");
  const [skill, setSkill] = useState(conversation.skill ?? "");
  const [tags, setTags] = useState(conversation.tags.join(", "));
  const pending = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const active = conversation.status === "open" || conversation.status === "escalated";

  // The typed reply is cleared only once it was sent: a refused reply stays in the box to send again.
  useEffect(() => {
    if (result?.intent === "reply" && !result.error) setReply("");
  }, [result]);

  return (
    <Page
      title={conversation.shopper}
      titleMetadata={<ConversationStatusBadge status={conversation.status} />}
      subtitle={conversation.emailSubject ? `${en.channels[conversation.channel]}: ${conversation.emailSubject}` : en.channels[conversation.channel]}
      backAction={{ content: text.back, url: "/app/conversations" }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.error ? (
              <Banner tone="critical" title={result.intent === "reply" ? text.replyFailedTitle : undefined}>
                <p>{result.error}</p>
              </Banner>
            ) : null}
            {result?.done ? (
              <Banner tone="success">
                <p>{result.done}</p>
              </Banner>
            ) : null}
            {conversation.status === "escalated" ? (
              <Banner tone="warning" title={text.waitingTitle}>
                <p>{text.waitingBody(conversation.escalationReason ?? "")}</p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  {text.transcript}
                </Text>
                <Transcript messages={conversation.messages} now={conversation.now} />
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <input type="hidden" name="intent" value="reply" />
                  <TextField label={text.reply} name="body" value={reply} onChange={setReply} multiline={3} autoComplete="off" helpText={text.replyHelp} />
                  <InlineStack gap="200" align="end">
                    <Button submit variant="primary" loading={pending === "reply"}>
                      {text.sendReply}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {active ? (
              <Card>
                <BlockStack gap="200">
                  {conversation.status === "open" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="resolve" />
                      <BlockStack gap="100">
                        <Button submit fullWidth loading={pending === "resolve"}>
                          {text.resolve}
                        </Button>
                        <Text as="p" variant="bodySm" tone="subdued">
                          {text.resolveHelp}
                        </Text>
                      </BlockStack>
                    </Form>
                  ) : null}
                  <Form method="post">
                    <input type="hidden" name="intent" value="close" />
                    <Button submit variant="primary" fullWidth loading={pending === "close"}>
                      {text.close}
                    </Button>
                  </Form>
                </BlockStack>
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  {text.shopper}
                </Text>
                <Text as="p">
                  {text.email}: {conversation.identifiers.email ?? "—"}
                </Text>
                <Text as="p">
                  {text.phone}: {conversation.identifiers.phone ?? "—"}
                </Text>
                <Text as="p">
                  {text.customer}: {conversation.identifiers.customerId ?? text.notLoggedIn}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingSm">
                    {text.classify}
                  </Text>
                  <input type="hidden" name="intent" value="classify" />
                  <TextField label={text.skill} name="skill" value={skill} onChange={setSkill} autoComplete="off" helpText={text.skillHelp} />
                  <TextField label={text.tags} name="tags" value={tags} onChange={setTags} autoComplete="off" helpText={text.tagsHelp} />
                  <Button submit loading={pending === "classify"}>
                    {text.save}
                  </Button>
                </BlockStack>
              </Form>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  {text.klaviyo}
                </Text>
                {conversation.events.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {text.nothingYet}
                  </Text>
                ) : null}
                {conversation.events.map((event) => (
                  <Text as="p" key={event.id}>
                    {event.metric} — {en.events.statuses[event.status]}
                  </Text>
                ))}
                {conversation.events.length ? <Link url={`/app/events?conversationId=${conversation.id}`}>{text.eventLog}</Link> : null}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBanner title={en.conversations.title} />;
}
