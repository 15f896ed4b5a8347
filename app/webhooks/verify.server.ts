import { createHmac, timingSafeEqual } from "node:crypto";
import { HttpError } from "../http/errors";

export interface VerifiedWebhook {
  /** As Shopify names it in `X-Shopify-Topic` (`orders/create`). */
  topic: string;
  shop: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: string | undefined;
}

const REQUIRED_HEADERS = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"] as const;

/**
 * Shopify's webhook verification as its documentation states it and `@shopify/shopify-api`'s `webhooks.validate`
 * implements it: the base64 HMAC-SHA256 of the raw body under the app's client secret, in `X-Shopify-Hmac-Sha256`,
 * compared in constant time; then the delivery's own headers must be present. Same answers as the library: no
 * HMAC or a missing header → 400, a wrong HMAC → 401. Done here with node:crypto on the request's thread because the
 * library's WebCrypto digest, its header canonicalisation and its offline-session lookup (of no use to an intake
 * that only stores) were most of an acknowledgement's CPU under a burst (ADR 005).
 */
export function verifyShopifyWebhook(headers: Headers, rawBody: Uint8Array, secret: string): VerifiedWebhook {
  const presented = headers.get("x-shopify-hmac-sha256");
  if (!presented) throw new HttpError(400, "Missing X-Shopify-Hmac-Sha256", { field: "X-Shopify-Hmac-Sha256" });
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(presented, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(401, "Webhook HMAC does not match the body");
  const missing = REQUIRED_HEADERS.filter((name) => !headers.get(name));
  if (missing.length) throw new HttpError(400, `Missing webhook headers: ${missing.join(", ")}`, { field: missing[0] });
  return {
    topic: headers.get("x-shopify-topic")!,
    shop: headers.get("x-shopify-shop-domain")!,
    webhookId: headers.get("x-shopify-webhook-id")!,
    apiVersion: headers.get("x-shopify-api-version")!,
    triggeredAt: headers.get("x-shopify-triggered-at") ?? undefined,
  };
}
