import type { Channel } from "@prisma/client";

/*
 * How a channel plugs in (web chat, email, SMS, WhatsApp are the four; web chat is the widget's own path,
 * app/storefront, and needs none of this):
 *
 * 1. Inbound: the channel's route verifies the provider's request (Twilio's X-Twilio-Signature, the email
 *    provider's basic auth or secret path), parses it, and hands an `InboundChannelMessage` (shop, channel, the
 *    sender's address as the provider reported it: email address or phone number, the text) to
 *    `receiveChannelMessage` (app/channels/inbound.server.ts). That normalises the address (app/identity, the one
 *    normaliser), answers the opt-out keywords where the channel has them, finds the shopper by the address (a
 *    verified channel identifier), continues their conversation on that channel or starts one, and runs the
 *    agent's turn exactly as web chat does (`answerShopperMessage`).
 * 2. Outbound: every reply stored on a channel conversation, the agent's (`storeAgentReply`) and staff's
 *    (`addStaffReply`), is written to the outbound queue (`ChannelMessage` rows, app/channels/outbound.server.ts)
 *    in the reply's own transaction by `queueChannelReply`, which also refuses a staff reply the channel cannot
 *    carry (opted out, WhatsApp's 24-hour window closed without a re-engagement template) with a named error. With
 *    a template set, the template is queued instead and the staff reply waits (status `waiting`) until the
 *    shopper's next message releases it (`releaseWaitingReplies`). Each instance's queue worker hands
 *    due rows to the `ChannelSender` registered for their channel in `CHANNEL_SENDERS`
 *    (app/channels/senders.server.ts) and records the outcome: sent, retried later, or failed.
 * 3. `CHANNEL_POLICIES` below says, per channel, how long one outbound part may be, whether a reply window
 *    applies and whether opt-out keywords do.
 *
 * A new channel: add its policy here, its sender to CHANNEL_SENDERS, and a route that verifies and parses its
 * provider's webhook and calls receiveChannelMessage.
 */

/** The channels that come through a provider (everything but the widget). */
export type MessagingChannel = Exclude<Channel, "web_chat">;

export const MESSAGING_CHANNELS = ["email", "sms", "whatsapp"] as const satisfies readonly MessagingChannel[];

export function isMessagingChannel(channel: Channel): channel is MessagingChannel {
  return channel !== "web_chat";
}

export interface ChannelPolicy {
  /** What kind of address the provider gives for the shopper. */
  addressKind: "email" | "phone";
  /** A reply longer than this is sent in parts, cut at paragraph, sentence or word boundaries. */
  maxPartLength: number;
  /** Free-form replies only this long after the shopper's last message (WhatsApp's customer-service window). */
  replyWindowHours: number | null;
  /** STOP/START/HELP are honoured (SMS and WhatsApp). */
  optOutKeywords: boolean;
}

export const CHANNEL_POLICIES: Record<MessagingChannel, ChannelPolicy> = {
  // Mail has no practical limit; the agent's messages are at most 4000 characters anyway.
  email: { addressKind: "email", maxPartLength: 100_000, replyWindowHours: null, optOutKeywords: false },
  // Twilio accepts 1600 characters but carriers deliver long concatenated texts badly; 320 (two segments of
  // 160 GSM characters) is Twilio's own recommendation for deliverability.
  sms: { addressKind: "phone", maxPartLength: 320, replyWindowHours: null, optOutKeywords: true },
  // Twilio's WhatsApp body limit is 1600 characters.
  whatsapp: { addressKind: "phone", maxPartLength: 1600, replyWindowHours: 24, optOutKeywords: true },
};

/** One message a provider delivered to the app, after its route verified the request. */
export interface InboundChannelMessage {
  shopId: string;
  channel: MessagingChannel;
  /** The sender as the provider reported it (an email address, a phone number); normalised on receipt. */
  sender: string;
  body: string;
  /**
   * For a channel that threads its messages (email: In-Reply-To and References): the conversation this message
   * continues, or null for a new one. Absent, the sender's recent conversation on the channel continues.
   */
  conversationId?: string | null;
  /**
   * The provider's id for this message (Twilio's MessageSid, an email's Message-ID). Given, a second delivery of the same id is answered
   * as a duplicate and does nothing (app/channels/receipts.server.ts).
   */
  providerMessageId?: string;
}

/** One queued part, as a sender gets it. */
export interface OutboundChannelMessage {
  id: string;
  shopId: string;
  shopDomain: string;
  conversationId: string | null;
  messageId: string | null;
  part: number;
  channel: MessagingChannel;
  /** The shopper's address: E.164 phone, email address. */
  recipient: string;
  body: string;
  /** What a sender needs beyond the body (email: subject, In-Reply-To, References). */
  details: Record<string, unknown>;
  /** 1 on the first try. */
  attempts: number;
}

export interface SentChannelMessage {
  /** The provider's id (Twilio's MessageSid), which its status callbacks name. */
  providerMessageId: string | null;
  providerStatus: string | null;
}

/** Sends one part through the channel's provider; throws a ChannelSendError saying whether to try again. */
export interface ChannelSender {
  send(message: OutboundChannelMessage): Promise<SentChannelMessage>;
}

/** A failed send. `temporary` (provider 5xx, 429, timeout, network) is retried; otherwise the part fails for good. */
export class ChannelSendError extends Error {
  override name = "ChannelSendError";
  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message);
  }
}

/**
 * A staff reply on a WhatsApp conversation after the 24-hour customer-service window, and the shop has no
 * re-engagement template to reopen it: WhatsApp would refuse the reply.
 */
export class ReplyWindowClosedError extends Error {
  override name = "ReplyWindowClosedError";
}

/** The shopper texted STOP on this channel: nothing may be sent to them there until they text START. */
export class ShopperOptedOutError extends Error {
  override name = "ShopperOptedOutError";
}
