import { simpleParser } from "mailparser";
import { ConversationFullError, RateLimitedError, takeMessageAllowance } from "../../abuse/limits.server";
import { ConversationNotFoundError } from "../../conversations/shopper-messages.server";
import { readJsonBody } from "../../http/body.server";
import { errorResponse, HttpError } from "../../http/errors";
import { normalizeEmail } from "../../identity/normalize";
import { logger } from "../../logger.server";
import { annotateRequest } from "../../operations/request-context.server";
import { findInstalledShop } from "../../shops/shops.server";
import { receiveChannelMessage, UnreadableSenderError } from "../inbound.server";
import { readChannelSettings } from "../settings.server";
import { automatedEmailReason, type AutomatedEmailReason } from "./auto-reply";
import { basicCredentials, credentialsMatch } from "./basic-auth";
import { addressedToAnotherShop, inboundEmailAddress } from "./inbound-address.server";
import { postmarkInbound, readPostmarkInbound, type InboundEmail } from "./postmark";
import { shopperReplyText } from "./reply-text";
import { alreadyReceived } from "../receipts.server";
import { recordThreadEmail, threadedConversation } from "./threads.server";
import { emailWebhookCredentials } from "./webhook-credentials.server";

/** Postmark posts up to 35 MB with attachments; the channel reads text only, so larger mail is refused before it is read. */
export const INBOUND_EMAIL_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export type InboundEmailOutcome =
  | { outcome: "answered"; conversationId: string; messageId: string; threaded: boolean }
  | { outcome: "ignored"; reason: AutomatedEmailReason | "no-sender" | "duplicate" | "empty" };

/**
 * The shop's inbound email webhook: authenticates the provider with the shop's Basic credentials (constant time;
 * an unknown shop answers as a wrong password does, 401 and nothing read), then reads Postmark's JSON. A machine's
 * mail (auto-reply, bounce, list, our own reply coming back) and a retried delivery are acknowledged with 200 and
 * nothing else happens, so the provider stops retrying and no loop starts. A sender over the shopper message limits
 * gets 429 (the provider retries later). Otherwise the shopper's words, without the quoted thread and signature,
 * go to the channel's common path: a reply to an email of ours continues that conversation, anything else starts one.
 */
export async function receiveInboundEmail(request: Request, shopDomain: string): Promise<InboundEmailOutcome> {
  const shop = await findInstalledShop(shopDomain);
  const settings = shop ? await readChannelSettings(shop.id) : null;
  const given = basicCredentials(request.headers.get("authorization"));
  // An unknown shop is compared against a throwaway token, so its answer takes as long as a wrong password's.
  const expected = emailWebhookCredentials(settings?.emailInboundToken ?? "no-such-shop");
  if (!credentialsMatch(given, expected) || !shop || !settings) throw new HttpError(401, "Wrong or missing credentials for this shop's inbound email webhook");
  annotateRequest({ shop: shop.domain });

  const email = readPostmarkInbound(await readJsonBody(request, INBOUND_EMAIL_BODY_LIMIT_BYTES, postmarkInbound));
  // 403 stops the provider's retries: this mail is another shop's and nothing of it is stored here.
  if (addressedToAnotherShop(email.to, settings)) throw new HttpError(403, "This email is addressed to another shop's inbound address");
  if (!email.from) return ignored("no-sender", shop.id, email);
  const ownAddresses = [settings.emailFromAddress, inboundEmailAddress(settings)].map((address) => normalizeEmail(address)).filter((address): address is string => Boolean(address));
  const automated = automatedEmailReason({ from: email.from, headers: email.headers, ownAddresses });
  if (automated) return ignored(automated, shop.id, email);
  // Checked here already, before the sender's message allowance is spent on a provider's retry.
  if (await alreadyReceived(shop.id, email.messageId)) return ignored("duplicate", shop.id, email);

  const body = (await shopperText(email)) || email.subject;
  // Nothing written at all (an empty email, an attachment alone): nothing for the agent to answer.
  if (!body.trim()) return ignored("empty", shop.id, email);
  let threadOf = await threadedConversation(shop.id, [...(email.inReplyTo ? [email.inReplyTo] : []), ...[...email.references].reverse()]);
  try {
    // No client address: every email comes from the provider's servers.
    await takeMessageAllowance({ shopId: shop.id, shopperKey: `email:${email.from}`, ip: null, ...(threadOf ? { conversationId: threadOf } : {}) });
  } catch (error) {
    // Too fast: 429, which Postmark retries minutes later, so the email is answered late rather than lost.
    if (error instanceof RateLimitedError) throw new HttpError(429, "Too many emails from this sender; retry later", { retryAfterSeconds: error.retryAfterSeconds });
    // A thread past the conversation cap is not a support conversation any more: the email starts a new one.
    if (!(error instanceof ConversationFullError)) throw error;
    threadOf = null;
  }
  const receive = (conversationId: string | null) =>
    receiveChannelMessage(
      shop,
      { shopId: shop.id, channel: "email", sender: email.from!, body, conversationId, providerMessageId: email.messageId },
      (sql, received) =>
        recordThreadEmail(sql, shop.id, {
          conversationId: received.conversationId,
          messageId: received.messageId,
          rfcMessageId: email.messageId,
          direction: "inbound",
          subject: email.subject,
          references: email.references,
        }),
    );
  let received;
  try {
    received = await receive(threadOf);
  } catch (error) {
    // Someone else answering in the thread (a colleague in Cc) is not its shopper: their mail starts a conversation of their own.
    if (!(error instanceof ConversationNotFoundError) || !threadOf) throw error;
    received = await receive(null);
  }
  // The same email delivered twice at once: the second met the first's receipt and stored nothing.
  if (received.outcome === "duplicate") return ignored("duplicate", shop.id, email);
  if (received.outcome !== "answered" && received.outcome !== "stored-opted-out") throw new Error(`Email has no keywords, got ${received.outcome}`);
  annotateRequest({ conversationId: received.conversationId });
  return { outcome: "answered", conversationId: received.conversationId, messageId: received.messageId, threaded: Boolean(threadOf) && received.conversationId === threadOf };
}

function ignored(reason: Extract<InboundEmailOutcome, { outcome: "ignored" }>["reason"], shopId: string, email: InboundEmail): InboundEmailOutcome {
  logger().info({ source: "email", shopId, reason, rfcMessageId: email.messageId }, "inbound email ignored");
  return { outcome: "ignored", reason };
}

/** The shopper's own words: the text part without quotes and signature; an HTML-only email's text as mailparser reads its HTML. */
async function shopperText(email: InboundEmail): Promise<string> {
  let text = email.text;
  if (!text.trim() && email.html) {
    const parsed = await simpleParser(Buffer.from(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${email.html}`));
    text = parsed.text ?? "";
  }
  return shopperReplyText({ text, strippedTextReply: email.strippedTextReply });
}

/**
 * The webhook's answer: 200 with what happened (Postmark stops there, including for mail deliberately ignored),
 * 401 for wrong credentials, 400 naming the field for a payload that is not Postmark's, 413 for mail too large,
 * 503 while the database is unreachable (Postmark retries); anything else is a real failure and propagates.
 */
export async function handleInboundEmail(request: Request, shopDomain: string): Promise<Response> {
  try {
    return Response.json(await receiveInboundEmail(request, shopDomain));
  } catch (error) {
    if (error instanceof UnreadableSenderError) return Response.json({ outcome: "ignored", reason: "no-sender" });
    const response = errorResponse(error);
    if (response.status === 401) response.headers.set("WWW-Authenticate", `Basic realm="inbound email", charset="UTF-8"`);
    return response;
  }
}
