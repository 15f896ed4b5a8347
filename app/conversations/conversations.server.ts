import type { Channel, Conversation, ConversationStatus, Message, Shopper } from "@prisma/client";
import { queueChannelReply, type ReplyDelivery } from "../channels/outbound.server";
import { db, sqlOf, withTransaction, type Sql, type Transaction } from "../db.server";
import { mayShareWithKlaviyo } from "../identity/identity.server";
import { ConversationNotFoundError } from "./shopper-messages.server";
import type { ConversationFact, RecommendedProduct, ShopperIdentity } from "../klaviyo/events";
import { recordKlaviyoEvent, recordProfileUpdate } from "../klaviyo/outbox.server";
import { scheduleRecommendationCheck } from "../orders/recommendation-outcome.server";
import { readShopSettings } from "../settings/settings.server";

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
export async function emit(tx: Transaction | Sql, shopId: string, shopper: Pick<Shopper, "analyticsConsent" | "marketingConsent">, fact: ConversationFact) {
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

/**
 * A reply typed by staff in the admin. On email, SMS and WhatsApp it is queued for the channel in the same
 * transaction; a reply the channel cannot carry (ReplyWindowClosedError, ShopperOptedOutError) stores nothing. A
 * WhatsApp reply after the 24-hour window, with a re-engagement template set, is stored and waits for the shopper's
 * answer (`delivery` says so).
 */
export async function addStaffReply(shopId: string, conversationId: string, body: string): Promise<{ message: Message; delivery: ReplyDelivery }> {
  return db().$transaction(async (tx) => {
    const conversation = await loadOwned(tx, shopId, conversationId);
    const now = new Date();
    await tx.conversation.update({ where: { id: conversationId }, data: { lastMessageAt: now } });
    const message = await tx.message.create({ data: { conversationId, author: "staff", body, createdAt: now } });
    if (conversation.channel === "web_chat") return { message, delivery: "queued" as const };
    const { delivery } = await queueChannelReply(sqlOf(tx), { shopId, conversationId, messageId: message.id, author: "staff", body });
    return { message, delivery };
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

/** A conversation locked for a change, with what its Klaviyo facts need: read in one statement on the turn path. */
export interface LockedConversation {
  id: string;
  shopId: string;
  shopperId: string;
  channel: Channel;
  status: ConversationStatus;
  skill: string | null;
  tags: string[];
  startedAt: Date;
  reopenedAt: Date | null;
  shopSettings: unknown;
  shopper: ShopperIdentity & Pick<Shopper, "analyticsConsent" | "marketingConsent">;
}

const LOCK_CONVERSATION = `
  SELECT c.id, c."shopId", c."shopperId", c.channel, c.status, c.skill, c.tags,
         (EXTRACT(EPOCH FROM c."startedAt") * 1000)::float8 AS "startedAtMs", (EXTRACT(EPOCH FROM c."reopenedAt") * 1000)::float8 AS "reopenedAtMs",
         s."anonymousId", s.email, s.phone, s."shopifyCustomerId", s."klaviyoExchangeId", s."analyticsConsent", s."marketingConsent",
         sh.settings AS "shopSettings"
  FROM "Conversation" c JOIN "Shopper" s ON s.id = c."shopperId" JOIN "Shop" sh ON sh.id = c."shopId"
  WHERE c.id = $1 AND c."shopId" = $2
  FOR UPDATE OF c`;

/** Locks the shop's conversation for the caller's transaction (one change at a time per conversation). */
export async function lockConversation(sql: Sql, shopId: string, conversationId: string): Promise<LockedConversation> {
  const [row] = await sql.query<Record<string, unknown>>(LOCK_CONVERSATION, [conversationId, shopId]);
  if (!row) throw new ConversationNotFoundError(`Conversation ${conversationId} not found`);
  return {
    id: row.id as string,
    shopId: row.shopId as string,
    shopperId: row.shopperId as string,
    channel: row.channel as Channel,
    status: row.status as ConversationStatus,
    skill: row.skill as string | null,
    tags: (row.tags as string[] | null) ?? [],
    startedAt: new Date(row.startedAtMs as number),
    reopenedAt: row.reopenedAtMs === null ? null : new Date(row.reopenedAtMs as number),
    shopSettings: row.shopSettings,
    shopper: {
      anonymousId: row.anonymousId as string | null,
      email: row.email as string | null,
      phone: row.phone as string | null,
      shopifyCustomerId: row.shopifyCustomerId as string | null,
      klaviyoExchangeId: row.klaviyoExchangeId as string | null,
      analyticsConsent: row.analyticsConsent as boolean | null,
      marketingConsent: row.marketingConsent as boolean | null,
    },
  };
}

function inTransaction<T>(within: Transaction | Sql | undefined, work: (sql: Sql) => Promise<T>): Promise<T> {
  return within ? work(sqlOf(within)) : withTransaction((client) => work(sqlOf(client)));
}

/**
 * The agent resolved the conversation without a person: the shopper confirmed, or went quiet after a good answer.
 * Never for an escalated conversation (a person handled it); Resolution Time Seconds counts from the first
 * message, or from the message that reopened it.
 */
export async function resolveConversation(input: { shopId: string; conversationId: string }, within?: Transaction | Sql) {
  return inTransaction(within, async (sql) => {
    const conversation = await lockConversation(sql, input.shopId, input.conversationId);
    if (conversation.status !== "open") return { ...conversation, resolved: false };
    const resolvedAt = new Date();
    await sql.execute(
      `UPDATE "Conversation" SET status = 'resolved', "resolvedAt" = to_timestamp($2::float8 / 1000) AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC' WHERE id = $1`,
      [conversation.id, resolvedAt.getTime()],
    );
    const from = conversation.reopenedAt ?? conversation.startedAt;
    await emit(sql, input.shopId, conversation.shopper, {
      kind: "resolved",
      conversationId: conversation.id,
      channel: conversation.channel,
      skill: conversation.skill,
      tags: conversation.tags,
      resolutionTimeSeconds: Math.max(0, Math.round((resolvedAt.getTime() - from.getTime()) / 1000)),
      occurredAt: resolvedAt,
      shopper: identityOf(conversation.shopper),
    });
    return { ...conversation, status: "resolved" as const, resolved: true };
  });
}

/**
 * Staff close a conversation in the admin: it leaves the inbox, and Klaviyo hears no Conversation Resolved (no AI
 * resolution). Closing an escalated one clears the shopper's Open Escalation profile property, so flows paused
 * for a shopper waiting on support resume.
 */
export async function closeConversation(input: { shopId: string; conversationId: string }) {
  return db().$transaction(async (tx) => {
    const conversation = await loadOwned(tx, input.shopId, input.conversationId);
    if (conversation.status === "closed") return conversation;
    const closed = await tx.conversation.update({ where: { id: conversation.id }, data: { status: "closed" } });
    if (conversation.status === "escalated" && mayShareWithKlaviyo(conversation.shopper)) {
      await recordProfileUpdate(tx, input.shopId, identityOf(conversation.shopper), { kind: "escalation_closed", conversationId: conversation.id, occurredAt: new Date() }, conversation.id);
    }
    return closed;
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

/** The one way to record a recommendation: the snapshot, its delayed check, and Received Product Recommendation, in one transaction. */
export async function recordRecommendation(
  input: { shopId: string; conversationId: string; products: RecommendedProduct[] },
  within?: Transaction | Sql,
) {
  if (input.products.length === 0) throw new RangeError("A recommendation needs at least one product");
  return inTransaction(within, async (sql) => {
    const conversation = await lockConversation(sql, input.shopId, input.conversationId);
    const recommendedAt = new Date();
    const { recommendationWindowHours } = readShopSettings(conversation.shopSettings);
    const [recommendation] = await sql.query<{ id: string }>(
      `INSERT INTO "ProductRecommendation" (id, "shopId", "conversationId", "shopperId", products, "recommendedAt", "windowHours")
       VALUES (gen_random_uuid()::text, $1, $2, $3, $4::jsonb, to_timestamp($5::float8 / 1000) AT TIME ZONE 'UTC', $6)
       RETURNING id`,
      [input.shopId, conversation.id, conversation.shopperId, JSON.stringify(input.products), recommendedAt.getTime(), recommendationWindowHours],
    );
    const recommendationId = recommendation!.id;
    await scheduleRecommendationCheck(sql, { id: recommendationId, recommendedAt, windowHours: recommendationWindowHours });
    await emit(sql, input.shopId, conversation.shopper, {
      kind: "recommended",
      conversationId: conversation.id,
      recommendationId,
      channel: conversation.channel,
      products: input.products,
      occurredAt: recommendedAt,
      shopper: identityOf(conversation.shopper),
    });
    return { id: recommendationId, shopId: input.shopId, conversationId: conversation.id, shopperId: conversation.shopperId, recommendedAt, windowHours: recommendationWindowHours };
  });
}
