import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Layout, Link, Page, ProgressBar, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { conversationCounts } from "../conversations/inbox.server";
import { setupChecklist } from "../onboarding/onboarding.server";
import { requireAdminShop } from "../admin/require-admin-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin } = await requireAdminShop(request);
  const [{ embed, klaviyo, delivery }, conversations] = await Promise.all([setupChecklist(shop, admin), conversationCounts(shop.id)]);
  return {
    embed,
    klaviyo: { state: klaviyo.state, accountName: klaviyo.accountName ?? klaviyo.accountId, statusDetail: klaviyo.statusDetail },
    delivery: { counts: delivery.counts, oldestPendingAgeSeconds: delivery.oldestPendingAgeSeconds },
    conversations: { escalated: conversations.escalated ?? 0, open: conversations.open ?? 0, resolved: conversations.resolved ?? 0 },
  };
};

type StepState = "done" | "todo" | "attention" | "unknown";

const STEP_BADGES: Record<StepState, ReactNode> = {
  done: <Badge tone="success">Done</Badge>,
  todo: <Badge tone="attention">To do</Badge>,
  attention: <Badge tone="critical">Needs attention</Badge>,
  unknown: <Badge>Not checked</Badge>,
};

function Step({ state, title, children }: { state: StepState; title: string; children: ReactNode }) {
  return (
    <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
          {STEP_BADGES[state]}
        </InlineStack>
        {children}
      </BlockStack>
    </Box>
  );
}

export default function Home() {
  const { embed, klaviyo, delivery, conversations } = useLoaderData<typeof loader>();
  const { counts } = delivery;
  const steps: Record<"embed" | "klaviyo" | "events", StepState> = {
    embed: embed.state === "on" ? "done" : embed.state === "off" ? "todo" : "unknown",
    klaviyo: klaviyo.state === "connected" ? "done" : klaviyo.state === "needs_attention" ? "attention" : "todo",
    events: counts.failed > 0 ? "attention" : counts.delivered > 0 ? "done" : "todo",
  };
  const done = Object.values(steps).filter((state) => state === "done").length;
  // One primary action on the page: the first step still to do.
  const nextStep = (["embed", "klaviyo", "events"] as const).find((step) => steps[step] !== "done");
  const variant = (step: keyof typeof steps) => (step === nextStep ? "primary" : "secondary");

  return (
    <Page title="Customer Agent">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Set up
                  </Text>
                  <Text as="span" tone="subdued">
                    {done} of 3 done
                  </Text>
                </InlineStack>
                <ProgressBar progress={(done / 3) * 100} size="small" tone="primary" />
              </BlockStack>
              <Step state={steps.embed} title="1. Switch on the chat in your theme">
                <Text as="p">
                  {embed.state === "on"
                    ? "The chat widget app embed is on in your live theme: shoppers can chat with the agent."
                    : embed.state === "off"
                      ? "Shoppers see the chat once the Customer Agent app embed is on in your live theme."
                      : "The app could not read your live theme's settings. Open the theme editor to check that the Customer Agent app embed is on."}
                </Text>
                <InlineStack>
                  <Button url={embed.activationUrl} target="_top" variant={variant("embed")}>
                    {embed.state === "on" ? "Open theme editor" : "Switch on in theme editor"}
                  </Button>
                </InlineStack>
              </Step>
              <Step state={steps.klaviyo} title="2. Connect Klaviyo">
                <Text as="p">
                  {klaviyo.state === "connected"
                    ? `Connected to ${klaviyo.accountName}. Conversation events flow to Klaviyo for your flows and segments.`
                    : klaviyo.state === "needs_attention"
                      ? `${klaviyo.statusDetail} Events are kept until you reconnect.`
                      : "Connect your Klaviyo account to send conversation events you can build flows and segments on."}
                </Text>
                <InlineStack>
                  <Button url="/app/klaviyo" variant={variant("klaviyo")}>
                    {klaviyo.state === "connected" ? "Manage connection" : klaviyo.state === "needs_attention" ? "Reconnect Klaviyo" : "Connect Klaviyo"}
                  </Button>
                </InlineStack>
              </Step>
              <Step state={steps.events} title="3. See events arrive in Klaviyo">
                <Text as="p">
                  {counts.failed > 0
                    ? `Klaviyo refused ${counts.failed} event${counts.failed === 1 ? "" : "s"}: the delivery log shows why, and lets you retry.`
                    : counts.delivered > 0
                      ? `${counts.delivered} event${counts.delivered === 1 ? "" : "s"} delivered to Klaviyo.`
                      : "Start a chat on your storefront: its events show up in the delivery log, then in Klaviyo."}
                </Text>
                <InlineStack>
                  <Button url="/app/events" variant={variant("events")}>
                    Open the event delivery log
                  </Button>
                </InlineStack>
              </Step>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Conversations
                </Text>
                <Text as="p">{conversations.escalated} waiting for a person</Text>
                <Text as="p" tone="subdued">
                  {conversations.open} open, {conversations.resolved} resolved
                </Text>
                <Link url={conversations.escalated ? "/app/conversations?status=escalated" : "/app/conversations"}>Open the inbox</Link>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Klaviyo events
                </Text>
                <Text as="p">
                  {counts.delivered} delivered, {counts.pending} pending, {counts.failed} failed
                </Text>
                {delivery.oldestPendingAgeSeconds !== null && delivery.oldestPendingAgeSeconds >= 60 ? (
                  <Text as="p" tone="subdued">
                    The oldest pending event has waited {Math.round(delivery.oldestPendingAgeSeconds / 60)} min.
                  </Text>
                ) : null}
                <Link url="/app/events">See event delivery</Link>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
