import { config } from "../config.server";
import { pool } from "../db.server";

/** Every day at 03:17 UTC (pg-boss runs a schedule on one instance only). */
export const RETENTION_SCHEDULE = "17 3 * * *";
/** Processed webhook payloads are kept this long: long past Shopify's retries (4 hours), for support questions. */
export const WEBHOOK_RETENTION_DAYS = 30;
/** Deleted in slices, so one run never holds locks on a large part of a table for long. */
const SLICE = 5000;

export interface RetentionRun {
  webhookDeliveries: number;
  klaviyoEvents: number;
}

/**
 * Deletes what the app no longer needs to keep: processed webhook deliveries (their payloads carry customers'
 * details) after 30 days, and outbox rows Klaviyo accepted after KLAVIYO_OUTBOX_RETENTION_DAYS. Undelivered outbox
 * rows and failed deliveries stay, whatever their age: they are still work, or the merchant's to look at.
 */
export async function applyRetention(now: Date = new Date()): Promise<RetentionRun> {
  const day = 86_400_000;
  const webhookCutoff = new Date(now.getTime() - WEBHOOK_RETENTION_DAYS * day);
  const outboxCutoff = new Date(now.getTime() - config().KLAVIYO_OUTBOX_RETENTION_DAYS * day);
  return {
    webhookDeliveries: await deleteInSlices(
      `DELETE FROM "WebhookDelivery" WHERE id IN (
         SELECT id FROM "WebhookDelivery" WHERE status = 'processed' AND "processedAt" < $1::timestamptz AT TIME ZONE 'UTC' LIMIT ${SLICE})`,
      webhookCutoff,
    ),
    klaviyoEvents: await deleteInSlices(
      `DELETE FROM "KlaviyoEvent" WHERE id IN (
         SELECT id FROM "KlaviyoEvent" WHERE status = 'delivered' AND "deliveredAt" < $1::timestamptz AT TIME ZONE 'UTC' LIMIT ${SLICE})`,
      outboxCutoff,
    ),
  };
}

async function deleteInSlices(statement: string, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool().query(statement, [cutoff.toISOString()]);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < SLICE) return total;
  }
}
