import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db.server";
import { startInstancePresence, type InstancePresence } from "../jobs/instance-presence.server";
import { eventually } from "../../test/support/eventually";
import { orderPayload } from "../../test/support/orders";
import { createTestShop, type TestShop } from "../../test/support/shopify";
import { CLAIM_LEASE_SECONDS } from "./queue.server";

let presence: InstancePresence;
beforeAll(async () => {
  // An instance that stays connected for the whole file, as a running app server does.
  presence = await startInstancePresence({ databaseUrl: process.env.DATABASE_URL, id: `claims-test-${randomBytes(4).toString("hex")}` });
});
afterAll(async () => {
  await presence.stop();
});

/** An orders/create delivery as an instance leaves it right after claiming it: a lease ahead, claimed by `claimedBy`. */
async function claimedDelivery(shop: TestShop, claimedBy: string) {
  const payload = orderPayload();
  const id = randomUUID();
  await pool().query(
    `INSERT INTO "WebhookDelivery" (id, "shopDomain", "webhookId", topic, payload, attempts, "nextAttemptAt", "claimedBy")
     VALUES ($1, $2, $3, 'ORDERS_CREATE', $4::jsonb, 1, now() AT TIME ZONE 'UTC' + make_interval(secs => $5), $6)`,
    [id, shop.domain, randomUUID(), JSON.stringify(payload), CLAIM_LEASE_SECONDS, claimedBy],
  );
  return { id, orderId: String(payload.id) };
}

describe("webhook deliveries claimed by an instance", () => {
  it("are processed by another instance as soon as the claiming one is gone, not after the claim lease", async () => {
    const shop = await createTestShop();
    const { id, orderId } = await claimedDelivery(shop, `instance-crashed-${randomBytes(4).toString("hex")}`);

    const processed = await eventually(() => db().webhookDelivery.findFirst({ where: { id, status: "processed" } }));
    expect(processed.attempts).toBe(2);
    expect(await db().order.count({ where: { shopId: shop.id, shopifyId: orderId } })).toBe(1);
  });

  it("stay with a claiming instance that is still connected", async () => {
    const shop = await createTestShop();
    const { id } = await claimedDelivery(shop, presence.id);
    // The app server's worker looks every 250 ms: several looks pass, and the claim stands.
    await sleep(1500);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "received", attempts: 1, claimedBy: presence.id });
  });
});
