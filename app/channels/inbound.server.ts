import { answerShopperMessage } from "../agent/shopper-turns.server";
import { MAX_MESSAGE_LENGTH, receiveShopperMessage, type ReceivedMessage, type ShopperMessageInput } from "../conversations/shopper-messages.server";
import { pool, sqlOf, withTransaction, type Sql } from "../db.server";
import type { ShopperClaims } from "../identity/identity.server";
import { normalizeEmail, normalizePhone } from "../identity/normalize";
import type { InstalledShop } from "../shops/shops.server";
import { CHANNEL_POLICIES, type InboundChannelMessage, type MessagingChannel } from "./channel";
import { clearOptOut, isOptedOut, isOptedOutNow, optOutKeyword, recordOptOut } from "./opt-outs.server";
import { queueKeywordAnswer, releaseWaitingReplies } from "./outbound.server";
import { alreadyReceived, lostToSameDelivery, recordReceipt } from "./receipts.server";
import { CHANNEL_STRINGS } from "./strings";

export class UnreadableSenderError extends Error {
  override name = "UnreadableSenderError";
}

export type ReceivedChannelMessage =
  | { outcome: "answered" | "stored-opted-out"; conversationId: string; messageId: string }
  | { outcome: "opted-out" | "opted-in" | "help" }
  /** The provider delivered this message before (same provider message id): nothing was done again. */
  | { outcome: "duplicate" };

/** A message whose last one on this channel is older than this starts a new conversation. */
const CONVERSATION_IDLE_DAYS = 7;

/**
 * One message from a channel's provider, after its route verified it (app/channels/channel.ts explains the flow):
 * the keywords STOP/START/HELP where the channel has them; otherwise the shopper (found by the sender's address, a
 * verified channel identifier), their conversation on this channel (continued while it is not closed and was active
 * in the last week, else a new one), the message, and the agent's turn, whose reply goes out through the outbound
 * queue, after any staff replies that were waiting for the shopper to reopen WhatsApp's window. A shopper who opted
 * out still reaches the shop: the message is stored for staff, the agent does not answer, nothing waiting is sent.
 * A message with a provider id is received once: its receipt commits with what it did, so a repeated delivery, even
 * one racing the first on another instance, is a "duplicate" and stores, queues and sends nothing.
 */
export async function receiveChannelMessage(
  shop: InstalledShop,
  inbound: InboundChannelMessage,
  /** The channel's own part of the message's commit (email records the message's Message-ID for threading). */
  alsoInTransaction?: (sql: Sql, received: ReceivedMessage) => Promise<void>,
): Promise<ReceivedChannelMessage> {
  const { providerMessageId } = inbound;
  if (!providerMessageId) return receiveOnce(shop, inbound, undefined, alsoInTransaction);
  if (await alreadyReceived(shop.id, providerMessageId)) return { outcome: "duplicate" };
  try {
    return await receiveOnce(shop, inbound, (sql) => recordReceipt(sql, shop.id, inbound.channel, providerMessageId), alsoInTransaction);
  } catch (error) {
    if (await lostToSameDelivery(error, shop.id, providerMessageId)) return { outcome: "duplicate" };
    throw error;
  }
}

async function receiveOnce(
  shop: InstalledShop,
  inbound: InboundChannelMessage,
  /** Records the provider's id for the message, in the transaction of what the message does. */
  receipt: ((sql: Sql) => Promise<void>) | undefined,
  alsoInTransaction?: (sql: Sql, received: ReceivedMessage) => Promise<void>,
): Promise<ReceivedChannelMessage> {
  const policy = CHANNEL_POLICIES[inbound.channel];
  const address = policy.addressKind === "email" ? normalizeEmail(inbound.sender) : normalizePhone(inbound.sender, shop.countryCode);
  if (!address) throw new UnreadableSenderError(`The sender "${inbound.sender}" is not a ${policy.addressKind === "email" ? "valid email address" : "phone number"}`);
  const body = Array.from(inbound.body.trim()).slice(0, MAX_MESSAGE_LENGTH).join("");

  if (policy.optOutKeywords) {
    const keyword = optOutKeyword(body);
    if (keyword) {
      await answerKeyword(shop.id, inbound.channel, address, keyword, receipt);
      return { outcome: keyword === "stop" ? "opted-out" : keyword === "start" ? "opted-in" : "help" };
    }
  }

  const input: ShopperMessageInput = {
    shopId: shop.id,
    channel: inbound.channel,
    shopper: await senderClaims(shop.id, policy.addressKind, address),
    body,
    defaultCountry: shop.countryCode,
    // A channel that threads (email's In-Reply-To) says which conversation continues, or null for a new one.
    ...(inbound.conversationId !== undefined
      ? inbound.conversationId ? { conversationId: inbound.conversationId } : {}
      : await continuedConversation(shop.id, inbound.channel, address)),
  };
  const rememberAddress = async (sql: Sql, received: ReceivedMessage) => {
    await sql.execute(`UPDATE "Conversation" SET "channelAddress" = $2 WHERE id = $1`, [received.conversationId, address]);
    await receipt?.(sql);
    await alsoInTransaction?.(sql, received);
  };
  if (policy.optOutKeywords && (await isOptedOutNow(shop.id, inbound.channel, address))) {
    const received = await receiveShopperMessage(input, rememberAddress);
    return { outcome: "stored-opted-out", conversationId: received.conversationId, messageId: received.messageId };
  }
  const received = await answerShopperMessage(shop, input, async (sql, message) => {
    await rememberAddress(sql, message);
    // The shopper's message reopens WhatsApp's window: staff replies held for it go out before the agent's answer.
    if (policy.replyWindowHours !== null) await releaseWaitingReplies(sql, shop.id, inbound.channel, address);
  });
  return { outcome: "answered", conversationId: received.conversationId, messageId: received.messageId };
}

/**
 * The sender's address is a key (it finds the shopper). A channel has no storefront consent banner: a shopper who
 * writes to the shop is taken to agree that the conversation is recorded with Klaviyo, unless the same address
 * belongs to a shopper who declined on the storefront, whose decision stands (ADR 009).
 */
async function senderClaims(shopId: string, kind: "email" | "phone", address: string): Promise<ShopperClaims> {
  const { rows } = await pool().query<{ analyticsConsent: boolean | null; marketingConsent: boolean | null }>(
    `SELECT s."analyticsConsent", s."marketingConsent" FROM "ShopperIdentifier" i JOIN "Shopper" s ON s.id = i."shopperId"
      WHERE i."shopId" = $1 AND i.kind = $2::"ShopperIdentifierKind" AND i.value = $3`,
    [shopId, kind, address],
  );
  const declined = rows[0]?.analyticsConsent === false || rows[0]?.marketingConsent === false;
  return {
    sender: kind === "email" ? { email: address } : { phone: address },
    ...(declined ? {} : { consent: { analytics: true, marketing: true } }),
  };
}

async function continuedConversation(shopId: string, channel: MessagingChannel, address: string): Promise<{ conversationId?: string }> {
  const { rows } = await pool().query<{ id: string }>(
    `SELECT id FROM "Conversation"
      WHERE "shopId" = $1 AND channel = $2::"Channel" AND "channelAddress" = $3 AND status <> 'closed'
        AND "lastMessageAt" > now() AT TIME ZONE 'UTC' - make_interval(days => $4)
      ORDER BY "lastMessageAt" DESC LIMIT 1`,
    [shopId, channel, address, CONVERSATION_IDLE_DAYS],
  );
  return rows[0] ? { conversationId: rows[0].id } : {};
}

async function answerKeyword(shopId: string, channel: MessagingChannel, address: string, keyword: "stop" | "start" | "help", receipt: ((sql: Sql) => Promise<void>) | undefined) {
  await withTransaction(async (client) => {
    const sql = sqlOf(client);
    await receipt?.(sql);
    if (keyword === "stop") return recordOptOut(sql, shopId, channel, address);
    const [shop] = await sql.query<{ name: string | null; domain: string }>(`SELECT name, domain FROM "Shop" WHERE id = $1`, [shopId]);
    const shopName = shop?.name ?? shop?.domain ?? "";
    if (keyword === "start") await clearOptOut(sql, shopId, channel, address);
    else if (await isOptedOut(sql, shopId, channel, address)) return;
    const body = keyword === "start" ? CHANNEL_STRINGS.startAnswer(shopName) : CHANNEL_STRINGS.helpAnswer(shopName);
    await queueKeywordAnswer(sql, { shopId, channel, recipient: address, body });
  });
}
