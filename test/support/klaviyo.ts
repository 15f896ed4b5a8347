import { randomBytes, randomUUID } from "node:crypto";
import { encryptSecret } from "../../app/crypto.server";
import { db } from "../../app/db.server";
import type { ConversationFact } from "../../app/klaviyo/events";
import { recordKlaviyoEvent } from "../../app/klaviyo/outbox.server";
import type { RateLimit } from "../../app/klaviyo/pacing";
import type { FakeKlaviyo } from "../../fakes/klaviyo/server";

/** A shop connected to its own account on the fake Klaviyo, as connectWithApiKey would leave it. */
export async function connectedShop(fake: FakeKlaviyo, options: { scopes?: readonly string[]; eventLimits?: RateLimit; profileLimits?: RateLimit } = {}) {
  const apiKey = `pk_${randomBytes(12).toString("hex")}`;
  const accountId = fake.addAccount({
    apiKey,
    accountId: `ACC${randomBytes(4).toString("hex")}`,
    scopes: options.scopes,
    limits: { ...(options.eventLimits ? { events: options.eventLimits } : {}), ...(options.profileLimits ? { profileImport: options.profileLimits } : {}) },
  });
  const shop = await db().shop.create({ data: { domain: `klaviyo-${randomBytes(5).toString("hex")}.myshopify.com` } });
  await db().klaviyoConnection.create({
    data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] },
  });
  return { shop, apiKey, accountId };
}

/** Records conversation facts through the real outbox, each with its own conversation and shopper. */
export async function recordFacts(shopId: string, count: number, fact: (conversationId: string, index: number) => ConversationFact) {
  for (let index = 0; index < count; index++) {
    const shopper = await db().shopper.create({ data: { shopId, anonymousId: randomUUID() } });
    const conversation = await db().conversation.create({ data: { shopId, shopperId: shopper.id, channel: "web_chat" } });
    await db().$transaction((tx) => recordKlaviyoEvent(tx, shopId, fact(conversation.id, index)));
  }
}

export function startedFact(conversationId: string, index: number): ConversationFact {
  return {
    kind: "started",
    conversationId,
    channel: "web_chat",
    firstMessage: `Question ${index}`,
    occurredAt: new Date(Date.UTC(2026, 10, 24, 10, 0, index)),
    shopper: { anonymousId: `anon-${conversationId}`, email: `shopper${index}@example.com` },
  };
}

/** Real time plus an offset the test moves forward: "ten minutes later" without waiting ten minutes. */
export function jumpingClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 50))),
    advance(ms: number) {
      offset += ms;
    },
  };
}
