import { CHANNEL_STRINGS } from "../strings";

export type TestMessageResult = { ok: true } | { ok: false; message: string };

/**
 * EMAIL CHANNEL HOOK: the Channels page's "Send test email" calls this; the email channel fills it in (send `body`
 * to `to` with the shop's SMTP settings and report the server's answer).
 */
export async function sendTestEmail(_input: { shopId: string; to: string; body: string }): Promise<TestMessageResult> {
  return { ok: false, message: CHANNEL_STRINGS.emailNotConfigured };
}
