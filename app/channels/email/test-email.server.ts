import { ChannelSendError } from "../channel";
import { readChannelSettings } from "../settings.server";
import { CHANNEL_STRINGS } from "../strings";
import { sendSmtp, smtpSettingsOf } from "./smtp.server";
import { newMessageId } from "./threading";

export type TestMessageResult = { ok: true } | { ok: false; message: string };

/**
 * The Channels page's "Send test email": `body` to `to` (an address app/channels/test-message.server.ts has
 * normalised) with the shop's SMTP settings, and the server's answer when it refuses.
 */
export async function sendTestEmail(input: { shopId: string; to: string; body: string }): Promise<TestMessageResult> {
  const settings = smtpSettingsOf(await readChannelSettings(input.shopId));
  if (!settings) return { ok: false, message: CHANNEL_STRINGS.emailNotConfigured };
  try {
    await sendSmtp(settings, { from: settings.fromAddress, to: input.to, subject: CHANNEL_STRINGS.emailTestSubject, messageId: newMessageId(settings.fromAddress), text: input.body });
    return { ok: true };
  } catch (error) {
    if (error instanceof ChannelSendError) return { ok: false, message: error.message };
    throw error;
  }
}
