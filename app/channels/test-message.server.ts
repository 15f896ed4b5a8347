import { normalizeEmail, normalizePhone } from "../identity/normalize";
import { ChannelSendError, type MessagingChannel } from "./channel";
import { sendTestEmail, type TestMessageResult } from "./email/test-email.server";
import { isOptedOutNow } from "./opt-outs.server";
import { readTwilioSettings } from "./settings.server";
import { en } from "../admin/strings/en";
import { CHANNEL_STRINGS } from "./strings";
import { sendTwilioMessage } from "./twilio/client.server";

/**
 * The Channels page's "send test message": sent at once with the stored settings (not through the queue), so the
 * merchant sees the provider's own answer, a wrong token or number named, while still on the page.
 */
export async function sendTestMessage(shop: { id: string; name: string | null; domain: string }, channel: MessagingChannel, to: string): Promise<TestMessageResult> {
  const strings = en.channelsPage;
  const body = strings.testBody(shop.name ?? shop.domain);
  if (channel === "email") {
    const address = normalizeEmail(to);
    if (!address) return { ok: false, message: "Enter an email address to send the test to" };
    return sendTestEmail({ shopId: shop.id, to: address, body });
  }
  const phone = normalizePhone(to);
  if (!phone || !to.trim().startsWith("+")) return { ok: false, message: "Enter the phone number with its country code, e.g. +14155550100" };
  const twilio = await readTwilioSettings(shop.id);
  const from = channel === "sms" ? twilio?.smsNumber : twilio?.whatsappNumber;
  if (!twilio || !from) return { ok: false, message: CHANNEL_STRINGS.notConfigured(channel) };
  if (await isOptedOutNow(shop.id, channel, phone)) return { ok: false, message: CHANNEL_STRINGS.optedOut(channel) };
  try {
    await sendTwilioMessage(twilio, { channel, from, to: phone, content: { body } });
    return { ok: true };
  } catch (error) {
    if (error instanceof ChannelSendError) return { ok: false, message: error.message };
    throw error;
  }
}
