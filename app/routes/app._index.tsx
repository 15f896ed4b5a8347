import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { conversationCounts } from "../conversations/inbox.server";
import { setupChecklist } from "../onboarding/onboarding.server";
import { authenticate } from "../shopify.server";
import { requireShop } from "../shops/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const shop = await requireShop(session.shop);
  const [checklist, conversations] = await Promise.all([setupChecklist(shop, admin), conversationCounts(shop.id)]);
  return { checklist, conversations };
};

function Step({ done, title, children }: { done: boolean | null; title: string; children: React.ReactNode }) {
  return (
    <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
          {done === null ? <Badge>Unknown</Badge> : done ? <Badge tone="success">Done</Badge> : <Badge tone="attention">To do</Badge>}
        </InlineStack>
        {children}
      </BlockStack>
    </Box>
  );
}

export default function Home() {
  const { checklist, conversations } = useLoaderData<typeof loader>();
  const { embed, klaviyo, delivery } = checklist;
  const waiting = conversations.escalated ?? 0;

  return (
    <Page title="Customer Agent">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                Set up
              </Text>
              <Step done={embed.state === "unknown" ? null : embed.state === "on"} title="1. Switch on the chat in your theme">
                <Text as="p">The chat appears on your storefront once the Customer Agent app embed is on in your live theme.</Text>
                <InlineStack>
                  <Button url={embed.activationUrl} target="_top">
                    {embed.state === "on" ? "Open theme editor" : "Switch on in theme editor"}
                  </Button>
                </InlineStack>
              </Step>
              <Step done={klaviyo.state === "connected"} title="2. Connect Klaviyo">
                <Text as="p">
                  {klaviyo.state === "connected"
                    ? `Connected to ${klaviyo.accountName ?? klaviyo.accountId}. Conversation events flow to Klaviyo.`
                    : klaviyo.state === "needs_attention"
                      ? klaviyo.statusDetail
                      : "Send conversation events to Klaviyo to build flows and segments on them."}
                </Text>
                <InlineStack>
                  <Link to="/app/klaviyo">{klaviyo.state === "connected" ? "Manage connection" : "Connect Klaviyo"}</Link>
                </InlineStack>
              </Step>
              <Step done={delivery.counts.delivered > 0} title="3. See events arrive">
                <Text as="p">
                  {delivery.counts.delivered} delivered, {delivery.counts.pending} waiting, {delivery.counts.failed} failed.
                </Text>
                <InlineStack>
                  <Link to="/app/events">Open the event delivery log</Link>
                </InlineStack>
              </Step>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Conversations
              </Text>
              <List>
                <List.Item>{waiting} waiting for a person</List.Item>
                <List.Item>{conversations.open ?? 0} open</List.Item>
                <List.Item>{conversations.resolved ?? 0} resolved</List.Item>
              </List>
              <Link to={waiting ? "/app/conversations?status=escalated" : "/app/conversations"}>Open the inbox</Link>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
