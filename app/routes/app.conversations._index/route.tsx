import type { ConversationStatus } from "@prisma/client";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, IndexTable, InlineStack, Page, Tabs, Text, useBreakpoints } from "@shopify/polaris";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { en } from "../../admin/strings/en";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import { formatAgo } from "../../components/format";
import { conversationCounts, inboxFacets, listConversations, parseInboxQuery, shopperLabel } from "../../conversations/inbox.server";
import { ConversationStatusBadge } from "../../components/ConversationStatusBadge";
import { InboxFilters } from "./InboxFilters";

const TABS: Array<{ id: keyof typeof en.conversations.tabs; status?: ConversationStatus }> = [
  { id: "all" },
  { id: "escalated", status: "escalated" },
  { id: "open", status: "open" },
  { id: "resolved", status: "resolved" },
  { id: "closed", status: "closed" },
];

export const meta: MetaFunction = () => [{ title: en.conversations.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const query = parseInboxQuery(new URL(request.url).searchParams);
  const [page, counts, facets] = await Promise.all([listConversations(shop.id, query), conversationCounts(shop.id), inboxFacets(shop.id)]);
  const { cursor: _cursor, ...filters } = query;
  return {
    now: new Date().toISOString(),
    filters,
    facets,
    counts,
    nextCursor: page.nextCursor,
    conversations: page.conversations.map((conversation) => ({
      id: conversation.id,
      shopper: shopperLabel(conversation.shopper),
      status: conversation.status,
      channel: conversation.channel,
      skill: conversation.skill,
      tags: conversation.tags,
      awaitingFirstReply: conversation.awaitingFirstReply,
      lastMessage: conversation.lastShopperMessage,
      lastMessageAt: conversation.lastMessageAt.toISOString(),
    })),
  };
};

export default function Conversations() {
  const { conversations, counts, nextCursor, filters, facets, now } = useLoaderData<typeof loader>();
  const text = en;
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  // Phones get Polaris' condensed list (one stacked row per conversation) instead of a table to scroll sideways.
  const { smDown } = useBreakpoints();
  const selected = Math.max(0, TABS.findIndex((tab) => tab.status === filters.status));
  const filtered = Boolean(filters.q || filters.channel || filters.skill || filters.tag || filters.from || filters.to);
  const withoutCursor = () => {
    const next = new URLSearchParams(params);
    next.delete("cursor");
    return next;
  };

  return (
    <Page title={text.conversations.title} fullWidth>
      <BlockStack gap="400">
        <Card>
          <InboxFilters key={location.search} values={filters} skills={facets.skills} tags={facets.tags} />
        </Card>
        <Card padding="0">
          <Tabs
            tabs={TABS.map((tab) => ({
              id: tab.id,
              content: text.conversations.tabs[tab.id],
              badge: tab.status && counts[tab.status] ? String(counts[tab.status]) : undefined,
            }))}
            selected={selected}
            onSelect={(index) => {
              const next = withoutCursor();
              const status = TABS[index]?.status;
              if (status) next.set("status", status);
              else next.delete("status");
              setParams(next);
            }}
          />
          <IndexTable
            resourceName={text.conversations.resource}
            itemCount={conversations.length}
            selectable={false}
            condensed={smDown}
            loading={navigation.state === "loading" && navigation.location.pathname === "/app/conversations"}
            emptyState={
              filtered ? (
                <EmptyState heading={text.conversations.noMatchTitle} image="">
                  <p>{text.conversations.noMatchBody}</p>
                </EmptyState>
              ) : (
                <EmptyState heading={text.conversations.emptyTitle} image="">
                  <p>{text.conversations.emptyBody}</p>
                </EmptyState>
              )
            }
            headings={[
              { title: text.conversations.headings.shopper },
              { title: text.conversations.headings.lastMessage },
              { title: text.conversations.headings.status },
              { title: text.conversations.headings.channel },
              { title: text.conversations.headings.skill },
              { title: text.conversations.headings.lastActivity },
            ]}
            pagination={{
              hasPrevious: params.has("cursor"),
              // Cursors only lead forward: back through the history when there is one, else to the first page.
              onPrevious: () => (location.key !== "default" ? navigate(-1) : setParams(withoutCursor())),
              hasNext: Boolean(nextCursor),
              onNext: () => {
                const next = new URLSearchParams(params);
                next.set("cursor", nextCursor!);
                setParams(next);
              },
            }}
          >
            {conversations.map((conversation, index) => (
              <IndexTable.Row
                id={conversation.id}
                key={conversation.id}
                position={index}
                tone={conversation.awaitingFirstReply ? "warning" : undefined}
                onClick={() => navigate(`/app/conversations/${conversation.id}`)}
              >
                <IndexTable.Cell>
                  <InlineStack gap="150" blockAlign="center" wrap={false}>
                    <Box maxWidth="14rem">
                      <Text as="span" fontWeight="semibold" truncate>
                        {conversation.shopper}
                      </Text>
                    </Box>
                    {conversation.awaitingFirstReply ? (
                      <span title={text.conversations.newEscalationHint}>
                        <Badge tone="critical" progress="incomplete">
                          {text.conversations.newEscalation}
                        </Badge>
                      </span>
                    ) : null}
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {/* The message is the one cell that may shrink: a fixed width with an ellipsis keeps every other column on screen at 1280 px. */}
                  <Box maxWidth="18rem">
                    <Text as="span" truncate>
                      {conversation.lastMessage}
                    </Text>
                  </Box>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <ConversationStatusBadge status={conversation.status} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge>{text.channels[conversation.channel]}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" tone={conversation.skill ? undefined : "subdued"}>
                    {conversation.skill ?? text.common.none}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <time dateTime={conversation.lastMessageAt} title={conversation.lastMessageAt}>
                    {formatAgo(conversation.lastMessageAt, now)}
                  </time>
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
  return <RouteErrorBanner title={en.conversations.title} />;
}
