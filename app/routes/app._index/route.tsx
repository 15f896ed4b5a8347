import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Layout, Link, Page, ProgressBar, Text } from "@shopify/polaris";
import { en } from "../../admin/strings/en";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import { dailyFigures } from "../../conversations/daily-figures.server";
import { conversationCounts } from "../../conversations/inbox.server";
import { setupChecklist } from "../../onboarding/onboarding.server";
import { Step, TodayCard, type StepState } from "./HomeCards";

const STEPS = ["embed", "klaviyo", "events", "segments", "conversation"] as const;

export const meta: MetaFunction = () => [{ title: en.home.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin } = await requireAdminShop(request);
  const [{ embed, klaviyo, delivery, klaviyoSetup, conversations: conversationTotal }, conversations, today] = await Promise.all([
    setupChecklist(shop, admin),
    conversationCounts(shop.id),
    dailyFigures(shop.id),
  ]);
  return {
    embed,
    klaviyoSetup,
    conversationTotal,
    today,
    klaviyo: { state: klaviyo.state, accountName: klaviyo.accountName ?? klaviyo.accountId, statusDetail: klaviyo.statusDetail },
    delivery: { counts: delivery.counts, oldestPendingAgeSeconds: delivery.oldestPendingAgeSeconds },
    conversations: { escalated: conversations.escalated ?? 0, open: conversations.open ?? 0, resolved: conversations.resolved ?? 0 },
  };
};

export default function Home() {
  const { embed, klaviyo, delivery, conversations, klaviyoSetup, conversationTotal, today } = useLoaderData<typeof loader>();
  const { counts } = delivery;
  const t = en.home;
  const steps: Record<(typeof STEPS)[number], StepState> = {
    embed: embed.state === "on" ? "done" : embed.state === "off" ? "todo" : "unknown",
    klaviyo: klaviyo.state === "connected" ? "done" : klaviyo.state === "needs_attention" ? "attention" : "todo",
    events: counts.failed > 0 ? "attention" : counts.delivered > 0 ? "done" : "todo",
    segments: klaviyoSetup.created === klaviyoSetup.total ? "done" : "todo",
    conversation: conversationTotal > 0 ? "done" : "todo",
  };
  const done = Object.values(steps).filter((state) => state === "done").length;
  // One primary action on the page: the first step still to do.
  const nextStep = STEPS.find((step) => steps[step] !== "done");
  const variant = (step: keyof typeof steps) => (step === nextStep ? "primary" : "secondary");

  return (
    <Page title={t.title}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t.setUp}
                  </Text>
                  <Text as="span" tone="subdued">
                    {t.progress(done, STEPS.length)}
                  </Text>
                </InlineStack>
                <ProgressBar progress={(done / STEPS.length) * 100} size="small" tone="primary" />
              </BlockStack>
              <Step state={steps.embed} title={t.embedStep}>
                <Text as="p">
                  {embed.state === "on" ? t.embedOn : embed.state === "off" ? t.embedOff : t.embedUnknown}
                </Text>
                <InlineStack>
                  <Button url={embed.activationUrl} target="_top" variant={variant("embed")}>
                    {embed.state === "on" ? t.embedButtonOn : t.embedButtonOff}
                  </Button>
                </InlineStack>
              </Step>
              <Step state={steps.klaviyo} title={t.klaviyoStep}>
                <Text as="p">
                  {klaviyo.state === "connected"
                    ? t.klaviyoConnected(klaviyo.accountName ?? "")
                    : klaviyo.state === "needs_attention"
                      ? t.klaviyoAttention(klaviyo.statusDetail ?? "")
                      : t.klaviyoTodo}
                </Text>
                <InlineStack>
                  <Button url="/app/klaviyo" variant={variant("klaviyo")}>
                    {klaviyo.state === "connected" ? t.klaviyoButton.connected : klaviyo.state === "needs_attention" ? t.klaviyoButton.attention : t.klaviyoButton.todo}
                  </Button>
                </InlineStack>
              </Step>
              <Step state={steps.events} title={t.eventsStep}>
                <Text as="p">
                  {counts.failed > 0 ? t.eventsFailed(counts.failed) : counts.delivered > 0 ? t.eventsDelivered(counts.delivered) : t.eventsTodo}
                </Text>
                <InlineStack>
                  <Button url="/app/events" variant={variant("events")}>
                    {t.eventsButton}
                  </Button>
                </InlineStack>
              </Step>
              <Step state={steps.segments} title={t.segmentsStep}>
                <Text as="p">{steps.segments === "done" ? t.segmentsDone(klaviyoSetup.created) : t.segmentsTodo}</Text>
                <InlineStack>
                  <Button url="/app/klaviyo" variant={variant("segments")}>
                    {t.segmentsButton}
                  </Button>
                </InlineStack>
              </Step>
              <Step state={steps.conversation} title={t.conversationStep}>
                <Text as="p">{conversationTotal > 0 ? t.conversationDone(conversationTotal) : t.conversationTodo}</Text>
                <InlineStack>
                  <Button url="/app/conversations" variant={variant("conversation")}>
                    {t.conversationButton}
                  </Button>
                </InlineStack>
              </Step>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <TodayCard today={today} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t.conversationsCard}
                </Text>
                <Text as="p">{t.waiting(conversations.escalated)}</Text>
                <Text as="p" tone="subdued">
                  {t.openResolved(conversations.open, conversations.resolved)}
                </Text>
                <Link url={conversations.escalated ? "/app/conversations?status=escalated" : "/app/conversations"}>{t.openInbox}</Link>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t.eventsCard}
                </Text>
                <Text as="p">{t.eventCounts(counts.delivered, counts.pending, counts.failed)}</Text>
                {delivery.oldestPendingAgeSeconds !== null && delivery.oldestPendingAgeSeconds >= 60 ? (
                  <Text as="p" tone="subdued">
                    {t.oldestPending(Math.round(delivery.oldestPendingAgeSeconds / 60))}
                  </Text>
                ) : null}
                <Link url="/app/events">{t.seeEvents}</Link>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBanner title={en.home.title} />;
}
