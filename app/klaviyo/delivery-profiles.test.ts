import "../../test/support/engine-database";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { eventually } from "../../test/support/eventually";
import { connectedShop, jumpingClock } from "../../test/support/klaviyo";
import { startKlaviyoDelivery, type DeliveryOptions, type KlaviyoDelivery } from "./delivery.server";
import type { ShopperIdentity } from "./events";
import { recordProfileUpdate } from "./outbox.server";
import type { ProfileFact } from "./profiles";

const clock = jumpingClock();
let fake: FakeKlaviyo;
const engines: KlaviyoDelivery[] = [];

beforeAll(async () => {
  fake = await startFakeKlaviyo({ now: clock.now });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});
afterAll(async () => {
  await fake.close();
});

async function start(options: DeliveryOptions = {}) {
  const engine = await startKlaviyoDelivery({ clock, pollIntervalMs: 50, klaviyoApiUrl: fake.url, ...options });
  engines.push(engine);
  return engine;
}

async function record(shopId: string, shopper: ShopperIdentity, fact: ProfileFact) {
  await db().$transaction((tx) => recordProfileUpdate(tx, shopId, shopper, fact));
}

async function profileRows(shopId: string) {
  return db().klaviyoEvent.findMany({ where: { shopId, kind: "profile" }, orderBy: { occurredAt: "asc" } });
}

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));

describe("Klaviyo profile properties through the outbox", () => {
  it("sets the Customer Agent properties with POST /api/profile-import, one merged request per profile, newest value winning", async () => {
    const { shop, accountId } = await connectedShop(fake);
    const ada = { anonymousId: "a1", email: "ada@example.com", shopifyCustomerId: "7001" };
    await record(shop.id, ada, { kind: "recommended", recommendationId: "rec-1", occurredAt: at(0) });
    await record(shop.id, ada, { kind: "escalation_opened", conversationId: "c-1", occurredAt: at(1) });
    await record(shop.id, ada, { kind: "ordered", orderId: "o-1", occurredAt: at(2), sinceRecommendation: true });
    await record(shop.id, ada, { kind: "escalation_closed", conversationId: "c-1", occurredAt: at(3) });
    await record(shop.id, { anonymousId: "a2", phone: "+1 514 555 0100" }, { kind: "escalation_opened", conversationId: "c-2", occurredAt: at(4) });
    // profile-import takes no anonymous_id: an anonymous shopper has no profile to update yet.
    await record(shop.id, { anonymousId: "a3" }, { kind: "escalation_opened", conversationId: "c-3", occurredAt: at(5) });
    await start();

    await eventually(async () => (await profileRows(shop.id)).every((row) => row.status === "delivered"));
    expect(await profileRows(shop.id)).toHaveLength(5);
    const profiles = [...fake.profiles(accountId)].sort((a, b) => JSON.stringify(a.identifiers).localeCompare(JSON.stringify(b.identifiers)));
    expect(profiles.map((profile) => [profile.identifiers, profile.properties, profile.imports])).toEqual([
      [
        { email: "ada@example.com", external_id: "7001" },
        {
          "Customer Agent Last Recommendation At": "2026-12-01T10:00:00.000Z",
          "Customer Agent Ordered Since Recommendation": true,
          "Customer Agent Last Order At": "2026-12-01T10:02:00.000Z",
          "Customer Agent Open Escalation": false,
        },
        1,
      ],
      [{ phone_number: "+15145550100" }, { "Customer Agent Open Escalation": true }, 1],
    ]);
    expect(fake.requests().filter((request) => request.accountId === accountId).map((request) => `${request.status} ${request.path}`)).toEqual([
      "201 /api/profile-import",
      "201 /api/profile-import",
    ]);
  });

  it("keeps a profile's updates in order when an earlier one has to be retried", async () => {
    const { shop, accountId } = await connectedShop(fake);
    const bo = { anonymousId: "b1", email: "bo@example.com" };
    await record(shop.id, bo, { kind: "escalation_opened", conversationId: "c-1", occurredAt: at(0) });
    fake.failNext({ status: 503, accountId });
    await start({ retryDelayMs: () => 60_000 });
    await eventually(async () => (await profileRows(shop.id))[0]!.attempts === 1);

    // The later update must not overtake the earlier one, which is backing off for a minute.
    await record(shop.id, bo, { kind: "escalation_closed", conversationId: "c-1", occurredAt: at(1) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.profiles(accountId)).toHaveLength(0);

    clock.advance(61_000);
    await eventually(async () => (await profileRows(shop.id)).every((row) => row.status === "delivered"));
    expect(fake.profiles(accountId)[0]!.properties).toEqual({ "Customer Agent Open Escalation": false });
  });

  it("paces profile-import by its own limits, apart from events", async () => {
    const { shop, accountId } = await connectedShop(fake, { profileLimits: { burst: 75, steady: 5 } });
    for (let index = 0; index < 8; index++) {
      await record(shop.id, { anonymousId: `p${index}`, email: `p${index}@example.com` }, { kind: "escalation_opened", conversationId: `c-${index}`, occurredAt: at(index) });
    }
    await start({ limits: { profiles: { burst: 75, steady: 5 } } });

    await eventually(async () => fake.profiles(accountId).length === 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.profiles(accountId)).toHaveLength(5);
    clock.advance(61_000);
    await eventually(async () => fake.profiles(accountId).length === 8);
    expect(fake.requests().filter((request) => request.accountId === accountId && request.status === 429)).toHaveLength(0);
  });

  it("fails an update Klaviyo refuses with Klaviyo's words, and delivers the others", async () => {
    const { shop, accountId } = await connectedShop(fake);
    await db().klaviyoEvent.create({
      data: {
        kind: "profile", shopId: shop.id, metric: "Profile properties", uniqueId: "bad-phone", profileKey: "phone_number:12345", occurredAt: at(0),
        payload: { phone_number: "12345", properties: { "Customer Agent Open Escalation": true } },
      },
    });
    await record(shop.id, { anonymousId: "c1", email: "cy@example.com" }, { kind: "escalation_opened", conversationId: "c-1", occurredAt: at(1) });
    await start();

    const failed = await eventually(() => db().klaviyoEvent.findFirst({ where: { shopId: shop.id, status: "failed" } }));
    expect(failed).toMatchObject({ uniqueId: "bad-phone", lastStatusCode: 400, lastError: "Invalid phone number format (Example of a valid format: +12345678901)" });
    await eventually(async () => fake.profiles(accountId).length === 1);
  });
});
