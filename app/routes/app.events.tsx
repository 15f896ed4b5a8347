import type { KlaviyoEventStatus } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, IndexTable, InlineGrid, Link, Page, Tabs, Text, useIndexResourceState } from "@shopify/polaris";
import { z } from "zod";
import { requireAdminShop } from "../admin/require-admin-shop.server";
import { connectionStatus } from "../klaviyo/connection.server";
import { deliverySummary, listDeliveryLog, retryFailedEvents } from "../klaviyo/outbox.server";

const STATUS_TABS: Array<{ id: string; label: string; status?: KlaviyoEventStatus }> = [
  { id: "all", label: "All" },
  { id: "pending", label: "Pending", status: "pending" },
  { id: "delivered", label: "Delivered", status: "delivered" },
  { id: "failed", label: "Failed", status: "failed" },
];

const STATUS_BADGES: Record<KlaviyoEventStatus, { tone: "info" | "success" | "critical"; label: string }> = {
  pending: { tone: "info", label: "Pending" },
  delivered: { tone: "success", label: "Delivered" },
  failed: { tone: "critical", label: "Failed" },
};

// A hand-edited address shows the first page rather than an error.
const logQuery = z.object({
  status: z.enum(["pending", "delivered", "failed"]).optional().catch(undefined),
  cursor: z.uuid().optional().catch(undefined),
});

const retryInput = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("retry"),
    eventIds: z.string().transform((ids) => ids.split(",").filter(Boolean)).pipe(z.array(z.uuid()).min(1).max(500)),
  }),
  z.object({ intent: z.literal("retry-all") }),
]);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const filters = logQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [log, summary, klaviyo] = await Promise.all([listDeliveryLog(shop.id, filters), deliverySummary(shop.id), connectionStatus(shop.id)]);
  return {
    now: new Date().toISOString(),
    counts: summary.counts,
    oldestPendingAgeSeconds: summary.oldestPendingAgeSeconds,
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
  const { shop } = await requireAdminShop(request);
  const parsed = retryInput.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Choose the failed events to retry", { status: 400 });
  const retried = await retryFailedEvents(shop.id, parsed.data.intent === "retry" ? parsed.data.eventIds : undefined);
  return { retried };
};

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** Relative to the loader's clock, so the server and the browser render the same text. */
function ago(iso: string, now: string): string {
  const seconds = (Date.parse(now) - Date.parse(iso)) / 1000;
  return seconds < 5 ? "just now" : `${duration(seconds)} ago`;
}

function plural(count: number, noun: string) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export default function EventDeliveryLog() {
  const { events, counts, oldestPendingAgeSeconds, klaviyo, nextCursor, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const failedEvents = events.filter((event) => event.status === "failed");
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(failedEvents);
  const selectedTab = Math.max(0, STATUS_TABS.findIndex((tab) => tab.status === (params.get("status") ?? undefined)));
  const retrying = navigation.state === "submitting";

  const retry = (form: Record<string, string>) => {
    submit(form, { method: "post" });
    clearSelection();
  };

  return (
    <Page title="Event delivery" subtitle="Every conversation event the app sends to Klaviyo, newest first" backAction={{ content: "Home", url: "/app" }}>
      <BlockStack gap="400">
        {result ? (
          <Banner tone="success">
            {plural(result.retried, "event")} queued again. {klaviyo.state === "connected" ? "Sending to Klaviyo now." : "Sent once Klaviyo is connected."}
          </Banner>
        ) : null}
        {klaviyo.state === "none" ? (
          <Banner tone="info" title="Klaviyo is not connected" action={{ content: "Connect Klaviyo", url: "/app/klaviyo" }}>
            <p>Events wait here and are sent once you connect your Klaviyo account.</p>
          </Banner>
        ) : null}
        {klaviyo.state === "needs_attention" ? (
          <Banner tone="critical" title="Klaviyo stopped accepting the app's access" action={{ content: "Reconnect Klaviyo", url: "/app/klaviyo" }}>
            <p>{klaviyo.statusDetail} Nothing is lost: events wait here and are sent once you reconnect.</p>
          </Banner>
        ) : null}
        {counts.failed > 0 ? (
          <Banner
            tone="warning"
            title={`Klaviyo refused ${plural(counts.failed, "event")}`}
            action={{ content: "Retry all failed", loading: retrying, onAction: () => retry({ intent: "retry-all" }) }}
          >
            <p>Klaviyo's reason is shown in each row. Fix the cause, then retry them. Klaviyo records each event only once, so a retry never counts twice.</p>
          </Banner>
        ) : null}
        <Card>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <SummaryStat label="Delivered" value={counts.delivered} />
            <SummaryStat label="Pending" value={counts.pending} />
            <SummaryStat label="Failed" value={counts.failed} critical={counts.failed > 0} />
            <SummaryStat label="Oldest pending" value={oldestPendingAgeSeconds === null ? "None" : duration(oldestPendingAgeSeconds)} />
          </InlineGrid>
        </Card>
        <Card padding="0">
          <Tabs
            tabs={STATUS_TABS.map((tab) => ({ id: tab.id, content: tab.label, badge: tab.status ? String(counts[tab.status]) : undefined }))}
            selected={selectedTab}
            onSelect={(index) => {
              const status = STATUS_TABS[index]?.status;
              setParams(status ? { status } : {});
            }}
          />
          <IndexTable
            resourceName={{ singular: "event", plural: "events" }}
            itemCount={events.length}
            selectable={failedEvents.length > 0}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            promotedBulkActions={[{ content: "Retry", onAction: () => retry({ intent: "retry", eventIds: selectedResources.join(",") }) }]}
            headings={[{ title: "Event" }, { title: "Conversation" }, { title: "Status" }, { title: "Attempts", alignment: "end" }, { title: "Occurred" }, { title: "Result" }]}
            pagination={{
              hasPrevious: params.has("cursor"),
              // Cursors only lead forward: back through the history when there is one, else to the newest events.
              onPrevious: () => (location.key !== "default" ? navigate(-1) : setParams(params.get("status") ? { status: params.get("status")! } : {})),
              hasNext: Boolean(nextCursor),
              onNext: () => setParams({ ...Object.fromEntries(params), cursor: nextCursor! }),
            }}
            emptyState={
              <BlockStack inlineAlign="center" gap="200">
                <Text as="p" variant="headingSm">
                  No events here yet
                </Text>
                <Text as="p" tone="subdued">
                  Events appear when shoppers start, escalate and resolve conversations.
                </Text>
              </BlockStack>
            }
          >
            {events.map((event, index) => (
              <IndexTable.Row
                id={event.id}
                key={event.id}
                position={index}
                selected={selectedResources.includes(event.id)}
                hideSelectable={event.status !== "failed"}
              >
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {event.metric}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {event.conversationId ? (
                    <Link url={`/app/conversations/${event.conversationId}`} removeUnderline monochrome>
                      {event.conversationId.slice(0, 8)}
                    </Link>
                  ) : (
                    <Text as="span" tone="subdued">
                      Deleted
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_BADGES[event.status].tone}>{STATUS_BADGES[event.status].label}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {event.attempts}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{ago(event.occurredAt, now)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <EventResult event={event} now={now} klaviyoConnected={klaviyo.state === "connected"} />
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}

interface LoggedEvent {
  status: KlaviyoEventStatus;
  deliveredAt: string | null;
  nextAttemptAt: string;
  lastError: string | null;
  lastStatusCode: number | null;
}

function EventResult({ event, now, klaviyoConnected }: { event: LoggedEvent; now: string; klaviyoConnected: boolean }) {
  if (event.status === "delivered") return <Text as="span">Delivered {event.deliveredAt ? ago(event.deliveredAt, now) : ""}</Text>;
  const error = event.lastError ? `${event.lastStatusCode ? `${event.lastStatusCode}: ` : ""}${event.lastError}` : null;
  const retryIn = (Date.parse(event.nextAttemptAt) - Date.parse(now)) / 1000;
  return (
    // Klaviyo's explanations are sentences: let them wrap instead of widening the table.
    <div style={{ whiteSpace: "normal", minWidth: "16rem" }}>
      <BlockStack gap="050">
        {error ? (
          <Text as="span" tone={event.status === "failed" ? "critical" : "subdued"} breakWord>
            {error}
          </Text>
        ) : null}
        {event.status === "pending" ? (
          <Text as="span" tone="subdued">
            {!klaviyoConnected ? "Waiting for a Klaviyo connection" : retryIn > 1 ? `Next attempt in ${duration(retryIn)}` : "Sending"}
          </Text>
        ) : null}
      </BlockStack>
    </div>
  );
}

function SummaryStat({ label, value, critical = false }: { label: string; value: number | string; critical?: boolean }) {
  return (
    <BlockStack gap="100">
      <Text as="h2" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg" tone={critical ? "critical" : undefined}>
        {value}
      </Text>
    </BlockStack>
  );
}
