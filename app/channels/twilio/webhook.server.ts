import { validateRequest } from "twilio/lib/webhooks/webhooks.js";
import { config } from "../../config.server";
import { pool } from "../../db.server";
import { readBoundedBody } from "../../http/body.server";
import { errorResponse, HttpError } from "../../http/errors";
import { logger } from "../../logger.server";
import { annotateRequest } from "../../operations/request-context.server";
import { findInstalledShop, type InstalledShop } from "../../shops/shops.server";
import { receiveChannelMessage, UnreadableSenderError } from "../inbound.server";
import { readChannelSettings, twilioSettingsOf, type TwilioSettings } from "../settings.server";

/** Twilio's webhooks are small forms; anything bigger is not Twilio. */
const TWILIO_BODY_LIMIT_BYTES = 64 * 1024;
/** Twilio takes any 200 as received; an empty TwiML response sends nothing back (replies go through the REST API). */
const EMPTY_TWIML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`;

interface VerifiedTwilioRequest {
  shop: InstalledShop;
  twilio: TwilioSettings;
  params: Record<string, string>;
}

/**
 * The shop named in the URL, its Twilio account, and the form, only when X-Twilio-Signature is right for that
 * account's auth token over the URL Twilio was given (the app's public URL, not whatever host the request came
 * through) and the form names the same account. Anything else is a 403 and nothing is read further.
 */
async function verifiedTwilioRequest(request: Request, shopDomain: string): Promise<VerifiedTwilioRequest> {
  const shop = await findInstalledShop(shopDomain);
  const twilio = shop ? twilioSettingsOf(await readChannelSettings(shop.id)) : null;
  if (!shop || !twilio) throw new HttpError(404, "SMS and WhatsApp are not set up for this shop");
  annotateRequest({ shop: shop.domain });
  const body = new TextDecoder().decode(await readBoundedBody(request, TWILIO_BODY_LIMIT_BYTES));
  const params = Object.fromEntries(new URLSearchParams(body));
  const received = new URL(request.url);
  const signedUrl = new URL(received.pathname + received.search, config().SHOPIFY_APP_URL).toString();
  const signature = request.headers.get("x-twilio-signature") ?? "";
  if (!signature || !validateRequest(twilio.authToken, signature, signedUrl, params) || params.AccountSid !== twilio.accountSid) {
    throw new HttpError(403, "Invalid Twilio signature");
  }
  return { shop, twilio, params };
}

function channelOf(address: string | undefined): "sms" | "whatsapp" {
  return address?.startsWith("whatsapp:") ? "whatsapp" : "sms";
}

/** An inbound SMS or WhatsApp message for the shop: verified, then the same path as every channel's messages. */
export async function handleTwilioMessage(request: Request, shopDomain: string): Promise<Response> {
  return twilioAnswer(async () => {
    const { shop, twilio, params } = await verifiedTwilioRequest(request, shopDomain);
    const channel = channelOf(params.From);
    const shopNumber = channel === "whatsapp" ? twilio.whatsappNumber : twilio.smsNumber;
    const to = (params.To ?? "").replace(/^whatsapp:/, "");
    if (!shopNumber || to !== shopNumber) throw new HttpError(400, `To: ${params.To ?? "(missing)"} is not this shop's ${channel === "whatsapp" ? "WhatsApp" : "SMS"} number`, { field: "To" });
    const media = Number(params.NumMedia ?? 0);
    const text = (params.Body ?? "").trim() || (media > 0 ? `[${media} attachment${media === 1 ? "" : "s"}]` : "");
    if (!params.MessageSid) throw new HttpError(400, "MessageSid is required", { field: "MessageSid" });
    if (!text) return;
    const received = await receiveChannelMessage(shop, {
      shopId: shop.id,
      channel,
      sender: (params.From ?? "").replace(/^whatsapp:/, ""),
      body: text,
      providerMessageId: params.MessageSid,
    });
    // The same 200 as the first time, so Twilio stops retrying; nothing was stored or sent again.
    if (received.outcome === "duplicate") logger().info({ source: "twilio", shopId: shop.id, messageSid: params.MessageSid }, "duplicate Twilio message ignored");
    if ("conversationId" in received) annotateRequest({ conversationId: received.conversationId });
  });
}

/** Twilio's report on a message the app sent (queued, sent, delivered, undelivered, failed), kept on its queue row. */
export async function handleTwilioStatus(request: Request, shopDomain: string): Promise<Response> {
  return twilioAnswer(async () => {
    const { shop, params } = await verifiedTwilioRequest(request, shopDomain);
    const status = params.MessageStatus ?? params.SmsStatus;
    if (!params.MessageSid || !status) throw new HttpError(400, "MessageSid and MessageStatus are required", { field: "MessageStatus" });
    const failed = status === "failed" || status === "undelivered";
    await pool().query(
      `UPDATE "ChannelMessage" SET "providerStatus" = $3,
              status = CASE WHEN $3 = 'delivered' THEN 'delivered'::"ChannelMessageStatus" WHEN $4 THEN 'failed'::"ChannelMessageStatus" ELSE status END,
              "lastError" = CASE WHEN $4 THEN $5 ELSE "lastError" END, "updatedAt" = now() AT TIME ZONE 'UTC'
        WHERE "shopId" = $1 AND "providerMessageId" = $2 AND status <> 'delivered'`,
      [shop.id, params.MessageSid, status, failed, failed ? `Twilio reported ${status}${params.ErrorCode ? ` (error ${params.ErrorCode})` : ""}` : null],
    );
  });
}

async function twilioAnswer(work: () => Promise<void>): Promise<Response> {
  try {
    await work();
    return new Response(EMPTY_TWIML, { headers: { "Content-Type": "text/xml" } });
  } catch (error) {
    if (error instanceof UnreadableSenderError) return errorResponse(new HttpError(400, error.message, { field: "From" }));
    try {
      return errorResponse(error);
    } catch {
      logger().error({ source: "twilio", err: error }, "Twilio webhook failed");
      return Response.json({ error: "Something went wrong" }, { status: 500 });
    }
  }
}
