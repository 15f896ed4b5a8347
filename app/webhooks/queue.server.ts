import { startClaimLoop } from "../jobs/claim-loop.server";
import { pool } from "../db.server";
import { PRESENT_INSTANCES, type InstancePresence } from "../jobs/instance-presence.server";
import { processWebhookDelivery, type ClaimedDelivery } from "./process.server";

/** A claimed delivery not finished in this long is taken to have died with its instance, and is claimed again. */
export const CLAIM_LEASE_SECONDS = 300;
/** First try plus eight retries, as Shopify itself retries a failed delivery eight times. */
export const MAX_ATTEMPTS = 9;
/** With nothing due, how often an idle worker looks again (deliveries received by another instance). */
const IDLE_POLL_MS = 250;

const wakers = new Set<() => void>();

/** Called after a delivery is stored: this instance's worker claims it now instead of at its next poll. */
export function wakeWebhookWorkers() {
  for (const wake of wakers) wake();
}

/**
 * Claims up to `limit` due deliveries, oldest first, in one statement: SKIP LOCKED lets every instance's worker
 * claim at once without waiting on each other, and moving `nextAttemptAt` a lease ahead takes the rows out of
 * everyone's "due" until the work is recorded, the lease runs out, or the claiming instance is gone from
 * PostgreSQL (it died mid-work; the handlers' idempotent upserts make the repeat harmless, as after a lapsed lease).
 */
export async function claimDueDeliveries(limit: number, claimedBy: string): Promise<ClaimedDelivery[]> {
  const { rows } = await pool().query<ClaimedDelivery>(
    `UPDATE "WebhookDelivery" AS delivery
        SET attempts = delivery.attempts + 1,
            "nextAttemptAt" = now() AT TIME ZONE 'UTC' + make_interval(secs => $2),
            "claimedBy" = $4
       FROM (SELECT id FROM "WebhookDelivery"
              WHERE status <> 'processed' AND attempts < $3
                AND ("nextAttemptAt" <= now() AT TIME ZONE 'UTC' OR NOT ("claimedBy" = ANY (${PRESENT_INSTANCES})))
              ORDER BY "nextAttemptAt"
              LIMIT $1
              FOR UPDATE SKIP LOCKED) AS due
      WHERE delivery.id = due.id
  RETURNING delivery.id, delivery."shopDomain", delivery.topic, delivery.payload, delivery.attempts, delivery."receivedAt"`,
    [limit, CLAIM_LEASE_SECONDS, MAX_ATTEMPTS, claimedBy],
  );
  // RETURNING keeps no order: each shop's deliveries are worked in the order they arrived.
  return rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

export interface WebhookWorker {
  stop(): Promise<void>;
}

/**
 * This instance's webhook processing: claims due deliveries in batches and works them, one shop's deliveries in the
 * order they arrived and up to `concurrency` shops at a time (each handler holds a pooled connection, and the
 * acknowledgements need the rest of the pool). Stopping lets the batch in hand finish.
 */
export function startWebhookWorker(presence: InstancePresence, options: { concurrency?: number; batchSize?: number } = {}): WebhookWorker {
  const concurrency = options.concurrency ?? 4;
  const batchSize = options.batchSize ?? 40;
  const loop = startClaimLoop({
    presence,
    source: "webhooks",
    idlePollMs: IDLE_POLL_MS,
    claim: (claimedBy) => claimDueDeliveries(batchSize, claimedBy),
    work: (claimed) => workInShopOrder(claimed, concurrency),
  });
  wakers.add(loop.wake);
  return {
    async stop() {
      wakers.delete(loop.wake);
      await loop.stop();
    },
  };
}

async function workInShopOrder(deliveries: ClaimedDelivery[], concurrency: number) {
  const byShop = new Map<string, ClaimedDelivery[]>();
  for (const delivery of deliveries) {
    const queue = byShop.get(delivery.shopDomain) ?? [];
    queue.push(delivery);
    byShop.set(delivery.shopDomain, queue);
  }
  const shops = [...byShop.values()];
  const lanes = Array.from({ length: Math.min(concurrency, shops.length) }, async () => {
    for (let queue = shops.shift(); queue; queue = shops.shift()) {
      for (const delivery of queue) await processWebhookDelivery(delivery);
    }
  });
  await Promise.all(lanes);
}
