import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, pool } from "../db.server";
import { QUEUES } from "../jobs/queue.server";
import { createTestShop } from "../../test/support/shopify";
import { applyRetention, RETENTION_SCHEDULE } from "./retention.server";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

describe("retention", () => {
  it("is scheduled daily by the running app", async () => {
    const { rows } = await pool().query<{ cron: string }>(`SELECT cron FROM pgboss.schedule WHERE name = $1`, [QUEUES.retention]);
    expect(rows).toEqual([{ cron: RETENTION_SCHEDULE }]);
  });

  it("deletes processed webhook payloads after 30 days and delivered outbox rows after the configured 30, keeping what is still work", async () => {
    const shop = await createTestShop();
    // The failed one has used up its attempts, so the app's worker leaves it alone while the test looks.
    const delivery = (status: "processed" | "failed", processedAt: Date | null, receivedAt: Date) =>
      db().webhookDelivery.create({
        data: { shopDomain: shop.domain, webhookId: randomUUID(), topic: "ORDERS_CREATE", payload: { email: "old@example.com" }, status, processedAt, receivedAt, attempts: 9 },
      });
    const oldProcessed = await delivery("processed", daysAgo(31), daysAgo(31));
    const recentProcessed = await delivery("processed", daysAgo(29), daysAgo(29));
    const oldFailed = await delivery("failed", null, daysAgo(40));
    const event = (status: "delivered" | "pending" | "failed", deliveredAt: Date | null, createdAt: Date) =>
      db().klaviyoEvent.create({
        data: { shopId: shop.id, metric: "Started Conversation", uniqueId: randomUUID(), occurredAt: createdAt, payload: {}, status, deliveredAt, createdAt },
      });
    const oldDelivered = await event("delivered", daysAgo(31), daysAgo(31));
    const recentDelivered = await event("delivered", daysAgo(29), daysAgo(31));
    const oldPending = await event("pending", null, daysAgo(60));
    const oldFailedEvent = await event("failed", null, daysAgo(60));

    const run = await applyRetention();

    expect(run.webhookDeliveries).toBeGreaterThanOrEqual(1);
    expect(run.klaviyoEvents).toBeGreaterThanOrEqual(1);
    const deliveries = await db().webhookDelivery.findMany({ where: { shopDomain: shop.domain }, select: { id: true } });
    expect(deliveries.map(({ id }) => id).sort()).toEqual([recentProcessed.id, oldFailed.id].sort());
    const events = await db().klaviyoEvent.findMany({ where: { shopId: shop.id }, select: { id: true } });
    expect(events.map(({ id }) => id).sort()).toEqual([recentDelivered.id, oldPending.id, oldFailedEvent.id].sort());
    expect(await db().webhookDelivery.count({ where: { id: oldProcessed.id } })).toBe(0);
    expect(await db().klaviyoEvent.count({ where: { id: oldDelivered.id } })).toBe(0);
  });
});
