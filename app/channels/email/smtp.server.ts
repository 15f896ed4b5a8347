import type { ShopChannelSettings } from "@prisma/client";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { config } from "../../config.server";
import { decryptSecret } from "../../crypto.server";
import { ChannelSendError } from "../channel";
import { CHANNEL_STRINGS } from "../strings";

export interface SmtpSettings {
  fromAddress: string;
  host: string;
  port: number;
  user: string | null;
  password: string | null;
}

/** The shop's SMTP server and from address, the password decrypted; null when email sending is not set up. */
export function smtpSettingsOf(stored: ShopChannelSettings | null): SmtpSettings | null {
  if (!stored?.emailFromAddress || !stored.smtpHost) return null;
  return {
    fromAddress: stored.emailFromAddress,
    host: stored.smtpHost,
    // 587 (submission with STARTTLS) is what mail providers give merchants.
    port: stored.smtpPort ?? 587,
    user: stored.smtpUser,
    password: stored.encryptedSmtpPassword ? decryptSecret(stored.encryptedSmtpPassword) : null,
  };
}

/**
 * Sends one email through the shop's SMTP server. Port 465 is TLS from the start; any other port upgrades with
 * STARTTLS when the server offers it. A refusal the server means for good (a 5xx: no such mailbox, relaying
 * denied, bad login) fails the message at once; anything else (4xx, timeouts, a server that is down) is temporary
 * and the outbound queue retries it.
 */
export async function sendSmtp(settings: SmtpSettings, mail: Mail.Options): Promise<{ response: string }> {
  const timeout = config().EMAIL_SMTP_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.port === 465,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    const info = await transport.sendMail(mail);
    return { response: info.response };
  } catch (error) {
    const failure = error as { responseCode?: number; code?: string; response?: string; message?: string };
    const permanent = (failure.responseCode ?? 0) >= 500 || failure.code === "EAUTH" || failure.code === "EENVELOPE";
    throw new ChannelSendError(CHANNEL_STRINGS.smtpRefused(failure.response ?? failure.message ?? String(error)), !permanent);
  } finally {
    transport.close();
  }
}
