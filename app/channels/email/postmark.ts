import { z } from "zod";
import { normalizeEmail } from "../../identity/normalize";
import { headerValue, messageIdsIn, type EmailHeaders } from "./headers";

/**
 * Postmark's inbound webhook JSON, the fields the channel reads (Postmark sends more: Cc, Bcc, Date,
 * Attachments, spam scores in Headers). Unknown fields are ignored; missing optional ones are empty.
 */
const address = z.object({ Email: z.string().max(320), Name: z.string().max(500).nullish() });
export const postmarkInbound = z.object({
  MessageID: z.string().min(1).max(200),
  From: z.string().max(320).nullish(),
  FromName: z.string().max(500).nullish(),
  FromFull: address.nullish(),
  To: z.string().max(10_000).nullish(),
  ToFull: z.array(address).max(100).nullish(),
  OriginalRecipient: z.string().max(320).nullish(),
  Subject: z.string().max(2000).nullish(),
  TextBody: z.string().max(1_000_000).nullish(),
  HtmlBody: z.string().max(5_000_000).nullish(),
  StrippedTextReply: z.string().max(1_000_000).nullish(),
  MailboxHash: z.string().max(200).nullish(),
  Headers: z.array(z.object({ Name: z.string().max(200), Value: z.string().max(20_000) })).max(500).nullish(),
});
export type PostmarkInbound = z.infer<typeof postmarkInbound>;

/** One inbound email as the channel works with it, whichever provider delivered it. */
export interface InboundEmail {
  /** The sender's address, normalised; null when the provider reported none that is an address. */
  from: string | null;
  fromName: string | null;
  /** Every recipient address, normalised. */
  to: string[];
  subject: string;
  /** The email's own Message-ID (with angle brackets): threads and makes a provider's retry a duplicate. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string | null;
  strippedTextReply: string | null;
  headers: EmailHeaders;
}

/**
 * Reads Postmark's payload. The email's Message-ID comes from its original headers; an email without one (rare,
 * malformed senders) gets one made of Postmark's id, so a redelivered webhook is still recognised.
 */
export function readPostmarkInbound(payload: PostmarkInbound): InboundEmail {
  const headers = payload.Headers ?? [];
  const messageId = messageIdsIn(headerValue(headers, "Message-ID"))[0] ?? `<${payload.MessageID}@inbound.postmarkapp.com>`;
  const recipients = payload.ToFull?.length ? payload.ToFull.map((recipient) => recipient.Email) : (payload.To ?? "").split(",");
  return {
    from: normalizeEmail(payload.FromFull?.Email ?? payload.From),
    fromName: payload.FromFull?.Name?.trim() || payload.FromName?.trim() || null,
    to: [...recipients, payload.OriginalRecipient ?? ""].map((recipient) => normalizeEmail(recipient.replace(/^.*<([^>]+)>.*$/, "$1"))).filter((email): email is string => Boolean(email)),
    subject: payload.Subject?.trim() ?? "",
    messageId,
    inReplyTo: messageIdsIn(headerValue(headers, "In-Reply-To"))[0] ?? null,
    references: messageIdsIn(headerValue(headers, "References")),
    text: payload.TextBody ?? "",
    html: payload.HtmlBody || null,
    strippedTextReply: payload.StrippedTextReply ?? null,
    headers,
  };
}
