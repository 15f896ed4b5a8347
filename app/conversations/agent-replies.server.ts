import type { Channel, ConversationStatus, Prisma } from "@prisma/client";
import { db, pool, sqlOf, withTransaction, type Transaction } from "../db.server";
import { queueChannelReply } from "../channels/outbound.server";
import type { RecommendedProduct } from "../klaviyo/events";
import { emit, identityOf, lockConversation, recordRecommendation, resolveConversation } from "./conversations.server";

const HANDOFF_SKILL = "handoff";

export interface AgentReply {
  shopId: string;
  conversationId: string;
  /** The shopper message this reply answers: at most one reply per shopper message, enforced by the database. */
  replyToId: string;
  body: string;
  skill: string | null;
  intent: string;
  tags: string[];
  parts: Prisma.InputJsonValue[];
  /** The agent's memory after this turn, replacing the stored one. */
  memory: Prisma.InputJsonObject;
  /** Hand the conversation to the team: reason is the rule's name or `shopper-requested`. */
  escalation?: { reason: string };
  /** The shopper confirmed the agent's answer helped. */
  resolve?: boolean;
  recommendation?: RecommendedProduct[];
}

export type StoredAgentReply =
  | { stored: true; messageId: string; skill: string | null }
  | { stored: false; reason: "already-answered" | "escalated"; messageId: string | null };

function mergeTags(existing: string[], added: string[]): string[] {
  return [...new Set([...existing, ...added.map((tag) => tag.trim()).filter(Boolean)])];
}

/**
 * Stores an agent turn as one fact: the reply with its skill, intent, tags and parts, the conversation's new
 * status, memory, skill and tags, and the outbox events those changes cause. The conversation row is locked
 * first, so two workers finishing the same turn (a retry after a crash, the inline turn and its backup job)
 * store one reply; a conversation escalated meanwhile gets none, since only staff answer it now.
 */
export async function storeAgentReply(reply: AgentReply): Promise<StoredAgentReply> {
  return withTransaction(async (client) => {
    const sql = sqlOf(client);
    const conversation = await lockConversation(sql, reply.shopId, reply.conversationId);
    // Checked under the lock: a turn that finished while this one waited for it is seen here.
    const [existing] = await sql.query<{ id: string }>(`SELECT id FROM "Message" WHERE "replyToId" = $1`, [reply.replyToId]);
    if (existing) return { stored: false, reason: "already-answered", messageId: existing.id };
    if (conversation.status === "escalated") return { stored: false, reason: "escalated", messageId: null };

    const now = new Date();
    const tags = mergeTags(conversation.tags, reply.tags);
    // A handoff is not what the conversation was about: the skill active before it stays the conversation's.
    const skill = reply.skill && reply.skill !== HANDOFF_SKILL ? reply.skill : (conversation.skill ?? reply.skill);
    const [message] = await sql.query<{ id: string }>(
      `WITH message AS (
         INSERT INTO "Message" (id, "conversationId", author, body, skill, intent, tags, parts, "replyToId", "createdAt")
         VALUES (gen_random_uuid()::text, $1, 'agent', $2, $3, $4, $5::text[], $6::jsonb, $7, to_timestamp($8::float8 / 1000) AT TIME ZONE 'UTC')
         RETURNING id
       ), conversation AS (
         UPDATE "Conversation" SET "lastMessageAt" = to_timestamp($8::float8 / 1000) AT TIME ZONE 'UTC', skill = $9, tags = $10::text[], "agentMemory" = $11::jsonb,
           status = CASE WHEN $12::text IS NULL THEN status ELSE 'escalated'::"ConversationStatus" END,
           "escalatedAt" = CASE WHEN $12::text IS NULL THEN "escalatedAt" ELSE to_timestamp($8::float8 / 1000) AT TIME ZONE 'UTC' END,
           "escalationReason" = COALESCE($12::text, "escalationReason"),
           "updatedAt" = now() AT TIME ZONE 'UTC'
         WHERE id = $1
       )
       SELECT id FROM message`,
      [
        conversation.id,
        reply.body,
        reply.skill,
        reply.intent,
        reply.tags,
        JSON.stringify(reply.parts),
        reply.replyToId,
        now.getTime(),
        skill,
        tags,
        JSON.stringify(reply.memory),
        reply.escalation?.reason ?? null,
      ],
    );
    // On email, SMS and WhatsApp the reply goes out through the channel's outbound queue, in this transaction.
    if (conversation.channel !== "web_chat") {
      await queueChannelReply(sql, { shopId: reply.shopId, conversationId: conversation.id, messageId: message!.id, author: "agent", body: reply.body });
    }
    if (reply.recommendation?.length) {
      await recordRecommendation({ shopId: reply.shopId, conversationId: conversation.id, products: reply.recommendation }, sql);
    }
    if (reply.escalation) {
      await emit(sql, reply.shopId, conversation.shopper, {
        kind: "escalated",
        conversationId: conversation.id,
        channel: conversation.channel,
        reason: reply.escalation.reason,
        skill,
        tags,
        occurredAt: now,
        shopper: identityOf(conversation.shopper),
      });
    } else if (reply.resolve) {
      await resolveConversation({ shopId: reply.shopId, conversationId: conversation.id }, sql);
    }
    return { stored: true, messageId: message!.id, skill: reply.skill };
  });
}

/**
 * The quiet-time resolution: resolves only if the agent's answer is still the last word and nobody escalated,
 * closed or resolved the conversation since. Returns whether it resolved, so a repeated job is harmless.
 */
export async function resolveIfStillQuiet(shopId: string, conversationId: string, answerId: string): Promise<boolean> {
  return db().$transaction(async (tx: Transaction) => {
    await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${conversationId} FOR UPDATE`;
    const conversation = await tx.conversation.findFirst({ where: { id: conversationId, shopId } });
    if (!conversation || conversation.status !== "open") return false;
    const last = await tx.message.findFirst({ where: { conversationId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    if (last?.id !== answerId) return false;
    await resolveConversation({ shopId, conversationId }, tx);
    return true;
  });
}

/** Everything an agent turn reads before thinking, for one shopper message. */
export interface TurnInput {
  message: { id: string; author: "shopper" | "agent" | "staff" | "system"; body: string };
  conversation: { id: string; shopId: string; status: ConversationStatus; channel: Channel; agentMemory: unknown };
  shopper: { shopifyCustomerId: string | null };
  shopSettings: unknown;
  /** The reply already stored for this message, if a turn finished before. */
  answered: { id: string; parts: unknown } | null;
  /** Earlier messages, oldest first. */
  history: Array<{ author: "shopper" | "agent" | "staff" | "system"; body: string }>;
  escalationRules: Array<{ id: string; name: string; condition: unknown; enabled: boolean; position: number }>;
}

// One round trip instead of five Prisma queries: the turn runs for every shopper message.
const LOAD_TURN_INPUT = `
  SELECT json_build_object('id', m.id, 'author', m.author, 'body', m.body) AS message,
         json_build_object('id', c.id, 'shopId', c."shopId", 'status', c.status, 'channel', c.channel, 'agentMemory', c."agentMemory") AS conversation,
         json_build_object('shopifyCustomerId', s."shopifyCustomerId") AS shopper,
         sh.settings AS "shopSettings",
         (SELECT json_build_object('id', r.id, 'parts', r.parts) FROM "Message" r WHERE r."replyToId" = m.id) AS answered,
         COALESCE((
           SELECT json_agg(json_build_object('author', h.author, 'body', h.body) ORDER BY h."createdAt", h.id)
           FROM (SELECT author, body, "createdAt", id FROM "Message"
                 WHERE "conversationId" = c.id AND "createdAt" < m."createdAt"
                 ORDER BY "createdAt" DESC, id DESC LIMIT $2) h
         ), '[]'::json) AS history,
         COALESCE((
           SELECT json_agg(json_build_object('id', e.id, 'name', e.name, 'condition', e.condition, 'enabled', e.enabled, 'position', e.position) ORDER BY e.position)
           FROM "EscalationRule" e WHERE e."shopId" = c."shopId"
         ), '[]'::json) AS "escalationRules"
  FROM "Message" m
  JOIN "Conversation" c ON c.id = m."conversationId"
  JOIN "Shopper" s ON s.id = c."shopperId"
  JOIN "Shop" sh ON sh.id = c."shopId"
  WHERE m.id = $1`;

export async function loadTurnInput(shopperMessageId: string, historyMessages: number): Promise<TurnInput | null> {
  const { rows } = await pool().query<TurnInput>(LOAD_TURN_INPUT, [shopperMessageId, historyMessages]);
  return rows[0] ?? null;
}
