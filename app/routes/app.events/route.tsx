import type { KlaviyoEventStatus } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, IndexTable, InlineGrid, InlineStack, Link, Page, Tabs, Tag, Text, useIndexResourceState } from "@shopify/polaris";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { en } from "../../admin/strings/en";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import { formatAgo, formatDuration } from "../../components/format";
import { StatTile } from "../../components/StatTile";
import { TableEmptyState } from "../../components/TableEmptyState";
import { EventPreview } from "./EventPreview";
import { EventResult } from "./EventResult";
import { loadEventsPage, runEventsAction } from "./events.server";

const STATUS_TABS: Array<{ id: "all" | KlaviyoEventStatus; status?: KlaviyoEventStatus }> = [
  { id: "all" },
  { id: "pending", status: "pending" },
  { id: "delivered", status: "delivered" },
  { id: "failed", status: "failed" },
];

const STATUS_TONES: Record<KlaviyoEventStatus, "info" | "success" | "critical"> = { pending: "info", delivered: "success", failed: "critical" };

export const meta: MetaFunction = () => [{ title: en.events.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return loadEventsPage(shop.id, new URL(request.url));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return runEventsAction(shop.id, await request.formData());
};

export default function EventDeliveryLog() {
  const { events, counts, oldestPendingAgeSeconds, klaviyo, nextCursor, now, filters, preview } = useLoaderData<typeof loader>();
  const text = en.events;
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const failedEvents = events.filter((event) => event.status === "failed");
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(failedEvents);
  const selectedTab = Math.max(0, STATUS_TABS.findIndex((tab) => tab.status === filters.status));
  const retrying = navigation.state === "submitting";

  const retry = (form: Record<string, string>) => {
    submit(form, { method: "post" });
    clearSelection();
  };
  /** The address with one filter changed, back on the first page and without a preview. */
  const withFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    for (const key of ["cursor", "event"]) next.delete(key);
    if (value) next.set(name, value);
    else next.delete(name);
    return next;
  };
  const previewLink = (eventId: string) => {
    const next = new URLSearchParams(params);
    next.set("event", eventId);
    return `/app/events?${next}`;
  };

  return (
    <Page title={text.title} subtitle={text.subtitle} backAction={{ content: en.common.back, url: "/app" }}>
      <BlockStack gap="400">
        {result ? <Banner tone="success">{text.retried(result.retried, klaviyo.state === "connected")}</Banner> : null}
        {klaviyo.state === "none" ? (
          <Banner tone="info" title={text.notConnectedTitle} action={{ content: text.connect, url: "/app/klaviyo" }}>
            <p>{text.notConnectedBody}</p>
          </Banner>
        ) : null}
        {klaviyo.state === "needs_attention" ? (
          <Banner tone="critical" title={text.needsAttentionTitle} action={{ content: text.reconnect, url: "/app/klaviyo" }}>
            <p>{text.needsAttentionBody(klaviyo.statusDetail ?? "")}</p>
          </Banner>
        ) : null}
        {counts.failed > 0 ? (
          <Banner tone="warning" title={text.failedTitle(counts.failed)} action={{ content: text.retryAll, loading: retrying, onAction: () => retry({ intent: "retry-all" }) }}>
            <p>{text.failedBody}</p>
          </Banner>
        ) : null}
        <Card>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <StatTile label={text.summary.delivered} value={counts.delivered} />
            <StatTile label={text.summary.pending} value={counts.pending} />
            <StatTile label={text.summary.failed} value={counts.failed} tone={counts.failed > 0 ? "critical" : undefined} />
            <StatTile label={text.summary.oldestPending} value={oldestPendingAgeSeconds === null ? text.summary.none : formatDuration(oldestPendingAgeSeconds)} />
          </InlineGrid>
        </Card>
        {preview ? <EventPreview preview={preview} retrying={retrying} onRetry={() => retry({ intent: "retry", eventIds: preview.id })} closeUrl={`/app/events?${withFilter("event", undefined)}`} /> : null}
        <Card padding="0">
          <Tabs
            tabs={STATUS_TABS.map((tab) => ({ id: tab.id, content: text.tabs[tab.id], badge: tab.status ? String(counts[tab.status]) : undefined }))}
            selected={selectedTab}
            onSelect={(index) => setParams(withFilter("status", STATUS_TABS[index]?.status))}
          />
          {filters.metric || filters.conversationId ? (
            <Box padding="300">
              <InlineStack gap="200">
                {filters.metric ? <Tag onRemove={() => setParams(withFilter("metric", undefined))}>{`${text.metric}: ${filters.metric}`}</Tag> : null}
                {filters.conversationId ? (
                  <Tag onRemove={() => setParams(withFilter("conversationId", undefined))}>{`${text.headings.conversation} ${filters.conversationId.slice(0, 8)}`}</Tag>
                ) : null}
              </InlineStack>
            </Box>
          ) : null}
          <IndexTable
            resourceName={text.resource}
            itemCount={events.length}
            loading={navigation.state === "loading" && navigation.location.pathname === "/app/events"}
            selectable={failedEvents.length > 0}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            promotedBulkActions={[{ content: text.retrySelected, onAction: () => retry({ intent: "retry", eventIds: selectedResources.join(",") }) }]}
            headings={[
              { title: text.headings.event },
              { title: text.headings.conversation },
              { title: text.headings.status },
              { title: text.headings.attempts, alignment: "end" },
              { title: text.headings.occurred },
              { title: text.headings.result },
              { title: text.headings.payload },
            ]}
            pagination={{
              hasPrevious: params.has("cursor"),
              // Cursors only lead forward: back through the history when there is one, else to the newest events.
              onPrevious: () => (location.key !== "default" ? navigate(-1) : setParams(withFilter("cursor", undefined))),
              hasNext: Boolean(nextCursor),
              onNext: () => setParams(withFilter("cursor", nextCursor!)),
            }}
            emptyState={<TableEmptyState title={text.emptyTitle} body={text.emptyBody} />}
          >
            {events.map((event, index) => (
              <IndexTable.Row id={event.id} key={event.id} position={index} selected={selectedResources.includes(event.id)} hideSelectable={event.status !== "failed"}>
                <IndexTable.Cell>
                  {/* The metric is the log's filter: following it shows only that event's rows. */}
                  <span onClick={(click) => click.stopPropagation()}>
                    <Link url={`/app/events?${withFilter("metric", event.metric)}`} removeUnderline monochrome accessibilityLabel={text.onlyMetric(event.metric)}>
                      <Text as="span" fontWeight="semibold">
                        {event.metric}
                      </Text>
                    </Link>
                  </span>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {event.conversationId ? (
                    <Link url={`/app/conversations/${event.conversationId}`} removeUnderline monochrome>
                      {event.conversationId.slice(0, 8)}
                    </Link>
                  ) : (
                    <Text as="span" tone="subdued">
                      {text.deleted}
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONES[event.status]}>{text.statuses[event.status]}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {event.attempts}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{formatAgo(event.occurredAt, now)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <EventResult event={event} now={now} klaviyoConnected={klaviyo.state === "connected"} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {/* A click inside a selectable row would also toggle its selection: the link keeps its click to itself. */}
                  <span onClick={(click) => click.stopPropagation()}>
                    <Link url={previewLink(event.id)} accessibilityLabel={`${text.preview}: ${event.metric}`}>
                      {text.preview}
                    </Link>
                  </span>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBanner title={en.events.title} />;
}
