import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { requireAdminShop } from "../admin/require-admin-shop.server";
import { ReplyWindowClosedError, ShopperOptedOutError } from "../channels/channel";
import { addStaffReply, classifyConversation, closeConversation } from "../conversations/conversations.server";
import { ConversationNotFoundError, MAX_MESSAGE_LENGTH } from "../conversations/shopper-messages.server";
import { conversationThread, shopperLabel } from "../conversations/inbox.server";
import { StatusBadge } from "../conversations/StatusBadge";

const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reply"), body: z.string().trim().min(1, "Write a reply first").max(MAX_MESSAGE_LENGTH) }),
  z.object({ intent: z.literal("close") }),
  z.object({
    intent: z.literal("classify"),
    skill: z.string().trim().max(60).transform((value) => value || null),
    tags: z.string().max(500).transform((value) => value.split(",").map((tag) => tag.trim()).filter(Boolean)),
  }),
]);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const thread = await conversationThread(shop.id, params.conversationId!);
  if (!thread) throw new Response("Conversation not found", { status: 404 });
  return {
    id: thread.id,
    shopper: shopperLabel(thread.shopper),
    identifiers: {
      email: thread.shopper.email,
      phone: thread.shopper.phone,
      customerId: thread.shopper.shopifyCustomerId,
    },
    status: thread.status,
    channel: thread.channel,
    emailSubject: thread.emailThreadMessages[0]?.subject || null,
    skill: thread.skill,
    tags: thread.tags,
    escalationReason: thread.escalationReason,
    messages: thread.messages.map((message) => ({ id: message.id, author: message.author, body: message.body, at: message.createdAt.toISOString() })),
    events: thread.klaviyoEvents.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })),
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const parsed = intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: parsed.error.issues.map((issue) => issue.message).join("; ") };
  const conversationId = params.conversationId!;
  try {
    switch (parsed.data.intent) {
      case "reply":
        await addStaffReply(shop.id, conversationId, parsed.data.body);
        return { error: null, done: "Reply sent" };
      case "close":
        await closeConversation({ shopId: shop.id, conversationId });
        return { error: null, done: "Conversation closed" };
      case "classify":
        await classifyConversation({ shopId: shop.id, conversationId, skill: parsed.data.skill, tags: parsed.data.tags });
        return { error: null, done: "Saved" };
    }
  } catch (error) {
    if (error instanceof ConversationNotFoundError) throw new Response("Conversation not found", { status: 404 });
    // The channel cannot carry this reply (WhatsApp's 24-hour window, an opted-out shopper): say so, store nothing.
    if (error instanceof ReplyWindowClosedError || error instanceof ShopperOptedOutError) return { error: error.message };
    throw error;
  }
};

const AUTHOR_LABEL = { shopper: "Shopper", agent: "Agent", staff: "You", system: "Notice" } as const;

export default function ConversationThread() {
  const conversation = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [reply, setReply] = useState("");
  const [skill, setSkill] = useState(conversation.skill ?? "");
  const [tags, setTags] = useState(conversation.tags.join(", "));
  const busy = navigation.state !== "idle";

  return (
    <Page
      title={conversation.shopper}
      titleMetadata={<StatusBadge status={conversation.status} />}
      {...(conversation.emailSubject ? { subtitle: conversation.emailSubject } : {})}
      backAction={{ content: "Conversations", url: "/app/conversations" }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.error ? <Banner tone="critical">{result.error}</Banner> : null}
            {conversation.status === "escalated" ? (
              <Banner tone="warning" title="This shopper is waiting for a person">
                Reason: {conversation.escalationReason}. Reply below; the shopper sees it in the chat.
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                {conversation.messages.map((message) => (
                  <Box
                    key={message.id}
                    padding="300"
                    borderRadius="200"
                    background={message.author === "shopper" ? "bg-surface-secondary" : "bg-surface-info"}
                  >
                    <BlockStack gap="100">
                      <Text as="span" variant="bodySm" tone="subdued">
                        {AUTHOR_LABEL[message.author]} · {new Date(message.at).toLocaleString()}
                      </Text>
                      <Text as="p">{message.body}</Text>
                    </BlockStack>
                  </Box>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <Form method="post" onSubmit={() => setReply("")}>
                <BlockStack gap="300">
                  <input type="hidden" name="intent" value="reply" />
                  <TextField label="Reply" name="body" value={reply} onChange={setReply} multiline={3} autoComplete="off" />
                  <InlineStack gap="200" align="end">
                    <Button submit variant="primary" loading={busy}>
                      Send reply
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Shopper
                </Text>
                <Text as="p">Email: {conversation.identifiers.email ?? "—"}</Text>
                <Text as="p">Phone: {conversation.identifiers.phone ?? "—"}</Text>
                <Text as="p">Customer: {conversation.identifiers.customerId ?? "not logged in"}</Text>
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <input type="hidden" name="intent" value="classify" />
                  <TextField label="Skill" name="skill" value={skill} onChange={setSkill} autoComplete="off" helpText="e.g. returns, sizing, order status" />
                  <TextField label="Tags" name="tags" value={tags} onChange={setTags} autoComplete="off" helpText="Comma-separated; sent to Klaviyo with resolution and escalation" />
                  <Button submit loading={busy}>
                    Save
                  </Button>
                </BlockStack>
              </Form>
            </Card>
            {conversation.status === "open" || conversation.status === "escalated" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="close" />
                <Button submit variant="primary" fullWidth loading={busy}>
                  Close conversation
                </Button>
              </Form>
            ) : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Sent to Klaviyo
                </Text>
                {conversation.events.length === 0 ? <Text as="p" tone="subdued">Nothing yet</Text> : null}
                {conversation.events.map((event) => (
                  <Text as="p" key={event.id}>
                    {event.metric} — {event.status}
                  </Text>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
