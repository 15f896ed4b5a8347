import { randomUUID } from "node:crypto";
import { fromPrisma } from "pg-boss";
import { db } from "../db.server";
import { jobQueue, QUEUES } from "../jobs/queue.server";
import { authenticate } from "../shopify.server";

/**
 * The one entry point for every webhook route: the library verifies the HMAC (a forged one throws a 401 response
 * before anything is stored), then the delivery is recorded under Shopify's webhook id and its processing job is
 * enqueued in the same transaction. A replay of the same id finds the row and is acknowledged without new work.
 * Shopify gets its 200 at once; the work happens in the background (app/webhooks/process.server.ts).
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  const triggeredAt = parseTimestamp(request.headers.get("x-shopify-triggered-at"));
  const { topic, shop, payload, webhookId, apiVersion } = await authenticate.webhook(request);
  const boss = await jobQueue();
  await db().$transaction(async (tx) => {
    const id = randomUUID();
    const inserted = await tx.webhookDelivery.createMany({
      data: [{ id, shopDomain: shop, webhookId, topic, apiVersion, triggeredAt, payload: payload ?? {} }],
      skipDuplicates: true,
    });
    if (inserted.count === 1) {
      await boss.send(QUEUES.processWebhook, { deliveryId: id }, { db: fromPrisma(tx) });
    }
  });
  return new Response(null, { status: 200 });
}

function parseTimestamp(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
