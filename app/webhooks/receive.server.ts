import { randomUUID } from "node:crypto";
import { pool } from "../db.server";
import { readBoundedBody } from "../http/body.server";
import { errorResponse, HttpError } from "../http/errors";
import { annotateRequest } from "../operations/request-context.server";
import { config } from "../config.server";
import { wakeWebhookWorkers } from "./queue.server";
import { definitionOf, isWebhookTopic, storedTopicName, type WebhookTopic } from "./topics.server";
import { verifyShopifyWebhook } from "./verify.server";

/**
 * Shopify sends payloads of up to 1,000,000 bytes inline (larger resources arrive as a bare `{"id": …}`); a body
 * past 1 MiB is not one of Shopify's and is refused before more of it is read.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

const WEBHOOK_PATH_PREFIX = "/webhooks/";

/**
 * `POST /webhooks/<topic>` for every topic in shopify.app.toml, or null for any other request. server.ts answers
 * these before the Remix app: an acknowledgement needs none of Remix's routing, which flattens and ranks the whole
 * route tree on every request and was the largest remaining share of an acknowledgement's CPU (ADR 005).
 */
export function handleWebhookRequest(request: Request): Promise<Response> | null {
  const { pathname } = new URL(request.url);
  if (request.method !== "POST" || !pathname.startsWith(WEBHOOK_PATH_PREFIX)) return null;
  const topic = pathname.slice(WEBHOOK_PATH_PREFIX.length);
  return isWebhookTopic(topic) ? receiveWebhook(request, topic) : null;
}

/**
 * The one entry point for every webhook topic, each naming its own topic: the body is read up to Shopify's maximum
 * (413 past it), its HMAC is verified over those bytes (forged → 401, nothing stored: verify.server.ts), and the delivery is
 * stored with one statement that is also its place in the processing queue (ADR 005); a replay of the same webhook id
 * stores nothing and is acknowledged. Shopify gets its 200 at once; app/webhooks/queue.server.ts does the work.
 *
 * The topic and shop headers are not signed (the HMAC covers the body only), so an endpoint accepts only its own topic,
 * and a payload that names a shop (compliance topics, app/uninstalled) must name the header's.
 */
export async function receiveWebhook(request: Request, expectedTopic: WebhookTopic): Promise<Response> {
  try {
    const body = await readBoundedBody(request, WEBHOOK_BODY_LIMIT_BYTES);
    const { topic, shop, webhookId, apiVersion, triggeredAt } = verifyShopifyWebhook(request.headers, body, config().SHOPIFY_API_SECRET);
    const rawBody = new TextDecoder().decode(body);
    const payload = parseJson(rawBody);
    annotateRequest({ shop });
    if (topic !== expectedTopic) {
      throw new HttpError(400, `This endpoint receives ${expectedTopic} only`, { field: "X-Shopify-Topic" });
    }
    const { payloadShop } = definitionOf(expectedTopic);
    if (payloadShop && payloadShop(payload) !== shop) {
      throw new HttpError(400, `The ${expectedTopic} payload must name the shop in X-Shopify-Shop-Domain`, { field: "shop_domain" });
    }
    const stored = await storeDelivery({
      shop,
      webhookId,
      topic: storedTopicName(expectedTopic),
      apiVersion,
      triggeredAt: validTimestamp(triggeredAt),
      rawBody,
    });
    if (stored) wakeWebhookWorkers();
    return new Response(null, { status: 200 });
  } catch (error) {
    return errorResponse(error);
  }
}

/** The library parsed the body only after the HMAC checked out; so does this: a signed body that is not JSON is the sender's bug. */
function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new HttpError(400, "Webhook body must be JSON");
  }
}

/**
 * One statement, no transaction: the row is the delivery, its replay guard (unique shop + webhook id) and its queue
 * entry (due now). The raw body goes in as jsonb, so the payload is not serialised a second time.
 */
async function storeDelivery(delivery: { shop: string; webhookId: string; topic: string; apiVersion: string; triggeredAt: string | null; rawBody: string }) {
  try {
    const { rowCount } = await pool().query(
      `INSERT INTO "WebhookDelivery" (id, "shopDomain", "webhookId", topic, "apiVersion", "triggeredAt", payload, "receivedAt", "nextAttemptAt")
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC', $7::jsonb, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
       ON CONFLICT ("shopDomain", "webhookId") DO NOTHING`,
      [randomUUID(), delivery.shop, delivery.webhookId, delivery.topic, delivery.apiVersion, delivery.triggeredAt, delivery.rawBody],
    );
    return rowCount === 1;
  } catch (error) {
    // 22P05: JSON PostgreSQL's jsonb cannot hold (\u0000); JSON.parse accepted it, so it only surfaces here.
    if ((error as { code?: string }).code === "22P05") throw new HttpError(400, "Webhook body contains text that cannot be stored (\\u0000)");
    throw error;
  }
}

function validTimestamp(value: string | undefined): string | null {
  if (!value) return null;
  return Number.isNaN(new Date(value).getTime()) ? null : value;
}
