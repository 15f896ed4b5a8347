import type { ChannelMessageStatus } from "@prisma/client";
import { en } from "../admin/strings/en";
import { pool, sqlOf, withTransaction } from "../db.server";
import { CHANNEL_POLICIES, type MessagingChannel } from "./channel";
import { isOptedOut } from "./opt-outs.server";
import { wakeChannelSenders } from "./outbound.server";

/** The Channels page shows this many of the newest outbound parts, and says so when there are more. */
export const OUTBOUND_LOG_LIMIT = 50;

export interface OutboundLogEntry {
  id: string;
  channel: MessagingChannel;
  recipient: string;
  conversationId: string | null;
  body: string;
  status: ChannelMessageStatus;
  attempts: number;
  providerStatus: string | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** The shop's outbound queue, newest first: every part of every reply, HELP/START answer included. */
export async function listOutboundLog(shopId: string, limit = OUTBOUND_LOG_LIMIT): Promise<{ messages: OutboundLogEntry[]; more: boolean }> {
  const { rows } = await pool().query<OutboundLogEntry>(
    `SELECT id, channel, recipient, "conversationId", body, status, attempts, "providerStatus", "lastError", "createdAt", "sentAt"
       FROM "ChannelMessage" WHERE "shopId" = $1
      ORDER BY "createdAt" DESC, part DESC, id DESC LIMIT $2`,
    [shopId, limit + 1],
  );
  return { messages: rows.slice(0, limit), more: rows.length > limit };
}

export type SendAgainResult = { ok: true; recipient: string } | { ok: false; status: 404 | 409; message: string };

/**
 * Queues a failed part again, due now and with a fresh set of attempts (the provider's old id and status cleared,
 * so a late callback about the failed try cannot touch it). Only a failed part: one still pending, sent or delivered
 * would go out twice. Refused, with the reason, when the channel would refuse it: the shopper texted STOP since,
 * or WhatsApp's reply window has closed.
 */
export async function sendFailedMessageAgain(shopId: string, channelMessageId: string): Promise<SendAgainResult> {
  const text = en.channelsPage.outbound;
  const result = await withTransaction(async (client): Promise<SendAgainResult> => {
    const sql = sqlOf(client);
    const [message] = await sql.query<{ status: ChannelMessageStatus; channel: MessagingChannel; recipient: string; isTemplate: boolean; lastShopperMessageAtMs: number | null }>(
      `SELECT m.status, m.channel, m.recipient, m.details ? 'whatsappTemplate' AS "isTemplate",
              (SELECT EXTRACT(EPOCH FROM max(s."createdAt")) * 1000 FROM "Message" s WHERE s."conversationId" = m."conversationId" AND s.author = 'shopper')::float8 AS "lastShopperMessageAtMs"
         FROM "ChannelMessage" m WHERE m.id = $1 AND m."shopId" = $2 FOR UPDATE OF m`,
      [channelMessageId, shopId],
    );
    if (!message) return { ok: false, status: 404, message: text.notFound };
    if (message.status !== "failed") return { ok: false, status: 409, message: text.notFailed(text.statuses[message.status]) };
    const policy = CHANNEL_POLICIES[message.channel];
    if (policy.optOutKeywords && (await isOptedOut(sql, shopId, message.channel, message.recipient))) return { ok: false, status: 409, message: text.optedOut(message.channel) };
    const windowHours = policy.replyWindowHours;
    // An approved template is what WhatsApp delivers outside the window.
    if (windowHours !== null && !message.isTemplate && message.lastShopperMessageAtMs !== null && Date.now() - Number(message.lastShopperMessageAtMs) > windowHours * 3_600_000) {
      return { ok: false, status: 409, message: text.windowClosed(message.channel, windowHours) };
    }
    await sql.execute(
      `UPDATE "ChannelMessage" SET status = 'pending', attempts = 0, "nextAttemptAt" = now() AT TIME ZONE 'UTC', "claimedBy" = NULL,
              "providerMessageId" = NULL, "providerStatus" = NULL, "lastError" = NULL, "sentAt" = NULL, "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE id = $1`,
      [channelMessageId],
    );
    return { ok: true, recipient: message.recipient };
  });
  if (result.ok) wakeChannelSenders();
  return result;
}
