import { config } from "../../config.server";
import { ChannelSendError, type SentChannelMessage } from "../channel";

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

export interface TwilioOutboundMessage {
  channel: "sms" | "whatsapp";
  /** E.164 */
  from: string;
  /** E.164 */
  to: string;
  /** Free-form text, or an approved template (Twilio's Content API), which WhatsApp delivers outside the 24-hour window. */
  content: { body: string } | TwilioTemplate;
  /** Where Twilio reports queued/sent/delivered/failed for this message. */
  statusCallback?: string;
}

export interface TwilioTemplate {
  /** HX… */
  contentSid: string;
  /** The template's numbered variables, e.g. { "1": "Trail Co" }. */
  contentVariables: Record<string, string>;
}

/** Twilio writes WhatsApp addresses as `whatsapp:+14155550100`, SMS ones as the bare number. */
export function twilioAddress(channel: "sms" | "whatsapp", phone: string): string {
  return channel === "whatsapp" ? `whatsapp:${phone}` : phone;
}

/**
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with basic auth SID:token. Twilio's 5xx, 429, a timeout or
 * a network failure is temporary (the queue tries again); any other refusal (a wrong number, an unsubscribed
 * recipient, bad credentials) is permanent and carries Twilio's own message and error code.
 */
export async function sendTwilioMessage(credentials: TwilioCredentials, message: TwilioOutboundMessage): Promise<SentChannelMessage> {
  const settings = config();
  const url = new URL(`/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`, settings.TWILIO_API_URL);
  const form = new URLSearchParams({
    To: twilioAddress(message.channel, message.to),
    From: twilioAddress(message.channel, message.from),
    ...("body" in message.content
      ? { Body: message.content.body }
      : { ContentSid: message.content.contentSid, ContentVariables: JSON.stringify(message.content.contentVariables) }),
    ...(message.statusCallback ? { StatusCallback: message.statusCallback } : {}),
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: form,
      signal: AbortSignal.timeout(settings.TWILIO_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ChannelSendError(`Twilio could not be reached: ${(error as Error).message}`, true);
  }
  const text = await response.text();
  let answer: { sid?: string; status?: string; message?: string; code?: number } = {};
  try {
    answer = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  if (!response.ok) {
    const temporary = response.status >= 500 || response.status === 429;
    const reason = answer.message ? `${answer.message}${answer.code ? ` (Twilio error ${answer.code})` : ""}` : `HTTP ${response.status}`;
    throw new ChannelSendError(`Twilio answered ${response.status}: ${reason}`, temporary);
  }
  return { providerMessageId: answer.sid ?? null, providerStatus: answer.status ?? null };
}
