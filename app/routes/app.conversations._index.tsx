import type { ConversationStatus } from "@prisma/client";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Page, Tabs, Text } from "@shopify/polaris";
import { conversationCounts, listConversations, parseInboxQuery, shopperLabel } from "../conversations/inbox.server";
import { StatusBadge } from "../conversations/StatusBadge";
import { requireAdminShop } from "../admin/require-admin-shop.server";

const TABS: Array<{ id: string; label: string; status?: ConversationStatus }> = [
  { id: "all", label: "All" },
  { id: "escalated", label: "Waiting for a person", status: "escalated" },
  { id: "open", label: "Open", status: "open" },
  { id: "resolved", label: "Resolved", status: "resolved" },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const query = parseInboxQuery(new URL(request.url).searchParams);
  const [page, counts] = await Promise.all([listConversations(shop.id, query), conversationCounts(shop.id)]);
  return {
    counts,
    nextCursor: page.nextCursor,
    conversations: page.conversations.map((conversation) => ({
      id: conversation.id,
      shopper: shopperLabel(conversation.shopper),
      status: conversation.status,
      channel: conversation.channel,
      tags: conversation.tags,
      lastMessage: conversation.messages[0]?.body ?? "",
      lastMessageAt: conversation.lastMessageAt.toISOString(),
    })),
  };
};

export default function Conversations() {
  const { conversations, counts, nextCursor } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const selected = Math.max(0, TABS.findIndex((tab) => tab.status === (params.get("status") ?? undefined)));

  return (
    <Page title="Conversations">
      <Card padding="0">
        <Tabs
          tabs={TABS.map((tab) => ({
            id: tab.id,
            content: tab.label,
            badge: tab.status && counts[tab.status] ? String(counts[tab.status]) : undefined,
          }))}
          selected={selected}
          onSelect={(index) => setParams(TABS[index]?.status ? { status: TABS[index]!.status! } : {})}
        />
        {conversations.length === 0 ? (
          <EmptyState heading="No conversations yet" image="">
            <p>Conversations appear here as soon as shoppers write in the storefront chat.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "conversation", plural: "conversations" }}
            itemCount={conversations.length}
            selectable={false}
            headings={[{ title: "Shopper" }, { title: "Shopper's last message" }, { title: "Status" }, { title: "Channel" }, { title: "Last activity" }]}
            pagination={{
              hasNext: Boolean(nextCursor),
              onNext: () => setParams({ ...Object.fromEntries(params), cursor: nextCursor! }),
            }}
          >
            {conversations.map((conversation, index) => (
              <IndexTable.Row
                id={conversation.id}
                key={conversation.id}
                position={index}
                onClick={() => navigate(`/app/conversations/${conversation.id}`)}
              >
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {conversation.shopper}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack>
                    <Text as="span" truncate>
                      {conversation.lastMessage.slice(0, 80)}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <StatusBadge status={conversation.status} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge>{conversation.channel.replace("_", " ")}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{new Date(conversation.lastMessageAt).toLocaleString()}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
