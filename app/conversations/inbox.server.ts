import { ConversationStatus, type Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";

export const INBOX_PAGE_SIZE = 25;

/** The inbox's address. A hand-edited or stale one (unknown status, malformed cursor) shows all, from the top, not an error. */
const inboxQuery = z.object({
  status: z.enum(ConversationStatus).optional().catch(undefined),
  cursor: z.uuid().optional().catch(undefined),
});

export type InboxQuery = z.infer<typeof inboxQuery>;

export function parseInboxQuery(params: URLSearchParams): InboxQuery {
  return inboxQuery.parse(Object.fromEntries(params));
}

/** The merchant's inbox: newest activity first, escalated conversations (waiting for a person) on their own tab. */
export async function listConversations(shopId: string, options: InboxQuery) {
  const where: Prisma.ConversationWhereInput = { shopId, ...(options.status ? { status: options.status } : {}) };
  // A cursor that is not one of this shop's conversations (deleted since, another shop's) starts from the top:
  // Prisma would otherwise answer an empty page, which reads as "No conversations yet".
  const cursor = options.cursor && (await db().conversation.count({ where: { id: options.cursor, shopId } })) ? options.cursor : undefined;
  const rows = await db().conversation.findMany({
    where,
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: INBOX_PAGE_SIZE + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    include: {
      shopper: { select: { email: true, phone: true, shopifyCustomerId: true, anonymousId: true } },
      messages: { where: { author: "shopper" }, orderBy: { createdAt: "desc" }, take: 1, select: { body: true } },
    },
  });
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  return { conversations: page, nextCursor: rows.length > INBOX_PAGE_SIZE ? page.at(-1)!.id : null };
}

export async function conversationCounts(shopId: string) {
  const groups = await db().conversation.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.status, group._count._all])) as Partial<Record<ConversationStatus, number>>;
}

export async function conversationThread(shopId: string, conversationId: string) {
  return db().conversation.findFirst({
    where: { id: conversationId, shopId },
    include: {
      shopper: true,
      messages: { orderBy: { createdAt: "asc" } },
      recommendations: { orderBy: { recommendedAt: "asc" } },
      klaviyoEvents: { orderBy: { occurredAt: "asc" }, select: { id: true, metric: true, status: true, occurredAt: true } },
      // An email conversation is known by the subject its first email had.
      emailThreadMessages: { where: { direction: "inbound" }, orderBy: { createdAt: "asc" }, take: 1, select: { subject: true } },
    },
  });
}

/** How the merchant recognises a shopper: the best identifier we hold. */
export function shopperLabel(shopper: { email: string | null; phone: string | null; shopifyCustomerId: string | null; anonymousId: string | null }) {
  return shopper.email ?? shopper.phone ?? (shopper.shopifyCustomerId ? `Customer ${shopper.shopifyCustomerId}` : shopper.anonymousId ? `Visitor ${shopper.anonymousId.slice(0, 8)}` : "Shopper");
}
