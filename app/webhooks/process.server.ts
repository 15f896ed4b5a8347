import { pool } from "../db.server";
import { topicDefinition } from "./topics.server";
import { logger } from "../logger.server";

/** A delivery as the worker claimed it (app/webhooks/queue.server.ts), with what its work needs. */
export interface ClaimedDelivery {
  id: string;
  shopDomain: string;
  topic: string;
  payload: unknown;
  /** Including the claim that handed it over. */
  attempts: number;
  receivedAt: Date;
}

const RETRY_BASE_SECONDS = 5;
const RETRY_CAP_SECONDS = 3600;

/** After a failure: due again after 5 s, doubling per attempt up to an hour (Shopify's own retries span 4 hours). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
}

export class UnhandledTopicError extends Error {
  override name = "UnhandledTopicError";
}

/**
 * Does the work for one claimed delivery and records the outcome on its row. The claim is the once-only guard: a
 * delivery is claimed again only after a failure's backoff, an expired lease or its instance's disappearance (it died mid-work, when
 * the handlers' idempotent upserts make the repeat harmless). A failure is recorded with its message and retried
 * with backoff; it never escapes to the worker, which goes on with the next delivery. A delivery that succeeds on a
 * retry keeps the last failure's error: `attempts` > 1 with no error would mean a claim expired mid-work.
 */
export async function processWebhookDelivery(delivery: ClaimedDelivery) {
  const definition = topicDefinition(delivery.topic);
  try {
    if (!definition) throw new UnhandledTopicError(`No handler for webhook topic ${delivery.topic}`);
    const result = await definition.handler(delivery.shopDomain, delivery.payload, delivery.id);
    await pool().query(
      `UPDATE "WebhookDelivery"
          SET status = 'processed', "processedAt" = now() AT TIME ZONE 'UTC', result = COALESCE($2::jsonb, result)
        WHERE id = $1`,
      [delivery.id, result === undefined ? null : JSON.stringify(result)],
    );
  } catch (error) {
    const message = (error as Error).message.slice(0, 2000);
    logger().warn({ source: "webhooks", topic: delivery.topic, deliveryId: delivery.id, attempt: delivery.attempts }, `delivery failed: ${message}`);
    await pool()
      .query(
        `UPDATE "WebhookDelivery"
            SET status = 'failed', error = $2, "nextAttemptAt" = now() AT TIME ZONE 'UTC' + make_interval(secs => $3)
          WHERE id = $1`,
        [delivery.id, message, retryDelaySeconds(delivery.attempts)],
      )
      // Unrecorded, the claim's lease still brings the delivery back.
      .catch(() => undefined);
  }
}
