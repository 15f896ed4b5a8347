import { Channel, ConversationStatus, type Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";

export const INBOX_PAGE_SIZE = 25;

const day = z.iso.date();
const filterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => value || undefined)
    .optional();

/**
 * The inbox's address: status, channel, skill, tag, a last-activity date range (UTC days, both inclusive), a text
 * search and the page cursor. A hand-edited or stale one (unknown status, malformed cursor or date) drops that part
 * and shows the rest, from the top, not an error.
 */
const inboxQuery = z.object({
  status: z.enum(ConversationStatus).optional().catch(undefined),
  channel: z.enum(Channel).optional().catch(undefined),
  skill: filterText(60).catch(undefined),
  tag: filterText(60).catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  q: filterText(200).catch(undefined),
  cursor: z.uuid().optional().catch(undefined),
});

export type InboxQuery = z.infer<typeof inboxQuery>;

export function parseInboxQuery(params: URLSearchParams): InboxQuery {
  return inboxQuery.parse(Object.fromEntries(params));
}

const DAY_MS = 86_400_000;

function inboxWhere(shopId: string, query: InboxQuery): Prisma.ConversationWhereInput {
  const lastMessageAt: Prisma.DateTimeFilter = {};
  if (query.from) lastMessageAt.gte = new Date(`${query.from}T00:00:00Z`);
  if (query.to) lastMessageAt.lt = new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS);
  return {
    shopId,
    ...(query.status ? { status: query.status } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.skill ? { skill: query.skill } : {}),
    ...(query.tag ? { tags: { has: query.tag } } : {}),
    ...(query.from || query.to ? { lastMessageAt } : {}),
    ...(query.q
      ? {
          OR: [
            { messages: { some: { body: { contains: query.q, mode: "insensitive" } } } },
            { shopper: { email: { contains: query.q, mode: "insensitive" } } },
            { shopper: { phone: { contains: query.q } } },
          ],
        }
      : {}),
  };
}

/**
 * The merchant's inbox, newest activity first, filtered by the query. Each row says whether an escalation still
 * waits for the team's first reply (no staff message since it was escalated): those stand out in the list.
 */
export async function listConversations(shopId: string, query: InboxQuery) {
  const where = inboxWhere(shopId, query);
  // A cursor that is not one of this shop's conversations (deleted since, another shop's) starts from the top:
  // Prisma would otherwise answer an empty page, which reads as "No conversations yet".
  const cursor = query.cursor && (await db().conversation.count({ where: { id: query.cursor, shopId } })) ? query.cursor : undefined;
  const rows = await db().conversation.findMany({
    where,
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: INBOX_PAGE_SIZE + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    include: {
      shopper: { select: { email: true, phone: true, shopifyCustomerId: true, anonymousId: true } },
      messages: { where: { author: { in: ["shopper", "staff"] } }, orderBy: { createdAt: "desc" }, take: 20, select: { author: true, body: true, createdAt: true } },
    },
  });
  const page = rows.slice(0, INBOX_PAGE_SIZE).map(({ messages, ...conversation }) => ({
    ...conversation,
    lastShopperMessage: messages.find((message) => message.author === "shopper")?.body ?? "",
    awaitingFirstReply:
      conversation.status === "escalated" &&
      !messages.some((message) => message.author === "staff" && conversation.escalatedAt !== null && message.createdAt >= conversation.escalatedAt),
  }));
  return { conversations: page, nextCursor: rows.length > INBOX_PAGE_SIZE ? page.at(-1)!.id : null };
}

export async function conversationCounts(shopId: string) {
  const groups = await db().conversation.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.status, group._count._all])) as Partial<Record<ConversationStatus, number>>;
}

/** The skills and tags the shop's conversations have, for the filters' choices. */
export async function inboxFacets(shopId: string): Promise<{ skills: string[]; tags: string[] }> {
  const [skills, tags] = await Promise.all([
    db().$queryRaw<Array<{ value: string }>>`SELECT DISTINCT skill AS value FROM "Conversation" WHERE "shopId" = ${shopId} AND skill IS NOT NULL ORDER BY 1 LIMIT 100`,
    db().$queryRaw<Array<{ value: string }>>`SELECT DISTINCT unnest(tags) AS value FROM "Conversation" WHERE "shopId" = ${shopId} ORDER BY 1 LIMIT 200`,
  ]);
  return { skills: skills.map((row) => row.value), tags: tags.map((row) => row.value) };
}

export async function conversationThread(shopId: string, conversationId: string) {
  return db().conversation.findFirst({
    where: { id: conversationId, shopId },
    include: {
      shopper: true,
      messages: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      recommendations: { orderBy: { recommendedAt: "asc" } },
      klaviyoEvents: { orderBy: { occurredAt: "asc" }, select: { id: true, metric: true, status: true, occurredAt: true } },
      // An email conversation is known by the subject its first email had.
      emailThreadMessages: { where: { direction: "inbound" }, orderBy: { createdAt: "asc" }, take: 1, select: { subject: true } },
      // Staff replies held until the shopper reopens WhatsApp's window.
      channelMessages: { where: { status: "waiting" }, select: { messageId: true } },
    },
  });
}

/** How the merchant recognises a shopper: the best identifier we hold. */
export function shopperLabel(shopper: { email: string | null; phone: string | null; shopifyCustomerId: string | null; anonymousId: string | null }) {
  return shopper.email ?? shopper.phone ?? (shopper.shopifyCustomerId ? `Customer ${shopper.shopifyCustomerId}` : shopper.anonymousId ? `Visitor ${shopper.anonymousId.slice(0, 8)}` : "Shopper");
}
