import { createHmac } from "node:crypto";
import { config } from "../../config.server";
import type { BasicCredentials } from "./basic-auth";

/**
 * The HTTP Basic credentials of a shop's inbound email webhook (Postmark signs nothing; the credentials written in
 * the webhook URL are its authentication). The username is the shop's inbound token; the password is derived from
 * it with the app's ENCRYPTION_KEY under a label of its own, so it is secret, differs per shop, needs no storage,
 * and changes when the token is renewed.
 */
export function emailWebhookCredentials(inboundToken: string): BasicCredentials {
  const key = Buffer.from(config().ENCRYPTION_KEY, "base64");
  const password = createHmac("sha256", key).update(`customer-agent/email-inbound-webhook/v1\u0000${inboundToken}`).digest("base64url");
  return { username: inboundToken, password };
}

/** The path of a shop's inbound email webhook (app/routes/channels.email.$shopDomain.inbound.tsx). */
export function emailWebhookPath(shopDomain: string): string {
  return `/channels/email/${encodeURIComponent(shopDomain)}/inbound`;
}

/** The URL to paste into the email provider's inbound webhook setting, credentials included. */
export function emailWebhookUrl(shopDomain: string, inboundToken: string): string {
  const url = new URL(emailWebhookPath(shopDomain), config().SHOPIFY_APP_URL);
  const credentials = emailWebhookCredentials(inboundToken);
  url.username = credentials.username;
  url.password = credentials.password;
  return url.toString();
}
