import { startClaimLoop } from "../jobs/claim-loop.server";
import type { Channel, MessageAuthor } from "@prisma/client";
import { pool, type Sql } from "../db.server";
import { PRESENT_INSTANCES, type InstancePresence } from "../jobs/instance-presence.server";
import { logger } from "../logger.server";
import {
  CHANNEL_POLICIES,
  ChannelSendError,
  isMessagingChannel,
  ReplyWindowClosedError,
  ShopperOptedOutError,
  type MessagingChannel,
  type OutboundChannelMessage,
} from "./channel";
import { isOptedOut } from "./opt-outs.server";
import { shortenProductLinks, splitIntoParts } from "./parts";
import { CHANNEL_SENDERS } from "./senders.server";
import { CHANNEL_STRINGS } from "./strings";
import type { TwilioTemplate } from "./twilio/client.server";
import type { TemplateDetails } from "./twilio/sender.server";

/** A claimed part not finished in this long is taken to have died with its instance, and is claimed again. */
export const SEND_LEASE_SECONDS = 120;
/** The first try and seven retries, 1 s doubling (about two minutes in all) before a part is marked failed. */
export const MAX_SEND_ATTEMPTS = 8;
const FIRST_RETRY_SECONDS = 1;
const MAX_RETRY_SECONDS = 600;
const IDLE_POLL_MS = 250;

const wakers = new Set<() => void>();

/** Called after parts are queued: this instance's worker looks now instead of at its next poll. */
export function wakeChannelSenders() {
  for (const wake of wakers) setTimeout(wake, 10);
}

export interface ChannelReply {
  shopId: string;
  conversationId: string;
  messageId: string;
  author: Extract<MessageAuthor, "agent" | "staff">;
  body: string;
}

/**
 * What became of a reply: queued to go out now, or (a WhatsApp staff reply after the 24-hour window, with the
 * shop's re-engagement template set) held until the shopper answers, the template sent now or already sent for this
 * closed window.
 */
export type ReplyDelivery = "queued" | "waiting-template-sent" | "waiting";

/**
 * Queues a reply stored on a channel conversation, inside the reply's transaction, so the reply exists exactly when
 * its parts are queued. A staff reply the channel cannot carry is refused with a named error (the caller's
 * transaction rolls back and staff see why): the shopper opted out, or WhatsApp's customer-service window has
 * closed and the shop has no re-engagement template. With one, the reply's parts wait (status `waiting`) and the
 * template goes out instead, once per closed window; the shopper's next message releases them
 * (`releaseWaitingReplies`). An agent reply in those cases is simply not sent (it answers a message that just
 * arrived, so the window is open; an opted-out shopper gets no agent turn at all). Web chat conversations queue
 * nothing.
 */
export async function queueChannelReply(sql: Sql, reply: ChannelReply): Promise<{ queued: number; delivery: ReplyDelivery }> {
  const [conversation] = await sql.query<{ channel: Channel; channelAddress: string | null; email: string | null; phone: string | null; lastShopperMessageAtMs: number | null }>(
    `SELECT c.channel, c."channelAddress", s.email, s.phone,
            (SELECT EXTRACT(EPOCH FROM max(m."createdAt")) * 1000 FROM "Message" m WHERE m."conversationId" = c.id AND m.author = 'shopper')::float8 AS "lastShopperMessageAtMs"
       FROM "Conversation" c JOIN "Shopper" s ON s.id = c."shopperId" WHERE c.id = $1 AND c."shopId" = $2`,
    [reply.conversationId, reply.shopId],
  );
  if (!conversation || !isMessagingChannel(conversation.channel)) return { queued: 0, delivery: "queued" };
  const channel = conversation.channel;
  // A conversation started outside a channel's route (a seed, an import) has no address of its own: the shopper's.
  const recipient = conversation.channelAddress ?? (CHANNEL_POLICIES[channel].addressKind === "email" ? conversation.email : conversation.phone);
  if (!recipient) throw new Error(`Conversation ${reply.conversationId} on ${channel} has no shopper address`);
  const staff = reply.author === "staff";
  if (CHANNEL_POLICIES[channel].optOutKeywords && (await isOptedOut(sql, reply.shopId, channel, recipient))) {
    if (staff) throw new ShopperOptedOutError(CHANNEL_STRINGS.optedOut(channel));
    return { queued: 0, delivery: "queued" };
  }
  const parts = { shopId: reply.shopId, conversationId: reply.conversationId, messageId: reply.messageId, channel, recipient, body: reply.body };
  const windowHours = CHANNEL_POLICIES[channel].replyWindowHours;
  if (windowHours !== null) {
    const last = conversation.lastShopperMessageAtMs;
    if (last === null || Date.now() - Number(last) > windowHours * 3_600_000) {
      if (!staff) return { queued: 0, delivery: "queued" };
      const template = await reengagementTemplate(sql, reply.shopId);
      if (!template) throw new ReplyWindowClosedError(CHANNEL_STRINGS.replyWindowClosed(channel, windowHours));
      const templateSent = await queueReengagementTemplate(sql, { ...parts, template, lastShopperMessageAtMs: last === null ? 0 : Number(last) });
      const queued = await insertParts(sql, { ...parts, status: "waiting" });
      wakeChannelSenders();
      return { queued, delivery: templateSent ? "waiting-template-sent" : "waiting" };
    }
  }
  const queued = await insertParts(sql, parts);
  wakeChannelSenders();
  return { queued, delivery: "queued" };
}

/** The shop's re-engagement template with its variables filled in, or null when the merchant set none. */
async function reengagementTemplate(sql: Sql, shopId: string): Promise<TwilioTemplate | null> {
  const [row] = await sql.query<{ contentSid: string | null; shopNameVariable: string | null; shopName: string }>(
    `SELECT c."whatsappTemplateSid" AS "contentSid", c."whatsappTemplateShopNameVariable" AS "shopNameVariable", COALESCE(s.name, s.domain) AS "shopName"
       FROM "Shop" s LEFT JOIN "ShopChannelSettings" c ON c."shopId" = s.id WHERE s.id = $1`,
    [shopId],
  );
  if (!row?.contentSid) return null;
  return { contentSid: row.contentSid, contentVariables: row.shopNameVariable ? { [row.shopNameVariable]: row.shopName } : {} };
}

/**
 * Queues the template that asks the shopper to write again, unless one already went out (or is on its way) to them
 * since their last message: a second staff reply in the same closed window just waits with the first. The
 * conversation is locked so two replies at once send one template.
 */
async function queueReengagementTemplate(
  sql: Sql,
  input: { shopId: string; conversationId: string; channel: MessagingChannel; recipient: string; template: TwilioTemplate; lastShopperMessageAtMs: number },
): Promise<boolean> {
  await sql.query(`SELECT id FROM "Conversation" WHERE id = $1 FOR UPDATE`, [input.conversationId]);
  const [already] = await sql.query<{ id: string }>(
    `SELECT id FROM "ChannelMessage"
      WHERE "shopId" = $1 AND channel = $2::"Channel" AND recipient = $3 AND details ? 'whatsappTemplate' AND status <> 'failed'
        AND "createdAt" > to_timestamp($4::float8 / 1000) AT TIME ZONE 'UTC'
      LIMIT 1`,
    [input.shopId, input.channel, input.recipient, input.lastShopperMessageAtMs],
  );
  if (already) return false;
  const details: TemplateDetails = { whatsappTemplate: input.template };
  await sql.execute(
    `INSERT INTO "ChannelMessage" (id, "shopId", "conversationId", "messageId", part, channel, recipient, body, details, "nextAttemptAt", "createdAt", "updatedAt")
     VALUES (gen_random_uuid()::text, $1, $2, NULL, 0, $3::"Channel", $4, $5, $6::jsonb, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')`,
    [input.shopId, input.conversationId, input.channel, input.recipient, CHANNEL_STRINGS.reengagementTemplateSent(input.template.contentSid), JSON.stringify(details)],
  );
  return true;
}

/**
 * The shopper wrote on WhatsApp, so the window is open again: the staff replies held for them go out, in the order
 * they were written, ahead of the agent's answer to this message (queued later). Runs in the inbound message's
 * transaction, which commits with the message's receipt, so a repeated delivery of the same message releases nothing
 * twice, and a released part is pending like any other (retries, status callbacks).
 */
export async function releaseWaitingReplies(sql: Sql, shopId: string, channel: MessagingChannel, recipient: string): Promise<number> {
  const released = await sql.query<{ id: string }>(
    `UPDATE "ChannelMessage" SET status = 'pending', "nextAttemptAt" = now() AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
      WHERE "shopId" = $1 AND channel = $2::"Channel" AND recipient = $3 AND status = 'waiting'
  RETURNING id`,
    [shopId, channel, recipient],
  );
  if (released.length > 0) wakeChannelSenders();
  return released.length;
}

/** An answer that belongs to no conversation (the HELP text, the START confirmation), through the same queue. */
export async function queueKeywordAnswer(sql: Sql, input: { shopId: string; channel: MessagingChannel; recipient: string; body: string }) {
  await insertParts(sql, { ...input, conversationId: null, messageId: null });
  wakeChannelSenders();
}

async function insertParts(
  sql: Sql,
  input: { shopId: string; conversationId: string | null; messageId: string | null; channel: MessagingChannel; recipient: string; body: string; status?: "pending" | "waiting" },
): Promise<number> {
  const text = input.channel === "email" ? input.body : shortenProductLinks(input.body);
  const parts = splitIntoParts(text, CHANNEL_POLICIES[input.channel].maxPartLength);
  if (parts.length === 0) return 0;
  await sql.execute(
    `INSERT INTO "ChannelMessage" (id, "shopId", "conversationId", "messageId", part, channel, recipient, body, status, "nextAttemptAt", "createdAt", "updatedAt")
     SELECT gen_random_uuid()::text, $1, $2, $3, p.ord - 1, $4::"Channel", $5, p.body, $7::"ChannelMessageStatus", now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
       FROM unnest($6::text[]) WITH ORDINALITY AS p(body, ord)
     ON CONFLICT ("messageId", part) DO NOTHING`,
    [input.shopId, input.conversationId, input.messageId, input.channel, input.recipient, parts, input.status ?? "pending"],
  );
  return parts.length;
}

/**
 * Claims up to `limit` due parts in one statement, as the webhook queue does (ADR 005): SKIP LOCKED lets every
 * instance claim at once, and moving `nextAttemptAt` a lease ahead takes a row out of everyone's "due" until its
 * outcome is recorded, the lease lapses, or the claiming instance is gone from PostgreSQL. A part waits while an
 * earlier part of the same reply is still unsent, so a split reply arrives in order.
 */
export async function claimDueParts(limit: number, claimedBy: string): Promise<OutboundChannelMessage[]> {
  const { rows } = await pool().query<OutboundChannelMessage & { createdAt: Date }>(
    `UPDATE "ChannelMessage" AS m
        SET attempts = m.attempts + 1,
            "nextAttemptAt" = now() AT TIME ZONE 'UTC' + make_interval(secs => $2),
            "claimedBy" = $3, "updatedAt" = now() AT TIME ZONE 'UTC'
       FROM (SELECT q.id FROM "ChannelMessage" q
              WHERE q.status = 'pending'
                AND (q."nextAttemptAt" <= now() AT TIME ZONE 'UTC' OR NOT (q."claimedBy" = ANY (${PRESENT_INSTANCES})))
                AND NOT EXISTS (SELECT 1 FROM "ChannelMessage" e WHERE e."messageId" = q."messageId" AND e.part < q.part AND e.status = 'pending')
              ORDER BY q."nextAttemptAt"
              LIMIT $1
              FOR UPDATE SKIP LOCKED) AS due, "Shop" s
      WHERE m.id = due.id AND s.id = m."shopId"
  RETURNING m.id, m."shopId", s.domain AS "shopDomain", m."conversationId", m."messageId", m.part, m.channel, m.recipient, m.body, m.details, m.attempts, m."createdAt"`,
    [limit, SEND_LEASE_SECONDS, claimedBy],
  );
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.part - b.part).map(({ createdAt: _createdAt, ...part }) => part);
}

/** Seconds before the next try after `attempts` failed ones: 1, 2, 4, … up to ten minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}

/** Sends one claimed part and records the outcome on its row. */
export async function sendPart(part: OutboundChannelMessage): Promise<void> {
  try {
    const sent = await CHANNEL_SENDERS[part.channel].send(part);
    await pool().query(
      `UPDATE "ChannelMessage" SET status = 'sent', "providerMessageId" = $2, "providerStatus" = $3, "sentAt" = now() AT TIME ZONE 'UTC',
              "lastError" = NULL, "claimedBy" = NULL, "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE id = $1`,
      [part.id, sent.providerMessageId, sent.providerStatus],
    );
  } catch (error) {
    const temporary = !(error instanceof ChannelSendError) || error.temporary;
    const lastError = error instanceof Error ? error.message : String(error);
    const giveUp = !temporary || part.attempts >= MAX_SEND_ATTEMPTS;
    if (!(error instanceof ChannelSendError)) logger().warn({ source: "channels", channelMessageId: part.id, err: error }, "sending a channel message failed");
    await pool().query(
      `UPDATE "ChannelMessage" SET status = CASE WHEN $2 THEN 'failed'::"ChannelMessageStatus" ELSE 'pending'::"ChannelMessageStatus" END,
              "nextAttemptAt" = now() AT TIME ZONE 'UTC' + make_interval(secs => $3), "lastError" = $4, "claimedBy" = NULL,
              "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE id = $1`,
      [part.id, giveUp, retryDelaySeconds(part.attempts), lastError.slice(0, 1000)],
    );
  }
}

export interface ChannelSenderWorker {
  stop(): Promise<void>;
}

/**
 * This instance's outbound sending: claims due parts in batches and sends them one after another (a reply's parts in
 * order). Stopping lets the part in hand finish.
 */
export function startChannelSenderWorker(presence: InstancePresence, options: { batchSize?: number } = {}): ChannelSenderWorker {
  const batchSize = options.batchSize ?? 20;
  const loop = startClaimLoop({
    presence,
    source: "channels",
    idlePollMs: IDLE_POLL_MS,
    claim: (claimedBy) => claimDueParts(batchSize, claimedBy),
    work: async (claimed) => {
      for (const part of claimed) await sendPart(part);
    },
  });
  wakers.add(loop.wake);
  return {
    async stop() {
      wakers.delete(loop.wake);
      await loop.stop();
    },
  };
}
