import "../../test/support/engine-database";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { eventually } from "../../test/support/eventually";
import { connectedShop, jumpingClock, recordFacts, startedFact } from "../../test/support/klaviyo";
import { KLAVIYO_DELIVERY_LIMITS, startKlaviyoDelivery, type DeliveryOptions, type KlaviyoDelivery } from "./delivery.server";
import { buildKlaviyoEvent, type ConversationFact, type ShopperIdentity } from "./events";
import { OUTBOX_CHANNEL, retryFailedEvents } from "./outbox.server";

const clock = jumpingClock();
let fake: FakeKlaviyo;
const engines: KlaviyoDelivery[] = [];

beforeAll(async () => {
  fake = await startFakeKlaviyo({ now: clock.now });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  fake.setOutage(null);
});
afterAll(async () => {
  await fake.close();
});

async function start(options: DeliveryOptions = {}) {
  const engine = await startKlaviyoDelivery({ clock, pollIntervalMs: 50, klaviyoApiUrl: fake.url, ...options });
  engines.push(engine);
  return engine;
}

async function statuses(shopId: string, kind: "event" | "profile" = "event"): Promise<Partial<Record<"pending" | "delivered" | "failed", number>>> {
  const rows = await db().klaviyoEvent.groupBy({ by: ["status"], where: { shopId, kind }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

function requestsFor(accountId: string) {
  return fake
    .requests()
    .filter((request) => request.accountId === accountId)
    .sort((a, b) => a.at - b.at);
}

/** Every request that followed a 429 came no earlier than the Retry-After Klaviyo gave. */
function expectRetryAfterHonoured(accountId: string, retryAfterSeconds: number) {
  const sent = requestsFor(accountId);
  sent.forEach((request, index) => {
    const previous = sent[index - 1];
    if (previous?.status === 429) expect(request.at - previous.at).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
  });
}

const identities: Record<string, { shopper: ShopperIdentity; profile: Record<string, string> }> = {
  email: { shopper: { anonymousId: "a1", email: "ada@example.com" }, profile: { email: "ada@example.com", anonymous_id: "a1" } },
  phone: { shopper: { anonymousId: "a2", phone: "+1 514 555 0100" }, profile: { phone_number: "+15145550100", anonymous_id: "a2" } },
  "Shopify customer id": { shopper: { anonymousId: "a3", shopifyCustomerId: "7001" }, profile: { external_id: "7001", anonymous_id: "a3" } },
  "Klaviyo exchange id": { shopper: { anonymousId: "a4", klaviyoExchangeId: "01KXEXCH" }, profile: { _kx: "01KXEXCH", anonymous_id: "a4" } },
  "phone, from SMS (no anonymous id)": { shopper: { phone: "+1 514 555 0101" }, profile: { phone_number: "+15145550101" } },
  "anonymous id only": { shopper: { anonymousId: "a5" }, profile: { anonymous_id: "a5" } },
};

describe("Klaviyo delivery engine", () => {
  for (const [kind, { shopper, profile }] of Object.entries(identities)) {
    it(`delivers all four events with their exact names and keys for a shopper known by ${kind}`, async () => {
      const { shop, accountId } = await connectedShop(fake);
      const at = new Date("2026-11-24T09:00:00.000Z");
      const facts: Array<(conversationId: string) => ConversationFact> = [
        (id) => ({ kind: "started", conversationId: id, channel: "web_chat", firstMessage: "Hi", occurredAt: at, shopper }),
        (id) => ({ kind: "escalated", conversationId: id, channel: "email", reason: "shopper-requested", skill: "returns", tags: ["vip"], occurredAt: at, shopper }),
        (id) => ({ kind: "resolved", conversationId: id, channel: "sms", skill: "returns", tags: ["vip"], resolutionTimeSeconds: 42, occurredAt: at, shopper }),
        (id) => ({
          kind: "recommended",
          conversationId: id,
          recommendationId: `rec-${id}`,
          channel: "whatsapp",
          occurredAt: at,
          shopper,
          products: [{ id: "1", title: "Tee", sku: "TEE-1", url: "https://s/p/tee", imageUrl: null, price: "20.00" }],
        }),
      ];
      for (const fact of facts) await recordFacts(shop.id, 1, (conversationId) => fact(conversationId));
      await start();

      const received = await eventually(async () => (fake.events(accountId).length === 4 ? fake.events(accountId) : null));
      const byMetric = Object.fromEntries(received.map((event) => [event.metric, event]));
      const keysOf = (metric: string) => Object.keys(byMetric[metric]!.properties).sort();
      expect(keysOf("Started Conversation")).toEqual(["Channel", "Conversation ID", "First Message"]);
      expect(keysOf("Conversation Escalated")).toEqual(["Channel", "Conversation ID", "Escalation Reason", "Skill", "Tags"]);
      expect(keysOf("Conversation Resolved")).toEqual(["Channel", "Conversation ID", "Resolution Time Seconds", "Skill", "Tags"]);
      expect(keysOf("Received Product Recommendation")).toEqual(["Channel", "Conversation ID", "Product IDs", "Products", "SKUs"]);
      expect(byMetric["Conversation Escalated"]!.properties["Escalation Reason"]).toBe("shopper-requested");
      expect(byMetric["Conversation Resolved"]!.properties["Resolution Time Seconds"]).toBe(42);
      expect(received.map((event) => event.properties.Channel).sort()).toEqual(["SMS", "WhatsApp", "email", "web chat"]);
      for (const event of received) {
        expect(event.time).toBe("2026-11-24T09:00:00.000Z");
        expect(event.profile).toEqual(profile);
      }
      await eventually(async () => (await statuses(shop.id)).delivered === 4);
    });
  }

  it("wakes on the commit's NOTIFY instead of waiting for the poll, and listens again after losing its connection", async () => {
    const { shop, accountId } = await connectedShop(fake);
    const listeners = () =>
      db().$queryRaw<Array<{ pid: number }>>`SELECT pid FROM pg_stat_activity WHERE query = ${`LISTEN ${OUTBOX_CHANNEL}`} AND datname = current_database()`;
    await start({ pollIntervalMs: 60_000 });
    const [listener] = await eventually(async () => ((await listeners()).length === 1 ? listeners() : null));

    const deliveredWithin = async (count: number) => {
      const committed = Date.now();
      await recordFacts(shop.id, 1, (conversationId) => startedFact(conversationId, count));
      await eventually(async () => fake.events(accountId).length === count);
      return Date.now() - committed;
    };
    expect(await deliveredWithin(1)).toBeLessThan(1_000);

    await db().$executeRaw`SELECT pg_terminate_backend(${listener!.pid}::int)`;
    await eventually(async () => (await listeners()).some((row) => row.pid !== listener!.pid));
    expect(await deliveredWithin(2)).toBeLessThan(1_000);
  });

  it("keeps everything through a ten-minute 503 outage without hammering Klaviyo, then delivers each event exactly once", async () => {
    const few = await connectedShop(fake);
    const many = await connectedShop(fake);
    await recordFacts(few.shop.id, 20, startedFact);
    await recordFacts(many.shop.id, 120, startedFact);
    fake.setOutage({ status: 503 });
    await start();

    const outageStart = clock.now();
    while (clock.now() - outageStart < 10 * 60_000) {
      await sleep(100);
      clock.advance(15_000);
    }
    expect(fake.events(few.accountId)).toHaveLength(0);
    expect(fake.events(many.accountId)).toHaveLength(0);
    expect(await statuses(few.shop.id)).toEqual({ pending: 20 });
    expect(await statuses(many.shop.id)).toEqual({ pending: 120 });
    const waiting = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: few.shop.id, attempts: { gt: 0 } } });
    expect(waiting.lastError).toContain("retries on its own");
    expect(waiting.lastStatusCode).toBe(503);
    // Paused after each failure (up to a minute), so ten minutes cost a few dozen bulk jobs, not thousands.
    expect(requestsFor(many.accountId).length).toBeGreaterThan(3);
    expect(requestsFor(many.accountId).length).toBeLessThan(40);

    fake.setOutage(null);
    const recoveredAt = clock.now();
    await eventually(async () => {
      clock.advance(1_000);
      const [a, b] = await Promise.all([statuses(few.shop.id), statuses(many.shop.id)]);
      return a.delivered === 20 && b.delivered === 120;
    });
    // Events backed off by up to ten minutes are due again as soon as Klaviyo answers.
    expect(clock.now() - recoveredAt).toBeLessThan(2 * 60_000);
    for (const { accountId } of [few, many]) {
      const uniqueIds = fake.events(accountId).map((event) => event.uniqueId);
      expect(new Set(uniqueIds).size).toBe(uniqueIds.length);
    }
    expect(fake.events(few.accountId)).toHaveLength(20);
    expect(fake.events(many.accountId)).toHaveLength(120);
  });

  it("honours Retry-After through a 429 storm on single events: nothing sent early, lost, doubled or counted as a failed attempt", async () => {
    const { shop, accountId } = await connectedShop(fake);
    fake.failNext({ status: 429, count: 4, retryAfter: 3, accountId });
    await recordFacts(shop.id, 10, startedFact);
    await start({ concurrencyPerAccount: 1 });

    await eventually(async () => {
      clock.advance(500);
      return (await statuses(shop.id)).delivered === 10;
    });
    expect(requestsFor(accountId).filter((request) => request.status === 429)).toHaveLength(4);
    expectRetryAfterHonoured(accountId, 3);
    expect(fake.events(accountId)).toHaveLength(10);
    expect(fake.duplicatesIgnored(accountId)).toBe(0);
    const events = await db().klaviyoEvent.findMany({ where: { shopId: shop.id } });
    expect(events.every((event) => event.attempts === 1)).toBe(true);
  });

  it("honours Retry-After through a 429 storm on bulk jobs", async () => {
    const { shop, accountId } = await connectedShop(fake);
    fake.failNext({ status: 429, count: 3, retryAfter: 2, accountId });
    await recordFacts(shop.id, 60, startedFact);
    await start();

    await eventually(async () => {
      clock.advance(500);
      return (await statuses(shop.id)).delivered === 60;
    });
    // After each pause one event probes alone; once it is accepted, the rest follow in one job.
    expect(requestsFor(accountId).map((request) => `${request.status} ${request.path}`)).toEqual([
      "429 /api/event-bulk-create-jobs",
      "429 /api/events",
      "429 /api/events",
      "202 /api/events",
      "202 /api/event-bulk-create-jobs",
    ]);
    expectRetryAfterHonoured(accountId, 2);
    expect(fake.events(accountId)).toHaveLength(60);
    expect(fake.duplicatesIgnored(accountId)).toBe(0);
  });

  it("sends a backlog as bulk jobs", async () => {
    const { shop, accountId } = await connectedShop(fake);
    await recordFacts(shop.id, 120, startedFact);
    await start({ bulkThreshold: 50 });

    await eventually(async () => (await statuses(shop.id)).delivered === 120);
    expect(fake.events(accountId).every((event) => event.via === "bulk")).toBe(true);
    expect(requestsFor(accountId).map((request) => request.path)).toEqual(["/api/event-bulk-create-jobs"]);
  });

  it("never exceeds the account's limits, even when another instance takes the account over mid-minute", async () => {
    const limits = { ...KLAVIYO_DELIVERY_LIMITS, events: { burst: 100, steady: 30 } };
    const { shop, accountId } = await connectedShop(fake, { eventLimits: limits.events });
    await recordFacts(shop.id, 45, startedFact);
    const first = await start({ limits, bulkThreshold: Number.POSITIVE_INFINITY, instanceId: "first" });

    await eventually(async () => fake.events(accountId).length === 30);
    await sleep(300);
    expect(fake.events(accountId)).toHaveLength(30);
    await first.stop();

    await start({ limits, bulkThreshold: Number.POSITIVE_INFINITY, instanceId: "second" });
    await sleep(500);
    // The new holder counted the first one's requests of this minute, so it waits instead of being throttled.
    expect(fake.events(accountId)).toHaveLength(30);
    clock.advance(61_000);
    await eventually(async () => (await statuses(shop.id)).delivered === 45);
    expect(requestsFor(accountId).filter((request) => request.status === 429)).toHaveLength(0);
  });

  it("keeps an idle account's lease for a while after its last delivery, and hands its leases back when stopped", async () => {
    const { shop } = await connectedShop(fake);
    await recordFacts(shop.id, 1, startedFact);
    const engine = await start({ instanceId: "sticky" });
    await eventually(async () => (await statuses(shop.id)).delivered === 1);

    const idle = await eventually(() => db().klaviyoConnection.findFirst({ where: { shopId: shop.id, leaseOwner: "sticky", leaseExpiresAt: { gt: new Date(clock.now() + 5_000) } } }));
    expect(idle.leaseOwner).toBe("sticky");
    await engine.stop();
    const released = await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(released.leaseOwner).toBeNull();
    expect(released.leaseExpiresAt).toBeNull();
  });

  it("marks a permanently rejected event failed with Klaviyo's words, and the merchant's retry delivers it", async () => {
    const { shop, accountId } = await connectedShop(fake);
    fake.failNext({ status: 400, count: 1, accountId, body: { detail: "'time' must be an ISO 8601 datetime." } });
    await recordFacts(shop.id, 1, startedFact);
    await start();

    const failed = await eventually(() => db().klaviyoEvent.findFirst({ where: { shopId: shop.id, status: "failed" } }));
    expect(failed.lastStatusCode).toBe(400);
    expect(failed.lastError).toBe("'time' must be an ISO 8601 datetime.");

    expect(await retryFailedEvents(shop.id)).toBe(1);
    await eventually(async () => (await statuses(shop.id)).delivered === 1);
    expect(fake.events(accountId)).toHaveLength(1);
  });

  it("fails only the bad event of a rejected bulk job, and delivers the rest", async () => {
    const { shop, accountId } = await connectedShop(fake);
    await recordFacts(shop.id, 59, startedFact);
    // A phone number Klaviyo refuses; the builder never writes one, but a row from an older version might hold it.
    const bad = buildKlaviyoEvent(startedFact("conversation-with-bad-phone", 99));
    bad.attributes.profile.data.attributes = { phone_number: "12345" };
    await db().klaviyoEvent.create({
      data: { shopId: shop.id, metric: bad.metric, uniqueId: bad.uniqueId, occurredAt: bad.occurredAt, payload: bad.attributes as object },
    });
    await start();

    await eventually(async () => {
      const counts = await statuses(shop.id);
      return counts.delivered === 59 && counts.failed === 1;
    });
    const failed = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: shop.id, status: "failed" } });
    expect(failed.uniqueId).toBe(bad.uniqueId);
    expect(failed.lastError).toBe("Invalid phone number format (Example of a valid format: +12345678901)");
    expect(fake.events(accountId)).toHaveLength(59);
    expect(requestsFor(accountId)[0]).toMatchObject({ path: "/api/event-bulk-create-jobs", status: 400 });
  });

  it("stops sending for an account whose key was revoked, tells the merchant, keeps its events, and resumes once reconnected", async () => {
    const { shop, apiKey, accountId } = await connectedShop(fake);
    fake.revokeApiKey(apiKey);
    await recordFacts(shop.id, 3, startedFact);
    await start();

    const connection = await eventually(() => db().klaviyoConnection.findFirst({ where: { shopId: shop.id, status: "needs_attention" } }));
    expect(connection.statusDetail).toContain("Reconnect Klaviyo");
    const rejectedRequests = () => fake.requests().filter((request) => request.status === 401).length;
    const rejectedSoFar = rejectedRequests();
    await sleep(300);
    expect(rejectedRequests()).toBe(rejectedSoFar);
    expect(await statuses(shop.id)).toEqual({ pending: 3 });

    const newKey = `pk_${randomBytes(12).toString("hex")}`;
    fake.addAccount({ apiKey: newKey, accountId });
    await db().klaviyoConnection.update({
      where: { shopId: shop.id },
      data: { status: "connected", statusDetail: null, encryptedApiKey: encryptSecret(newKey) },
    });
    await eventually(async () => (await statuses(shop.id)).delivered === 3);
    expect(fake.events(accountId)).toHaveLength(3);
  });

  it("leaves events of a shop without Klaviyo pending, and delivers them once it connects", async () => {
    const shop = await db().shop.create({ data: { domain: `unconnected-${randomBytes(5).toString("hex")}.myshopify.com` } });
    await recordFacts(shop.id, 2, startedFact);
    await start();
    await sleep(300);
    expect(await statuses(shop.id)).toEqual({ pending: 2 });

    const apiKey = `pk_${randomBytes(12).toString("hex")}`;
    const accountId = fake.addAccount({ apiKey, accountId: `ACC${randomBytes(4).toString("hex")}` });
    await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] } });
    await eventually(async () => (await statuses(shop.id)).delivered === 2);
    expect(fake.events(accountId)).toHaveLength(2);
  });

  it("takes credentials from the credentialsFor seam: an account without usable ones waits, OAuth tokens go out as Bearer", async () => {
    const shop = await db().shop.create({ data: { domain: `oauth-${randomBytes(5).toString("hex")}.myshopify.com` } });
    const accountId = `ACC${randomBytes(4).toString("hex")}`;
    fake.addOAuthToken({ accessToken: "kat_seam", accountId });
    await db().klaviyoConnection.create({
      data: { shopId: shop.id, authMethod: "oauth", encryptedAccessToken: encryptSecret("kat_seam"), accessTokenExpiresAt: new Date(0), accountId, scopes: [] },
    });
    let tokenRenewed = false;
    await recordFacts(shop.id, 2, startedFact);
    await start({ credentialsFor: async () => (tokenRenewed ? { kind: "oauth", accessToken: "kat_seam" } : null) });

    await sleep(300);
    expect(await statuses(shop.id)).toEqual({ pending: 2 });
    expect(requestsFor(accountId)).toHaveLength(0);

    tokenRenewed = true;
    await eventually(async () => {
      clock.advance(5_000);
      return (await statuses(shop.id)).delivered === 2;
    });
    expect(fake.events(accountId)).toHaveLength(2);
  });
});
