import { randomBytes } from "node:crypto";
import { inboundEmailAddress } from "../app/channels/email/inbound-address.server";
import { emailWebhookUrl } from "../app/channels/email/webhook-credentials.server";
import { db } from "../app/db.server";
import { startFakeMailbox } from "../fakes/postmark/inbound";
import { startFakeSmtp } from "../fakes/smtp/server";

const DEMO_FROM = "help@demo-outfitters.example";

/**
 * The demo's email channel: the fake SMTP server the shop sends through, the shop's email settings pointing at it
 * (kept across runs except the catcher's address), and the "email the store" page, which posts Postmark-shaped
 * inbound webhooks with the shop's credentials. Replies land in the catcher and on that page.
 */
export async function startDemoEmail(shopDomain: string, ports: { smtp: number; mailbox: number }) {
  const smtp = await startFakeSmtp({ port: ports.smtp });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const existing = await db().shopChannelSettings.findUnique({ where: { shopId: shop.id } });
  const settings = await db().shopChannelSettings.upsert({
    where: { shopId: shop.id },
    create: { shopId: shop.id, emailInboundToken: randomBytes(12).toString("hex"), emailFromAddress: DEMO_FROM, smtpHost: smtp.host, smtpPort: smtp.port },
    // The SMS seed may have made the row first; a from address the merchant set on the Channels page is kept.
    update: { smtpHost: smtp.host, smtpPort: smtp.port, ...(existing?.emailFromAddress ? {} : { emailFromAddress: DEMO_FROM }) },
  });
  const mailbox = await startFakeMailbox({
    port: ports.mailbox,
    smtp,
    storeAddress: inboundEmailAddress(settings) ?? settings.emailFromAddress ?? DEMO_FROM,
    // Read at each send: the merchant may change the settings on the Channels page meanwhile.
    webhookUrl: async () => {
      const current = await db().shopChannelSettings.findUnique({ where: { shopId: shop.id } });
      return current ? emailWebhookUrl(shopDomain, current.emailInboundToken) : null;
    },
  });
  return {
    mailboxUrl: mailbox.url,
    smtpUrl: smtp.url,
    async close() {
      await mailbox.close();
      await smtp.close();
    },
  };
}
