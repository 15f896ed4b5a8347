import type { Message, Prisma } from "@prisma/client";
import { db, type Transaction } from "../db.server";
import type { RecommendedProduct } from "../klaviyo/events";
import { emit, identityOf, loadOwned, recordRecommendation, resolveConversation } from "./conversations.server";

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
  | { stored: true; message: Message }
  | { stored: false; reason: "already-answered" | "escalated"; message: Message | null };

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
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${reply.conversationId} AND "shopId" = ${reply.shopId} FOR UPDATE`;
    const existing = await tx.message.findUnique({ where: { replyToId: reply.replyToId } });
    if (existing) return { stored: false, reason: "already-answered", message: existing };
    const conversation = await loadOwned(tx, reply.shopId, reply.conversationId);
    if (conversation.status === "escalated") return { stored: false, reason: "escalated", message: null };

    const now = new Date();
    const message = await tx.message.create({
      data: {
        conversationId: conversation.id,
        author: "agent",
        body: reply.body,
        skill: reply.skill,
        intent: reply.intent,
        tags: reply.tags,
        parts: reply.parts,
        replyToId: reply.replyToId,
        createdAt: now,
      },
    });
    const tags = mergeTags(conversation.tags, reply.tags);
    // A handoff is not what the conversation was about: the skill active before it stays the conversation's.
    const skill = reply.skill && reply.skill !== HANDOFF_SKILL ? reply.skill : (conversation.skill ?? reply.skill);
    await tx.conversation.update({
      where: { id: conversation.id },
      data: {
        lastMessageAt: now,
        skill,
        tags,
        agentMemory: reply.memory,
        ...(reply.escalation ? { status: "escalated", escalatedAt: now, escalationReason: reply.escalation.reason } : {}),
      },
    });
    if (reply.recommendation?.length) {
      await recordRecommendation({ shopId: reply.shopId, conversationId: conversation.id, products: reply.recommendation }, tx);
    }
    if (reply.escalation) {
      await emit(tx, reply.shopId, conversation.shopper, {
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
      await resolveConversation({ shopId: reply.shopId, conversationId: conversation.id }, tx);
    }
    return { stored: true, message };
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
