import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONSENT_GIVEN } from "../../test/support/constants";
import { appProxyRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";
import { db } from "../db.server";
import {
  clientAddress,
  ConversationFullError,
  MAX_SHOPPER_MESSAGES_PER_CONVERSATION,
  MESSAGE_LIMITS,
  RateLimitedError,
  takeMessageAllowance,
} from "./limits.server";

async function chatRequest(shop: TestShop, path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const signed = await appProxyRequest(path, { shop, method: "POST", body });
  const request = new Request(signed.url, { method: "POST", body: await signed.text(), headers: { ...Object.fromEntries(signed.headers), ...headers } });
  return send(request);
}

/** Fixed windows start on the minute: a burst that straddled one would be split between two windows. */
async function awayFromAWindowEdge() {
  while (new Date().getSeconds() >= 45) await new Promise((resolve) => setTimeout(resolve, 500));
}

const tight = { shopper: { limit: 100, windowSeconds: 60 }, ip: { limit: 2, windowSeconds: 60 }, shop: { limit: 3, windowSeconds: 60 } };

describe("storefront abuse limits", () => {
  it("answers a burst over the shopper's limit with 429, Retry-After and a message, and stores each accepted message once", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    await awayFromAWindowEdge();
    const start = await chatRequest(shop, "/conversations", { anonymousId, message: "hello", consent: CONSENT_GIVEN });
    expect(start.status).toBe(200);
    const { conversationId } = await start.json();

    const burst = Array.from({ length: MESSAGE_LIMITS.shopper.limit + 4 }, (_, index) => `message number ${index}`);
    const responses = await Promise.all(burst.map((message) => chatRequest(shop, `/conversations/${conversationId}/messages`, { anonymousId, message })));
    const refused = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(MESSAGE_LIMITS.shopper.limit - 1);
    expect(refused).toHaveLength(5);
    for (const response of refused) {
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect((await response.json()).error).toMatch(/^You are sending messages faster than we can answer\. Please wait \d+ seconds? and try again\.$/);
    }

    const stored = await db().message.findMany({ where: { conversationId, author: "shopper" }, select: { body: true } });
    expect(stored).toHaveLength(MESSAGE_LIMITS.shopper.limit);
    expect(new Set(stored.map((message) => message.body)).size).toBe(stored.length);
    const replies = await db().message.findMany({ where: { conversationId, author: "agent" }, select: { replyToId: true } });
    expect(new Set(replies.map((reply) => reply.replyToId)).size).toBe(replies.length);
  });

  it("gives a bot's user agent no conversation", async () => {
    const shop = await createTestShop();
    const response = await chatRequest(shop, "/conversations", { anonymousId: randomUUID(), message: "hello" }, { "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/automated clients/);
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("limits one network address and one shop however many anonymous ids they use", async () => {
    const shopId = (await createTestShop()).id;
    await awayFromAWindowEdge();
    const send = (ip: string) => takeMessageAllowance({ shopId, shopperKey: randomUUID(), ip }, tight);
    await send("203.0.113.7");
    await send("203.0.113.7");
    await expect(send("203.0.113.7")).rejects.toMatchObject({ scope: "ip" });
    await expect(send("198.51.100.1")).rejects.toBeInstanceOf(RateLimitedError);
    await expect(send("198.51.100.2")).rejects.toMatchObject({ scope: "shop", retryAfterSeconds: expect.any(Number) });
  });

  it("closes a conversation to new shopper messages once it is full, with a 409 that says to start a new one", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const start = await chatRequest(shop, "/conversations", { anonymousId, message: "hello" });
    const { conversationId } = await start.json();
    await db().message.createMany({
      data: Array.from({ length: MAX_SHOPPER_MESSAGES_PER_CONVERSATION - 1 }, (_, index) => ({ conversationId, author: "shopper" as const, body: `m${index}` })),
    });
    await expect(takeMessageAllowance({ shopId: shop.id, shopperKey: anonymousId, ip: null, conversationId })).rejects.toBeInstanceOf(ConversationFullError);
    const response = await chatRequest(shop, `/conversations/${conversationId}/messages`, { anonymousId, message: "one more" });
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatch(/Please start a new one/);
    expect(await db().message.count({ where: { conversationId, body: "one more" } })).toBe(0);
  });
});

describe("clientAddress", () => {
  const from = (value: string) => clientAddress(new Request("http://app/", { headers: { "X-Forwarded-For": value } }));

  it("takes the shopper's address that the app proxy put first in X-Forwarded-For", () => {
    expect(from("203.0.113.7, 23.227.38.1")).toBe("203.0.113.7");
    expect(from("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("keeps an IPv6 address to its /64, the block one subscriber gets", () => {
    expect(from("2001:db8:85a3::8a2e:370:7334")).toBe("2001:db8:85a3:0::/64");
    expect(from("2001:0db8:0001:0002:0003:0004:0005:0006")).toBe("2001:db8:1:2::/64");
  });

  it("is null when there is no usable address", () => {
    expect(from("")).toBeNull();
    expect(from("unknown")).toBeNull();
    expect(clientAddress(new Request("http://app/"))).toBeNull();
  });
});
