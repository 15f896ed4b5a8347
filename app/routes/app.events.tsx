import type { KlaviyoEventStatus } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Tabs, Text, useIndexResourceState } from "@shopify/polaris";
import { z } from "zod";
import { connectionStatus } from "../klaviyo/connection.server";
import { deliverySummary, listDeliveryLog, retryFailedEvents } from "../klaviyo/outbox.server";
import { authenticate } from "../shopify.server";
import { requireShop } from "../shops/shops.server";

const STATUS_TABS: Array<{ id: string; label: string; status?: KlaviyoEventStatus }> = [
  { id: "all", label: "All" },
  { id: "failed", label: "Failed", status: "failed" },
  { id: "pending", label: "Waiting", status: "pending" },
  { id: "delivered", label: "Delivered", status: "delivered" },
];

const query = z.object({ status: z.enum(["pending", "delivered", "failed"]).optional(), cursor: z.uuid().optional() });
const retryInput = z.object({ eventIds: z.string().optional() });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireShop(session.shop);
  const filters = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [log, summary, klaviyo] = await Promise.all([listDeliveryLog(shop.id, filters), deliverySummary(shop.id), connectionStatus(shop.id)]);
  return {
    summary: { counts: summary.counts, oldestPendingSince: summary.oldestPendingSince?.toISOString() ?? null },
    klaviyo: { state: klaviyo.state, statusDetail: klaviyo.statusDetail },
    nextCursor: log.nextCursor,
    events: log.events.map((event) => ({
      ...event,
      occurredAt: event.occurredAt.toISOString(),
      deliveredAt: event.deliveredAt?.toISOString() ?? null,
      nextAttemptAt: event.nextAttemptAt.toISOString(),
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireShop(session.shop);
  const { eventIds } = retryInput.parse(Object.fromEntries(await request.formData()));
  const ids = eventIds ? eventIds.split(",").filter(Boolean) : undefined;
  const retried = await retryFailedEvents(shop.id, ids);
  return { retried };
};

const STATUS_BADGE = {
  pending: <Badge tone="attention">Waiting</Badge>,
  delivered: <Badge tone="success">Delivered</Badge>,
  failed: <Badge tone="critical">Failed</Badge>,
};

export default function EventDeliveryLog() {
  const { events, summary, klaviyo, nextCursor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params, setParams] = useSearchParams();
  const failedEvents = events.filter((event) => event.status === "failed");
  const { selectedResources, allResourcesSelected, handleSelectionChange } = useIndexResourceState(failedEvents);
  const selected = Math.max(0, STATUS_TABS.findIndex((tab) => tab.status === (params.get("status") ?? undefined)));
  const busy = navigation.state !== "idle";

  return (
    <Page title="Event delivery" subtitle="Every conversation event sent to Klaviyo, newest first" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result ? <Banner tone="success">{result.retried} event{result.retried === 1 ? "" : "s"} queued again.</Banner> : null}
            {klaviyo.state === "none" ? (
              <Banner tone="info">Klaviyo is not connected yet: events wait here and are sent once you connect it.</Banner>
            ) : null}
            {klaviyo.state === "needs_attention" ? <Banner tone="critical">{klaviyo.statusDetail}</Banner> : null}
            {summary.counts.failed > 0 ? (
              <Banner tone="warning" title={`${summary.counts.failed} event${summary.counts.failed === 1 ? "" : "s"} failed`}>
                Klaviyo refused these events; its reason is shown in each row. Fix the cause, then retry them.
                <Form method="post">
                  <Button submit loading={busy}>
                    Retry all failed
                  </Button>
                </Form>
              </Banner>
            ) : null}
            <Card padding="0">
              <Tabs
                tabs={STATUS_TABS.map((tab) => ({
                  id: tab.id,
                  content: tab.label,
                  badge: tab.status ? String(summary.counts[tab.status]) : undefined,
                }))}
                selected={selected}
                onSelect={(index) => setParams(STATUS_TABS[index]?.status ? { status: STATUS_TABS[index]!.status! } : {})}
              />
              <IndexTable
                resourceName={{ singular: "event", plural: "events" }}
                itemCount={events.length}
                selectable={failedEvents.length > 0}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                promotedBulkActions={[
                  {
                    content: "Retry selected",
                    onAction: () => {
                      const form = document.getElementById("retry-selected") as HTMLFormElement | null;
                      form?.requestSubmit();
                    },
                  },
                ]}
                headings={[{ title: "Event" }, { title: "Status" }, { title: "Happened" }, { title: "Attempts" }, { title: "Details" }]}
                pagination={{ hasNext: Boolean(nextCursor), onNext: () => setParams({ ...Object.fromEntries(params), cursor: nextCursor! }) }}
                emptyState={<Text as="p" alignment="center">No events yet.</Text>}
              >
                {events.map((event, index) => (
                  <IndexTable.Row id={event.id} key={event.id} position={index} selected={selectedResources.includes(event.id)} disabled={event.status !== "failed"}>
                    <IndexTable.Cell>
                      <BlockStack>
                        <Text as="span" fontWeight="semibold">
                          {event.metric}
                        </Text>
                        <Text as="span" variant="bodySm" tone="subdued">
                          {event.conversationId ? `Conversation ${event.conversationId.slice(0, 8)}` : ""}
                        </Text>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{STATUS_BADGE[event.status]}</IndexTable.Cell>
                    <IndexTable.Cell>{new Date(event.occurredAt).toLocaleString()}</IndexTable.Cell>
                    <IndexTable.Cell>{event.attempts}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" tone={event.status === "failed" ? "critical" : "subdued"}>
                        {event.status === "delivered"
                          ? `Delivered ${new Date(event.deliveredAt!).toLocaleString()}`
                          : event.lastError
                            ? `${event.lastStatusCode ? `${event.lastStatusCode}: ` : ""}${event.lastError}`
                            : "Queued"}
                      </Text>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
              <Form method="post" id="retry-selected">
                <input type="hidden" name="eventIds" value={selectedResources.join(",")} />
              </Form>
            </Card>
            <InlineStack>
              <Text as="p" tone="subdued">
                {summary.oldestPendingSince ? `Oldest waiting event since ${new Date(summary.oldestPendingSince).toLocaleString()}.` : "Nothing is waiting."}
              </Text>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
