import "../../test/support/isolated-database";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { eventually } from "../../test/support/eventually";
import { connectedShop, jumpingClock, recordFacts, startedFact } from "../../test/support/klaviyo";
import { startKlaviyoDelivery, type KlaviyoDelivery } from "./delivery.server";
import type { ConversationFact, ShopperIdentity } from "./events";

const clock = jumpingClock();
let fake: FakeKlaviyo;
let engine: KlaviyoDelivery | undefined;

beforeAll(async () => {
  fake = await startFakeKlaviyo({ now: clock.now });
});
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  fake.setOutage(null);
});
afterAll(async () => {
  await fake.close();
});

function start(options: Parameters<typeof startKlaviyoDelivery>[0] = {}) {
  return startKlaviyoDelivery({ clock, pollIntervalMs: 50, klaviyoApiUrl: fake.url, ...options }).then((started) => (engine = started));
}

async function statuses(shopId: string) {
  const rows = await db().klaviyoEvent.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

const identities: Record<string, ShopperIdentity> = {
  email: { anonymousId: "a1", email: "ada@example.com" },
  phone: { anonymousId: "a2", phone: "+15145550100" },
  "Shopify customer id": { anonymousId: "a3", shopifyCustomerId: "7001" },
  "Klaviyo exchange id": { anonymousId: "a4", klaviyoExchangeId: "01KXEXCH" },
  "anonymous id": { anonymousId: "a5" },
};

describe("Klaviyo delivery engine", () => {
  for (const [kind, shopper] of Object.entries(identities)) {
    it(`delivers all four events with their exact names and keys for a shopper known by ${kind}`, async () => {
      const { shop, accountId } = await connectedShop(fake);
      const at = new Date("2026-11-24T09:00:00.000Z");
      const facts: Array<(conversationId: string) => ConversationFact> = [
        (id) => ({ kind: "started", conversationId: id, channel: "web_chat", firstMessage: "Hi", occurredAt: at, shopper }),
        (id) => ({ kind: "escalated", conversationId: id, channel: "email", reason: "shopper-requested", skill: "returns", tags: ["vip"], occurredAt: at, shopper }),
        (id) => ({ kind: "resolved", conversationId: id, channel: "sms", skill: "returns", tags: ["vip"], resolutionTimeSeconds: 42, occurredAt: at, shopper }),
        (id) => ({
          kind: "recommended", conversationId: id, recommendationId: `rec-${id}`, channel: "whatsapp", occurredAt: at, shopper,
          products: [{ id: "1", title: "Tee", sku: "TEE-1", url: "https://s/p/tee", imageUrl: null, price: "20.00" }],
        }),
      ];
      for (const fact of facts) await recordFacts(shop.id, 1, (conversationId) => fact(conversationId));
      await start();

      const received = await eventually(async () => (fake.events(accountId).length === 4 ? fake.events(accountId) : null));
      const byMetric = Object.fromEntries(received.map((event) => [event.metric, event]));
      expect(Object.keys(byMetric).sort()).toEqual(["Conversation Escalated", "Conversation Resolved", "Received Product Recommendation", "Started Conversation"]);
      expect(Object.keys(byMetric["Started Conversation"]!.properties).sort()).toEqual(["Conversation ID", "Channel", "First Message"].sort());
      expect(Object.keys(byMetric["Conversation Escalated"]!.properties).sort()).toEqual(["Conversation ID", "Channel", "Escalation Reason", "Skill", "Tags"].sort());
      expect(Object.keys(byMetric["Conversation Resolved"]!.properties).sort()).toEqual(["Conversation ID", "Channel", "Skill", "Tags", "Resolution Time Seconds"].sort());
      expect(Object.keys(byMetric["Received Product Recommendation"]!.properties).sort()).toEqual(["Conversation ID", "Channel", "Product IDs", "SKUs", "Products"].sort());
      expect(received.map((event) => event.properties.Channel).sort()).toEqual(["SMS", "WhatsApp", "email", "web chat"]);
      for (const event of received) {
        expect(event.time).toBe("2026-11-24T09:00:00.000Z");
        expect(Object.values(event.profile)).toContain(Object.values(shopper).at(-1));
      }
      await eventually(async () => (await statuses(shop.id)).delivered === 4);
    });
  }

  it("keeps everything through a ten-minute 503 outage, then delivers each event exactly once", async () => {
    const { shop, accountId } = await connectedShop(fake);
    fake.setOutage({ status: 503, accountId });
    await recordFacts(shop.id, 30, startedFact);
    await start();

    for (let minute = 0; minute < 10; minute++) {
      await eventually(async () => fake.requests().some((request) => request.accountId === accountId && request.status === 503));
      clock.advance(60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(fake.events(accountId)).toHaveLength(0);
    expect((await statuses(shop.id)).pending).toBe(30);
    const waiting = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(waiting.lastError).toContain("retries on its own");

    fake.setOutage(null);
    await eventually(async () => {
      clock.advance(30_000);
      return (await statuses(shop.id)).delivered === 30;
    });
    const uniqueIds = fake.events(accountId).map((event) => event.uniqueId);
    expect(uniqueIds).toHaveLength(30);
    expect(new Set(uniqueIds).size).toBe(30);
  });

  it("honours 429 Retry-After without losing or doubling events", async () => {
    const { shop, accountId } = await connectedShop(fake);
    fake.failNext({ status: 429, count: 3, retryAfter: 2, accountId });
    await recordFacts(shop.id, 10, startedFact);
    await start();

    await eventually(async () => {
      clock.advance(1_000);
      return (await statuses(shop.id)).delivered === 10;
    });
    expect(fake.events(accountId)).toHaveLength(10);
    const connection = await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(connection.pausedUntil).not.toBeNull();
  });

  it("sends a backlog as bulk jobs, grouped by profile", async () => {
    const { shop, accountId } = await connectedShop(fake);
    await recordFacts(shop.id, 120, startedFact);
    await start({ bulkThreshold: 50 });

    await eventually(async () => (await statuses(shop.id)).delivered === 120);
    expect(fake.events(accountId).every((event) => event.via === "bulk")).toBe(true);
    expect(fake.requests().filter((request) => request.accountId === accountId && request.path === "/api/event-bulk-create-jobs")).toHaveLength(1);
  });

  it("marks a permanently rejected event failed with Klaviyo's words, and the merchant's retry delivers it", async () => {
    const { shop, accountId } = await connectedShop(fake);
    fake.failNext({ status: 400, count: 1, accountId, body: { detail: "'time' must be an ISO 8601 datetime." } });
    await recordFacts(shop.id, 1, startedFact);
    await start();

    const failed = await eventually(() => db().klaviyoEvent.findFirst({ where: { shopId: shop.id, status: "failed" } }));
    expect(failed.lastStatusCode).toBe(400);
    expect(failed.lastError).toBe("'time' must be an ISO 8601 datetime.");

    const { retryFailedEvents } = await import("./outbox.server");
    expect(await retryFailedEvents(shop.id)).toBe(1);
    await eventually(async () => (await statuses(shop.id)).delivered === 1);
    expect(fake.events(accountId)).toHaveLength(1);
  });

  it("pauses an account whose key was revoked, tells the merchant, and keeps its events", async () => {
    const { shop, apiKey } = await connectedShop(fake);
    fake.revokeApiKey(apiKey);
    await recordFacts(shop.id, 3, startedFact);
    await start();

    const connection = await eventually(() => db().klaviyoConnection.findFirst({ where: { shopId: shop.id, status: "needs_attention" } }));
    expect(connection.statusDetail).toContain("Reconnect Klaviyo");
    expect((await statuses(shop.id)).pending).toBe(3);
  });

  it("leaves events of a shop without Klaviyo pending until it connects", async () => {
    const shop = await db().shop.create({ data: { domain: `unconnected-${Date.now()}.myshopify.com` } });
    await recordFacts(shop.id, 2, startedFact);
    await start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await statuses(shop.id)).pending).toBe(2);
  });
});
