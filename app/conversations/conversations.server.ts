import type { Conversation, Message, Shopper } from "@prisma/client";
import { db, type Transaction } from "../db.server";
import { mayShareWithKlaviyo } from "../identity/identity.server";
import { ConversationNotFoundError } from "./shopper-messages.server";
import type { ConversationFact, RecommendedProduct, ShopperIdentity } from "../klaviyo/events";
import { recordKlaviyoEvent } from "../klaviyo/outbox.server";
import { scheduleRecommendationCheck } from "../orders/recommendation-outcome.server";

export const SHOPPER_REQUESTED = "shopper-requested";


export type ConversationWithMessages = Conversation & { messages: Message[] };

export function identityOf(shopper: ShopperIdentity): ShopperIdentity {
  return {
    anonymousId: shopper.anonymousId,
    email: shopper.email,
    phone: shopper.phone,
    shopifyCustomerId: shopper.shopifyCustomerId,
    klaviyoExchangeId: shopper.klaviyoExchangeId,
  };
}

/** Every conversation change that Klaviyo should hear about goes through here, inside the change's transaction. */
export async function emit(tx: Transaction, shopId: string, shopper: Shopper, fact: ConversationFact) {
  if (mayShareWithKlaviyo(shopper)) await recordKlaviyoEvent(tx, shopId, fact);
}

export async function loadOwned(tx: Transaction, shopId: string, conversationId: string) {
  const conversation = await tx.conversation.findFirst({
    where: { id: conversationId, shopId },
    include: { shopper: true },
  });
  if (!conversation) throw new ConversationNotFoundError(`Conversation ${conversationId} not found`);
  return conversation;
}

export async function addStaffReply(shopId: string, conversationId: string, body: string) {
  return db().$transaction(async (tx) => {
    await loadOwned(tx, shopId, conversationId);
    const now = new Date();
    await tx.conversation.update({ where: { id: conversationId }, data: { lastMessageAt: now } });
    return tx.message.create({ data: { conversationId, author: "staff", body, createdAt: now } });
  });
}

export async function escalateConversation(input: { shopId: string; conversationId: string; reason: string }) {
  return db().$transaction(async (tx) => {
    const conversation = await loadOwned(tx, input.shopId, input.conversationId);
    if (conversation.status === "escalated") return conversation;
    const escalatedAt = new Date();
    const updated = await tx.conversation.update({
      where: { id: conversation.id },
      data: { status: "escalated", escalatedAt, escalationReason: input.reason },
    });
    await emit(tx, input.shopId, conversation.shopper, {
      kind: "escalated",
      conversationId: conversation.id,
      channel: conversation.channel,
      reason: input.reason,
      skill: conversation.skill,
      tags: conversation.tags,
      occurredAt: escalatedAt,
      shopper: identityOf(conversation.shopper),
    });
    return updated;
  });
}

/**
 * The agent resolved the conversation without a person: the shopper confirmed, or went quiet after a good answer.
 * Never for an escalated conversation (a person handled it); Resolution Time Seconds counts from the first
 * message, or from the message that reopened it.
 */
export async function resolveConversation(input: { shopId: string; conversationId: string }, within?: Transaction) {
  const work = async (tx: Transaction) => {
    const conversation = await loadOwned(tx, input.shopId, input.conversationId);
    if (conversation.status !== "open") return conversation;
    const resolvedAt = new Date();
    const updated = await tx.conversation.update({
      where: { id: conversation.id },
      data: { status: "resolved", resolvedAt },
    });
    const from = conversation.reopenedAt ?? conversation.startedAt;
    await emit(tx, input.shopId, conversation.shopper, {
      kind: "resolved",
      conversationId: conversation.id,
      channel: conversation.channel,
      skill: conversation.skill,
      tags: conversation.tags,
      resolutionTimeSeconds: Math.max(0, Math.round((resolvedAt.getTime() - from.getTime()) / 1000)),
      occurredAt: resolvedAt,
      shopper: identityOf(conversation.shopper),
    });
    return updated;
  };
  return within ? work(within) : db().$transaction(work);
}

/** Staff close a conversation in the admin: it leaves the inbox, and Klaviyo hears nothing (no AI resolution). */
export async function closeConversation(input: { shopId: string; conversationId: string }) {
  return db().$transaction(async (tx) => {
    const conversation = await loadOwned(tx, input.shopId, input.conversationId);
    if (conversation.status === "closed") return conversation;
    return tx.conversation.update({ where: { id: conversation.id }, data: { status: "closed" } });
  });
}

export async function classifyConversation(input: { shopId: string; conversationId: string; skill?: string | null; tags?: string[] }) {
  return db().$transaction(async (tx) => {
    await loadOwned(tx, input.shopId, input.conversationId);
    return tx.conversation.update({
      where: { id: input.conversationId },
      data: {
        ...(input.skill !== undefined ? { skill: input.skill } : {}),
        ...(input.tags ? { tags: [...new Set(input.tags.map((tag) => tag.trim()).filter(Boolean))] } : {}),
      },
    });
  });
}

/** The one way to record a recommendation: the snapshot, and Received Product Recommendation in the same transaction. */
export async function recordRecommendation(
  input: { shopId: string; conversationId: string; products: RecommendedProduct[] },
  within?: Transaction,
) {
  if (input.products.length === 0) throw new RangeError("A recommendation needs at least one product");
  const work = async (tx: Transaction) => {
    const conversation = await loadOwned(tx, input.shopId, input.conversationId);
    const recommendedAt = new Date();
    const recommendation = await tx.productRecommendation.create({
      data: {
        shopId: input.shopId,
        conversationId: conversation.id,
        shopperId: conversation.shopperId,
        products: input.products.map((product) => ({ ...product })),
        recommendedAt,
      },
    });
    await scheduleRecommendationCheck(tx, recommendation);
    await emit(tx, input.shopId, conversation.shopper, {
      kind: "recommended",
      conversationId: conversation.id,
      recommendationId: recommendation.id,
      channel: conversation.channel,
      products: input.products,
      occurredAt: recommendedAt,
      shopper: identityOf(conversation.shopper),
    });
    return recommendation;
  };
  return within ? work(within) : db().$transaction(work);
}
