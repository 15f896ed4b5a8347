import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { appProxyRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

async function startChat(shop: TestShop, body: Record<string, unknown>, loggedInCustomerId?: string) {
  return send(await appProxyRequest("/conversations", { shop, method: "POST", body, loggedInCustomerId }));
}

describe("storefront chat API (through the app proxy)", () => {
  it("starts a conversation, links the logged-in customer and queues Started Conversation for Klaviyo", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const response = await startChat(shop, { anonymousId, message: "Do you ship to Canada?", klaviyoExchangeId: "01KX" }, "7001");

    expect(response.status).toBe(200);
    const view = await response.json();
    expect(view.messages.map((message: { author: string }) => message.author)).toEqual(["shopper", "system"]);
    expect(view.messages[0].body).toBe("Do you ship to Canada?");

    const shopper = await db().shopper.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(shopper).toMatchObject({ anonymousId, shopifyCustomerId: "7001", klaviyoExchangeId: "01KX" });
    const event = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(event.metric).toBe("Started Conversation");
    expect(event.conversationId).toBe(view.conversationId);
  });

  it("rejects a forged app proxy signature with 401 and stores nothing", async () => {
    const shop = await createTestShop();
    const request = await appProxyRequest("/conversations", { shop, method: "POST", body: { anonymousId: randomUUID(), message: "hi" } });
    const url = new URL(request.url);
    url.searchParams.set("signature", "0".repeat(64));
    const response = await fetch(url, { method: "POST", body: await request.text(), headers: { "Content-Type": "application/json" } });

    expect(response.status).toBe(401);
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers bad input with a clear 400 and stores nothing", async () => {
    const shop = await createTestShop();
    const response = await startChat(shop, { anonymousId: randomUUID(), message: "   " });

    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain("message: message is empty");
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("lets the shopper ask for a person: the conversation is escalated as shopper-requested", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const { conversationId } = await (await startChat(shop, { anonymousId, message: "Where is my order?", email: "Sam@Example.com" })).json();

    const response = await send(
      await appProxyRequest(`/conversations/${conversationId}/escalate`, { shop, method: "POST", body: { anonymousId } }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).status).toBe("escalated");
    const conversation = await db().conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation).toMatchObject({ status: "escalated", escalationReason: "shopper-requested" });
    const metrics = await db().klaviyoEvent.findMany({ where: { shopId: shop.id, kind: "event" }, orderBy: { occurredAt: "asc" } });
    expect(metrics.map((event) => event.metric)).toEqual(["Started Conversation", "Conversation Escalated"]);
    // Merchants can pause marketing to a shopper who is waiting on support.
    const profile = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: shop.id, kind: "profile" } });
    expect(profile.payload).toEqual({ email: "sam@example.com", properties: { "Customer Agent Open Escalation": true } });
  });

  it("keeps a conversation private to the shopper who started it", async () => {
    const shop = await createTestShop();
    const { conversationId } = await (await startChat(shop, { anonymousId: randomUUID(), message: "My address is..." })).json();

    const stranger = await send(await appProxyRequest(`/conversations/${conversationId}?anonymousId=${randomUUID()}`, { shop }));
    expect(stranger.status).toBe(404);

    const otherShop = await createTestShop();
    const crossShop = await send(
      await appProxyRequest(`/conversations/${conversationId}/messages`, {
        shop: otherShop, method: "POST", body: { anonymousId: randomUUID(), message: "hello" },
      }),
    );
    expect(crossShop.status).toBe(404);
  });

  it("sends nothing to Klaviyo for a shopper who declined marketing or analytics", async () => {
    const shop = await createTestShop();
    const response = await startChat(shop, { anonymousId: randomUUID(), message: "Hi", consent: { analytics: true, marketing: false } });

    expect(response.status).toBe(200);
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("adds later messages to the thread and shows staff replies on the next poll", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const { conversationId } = await (await startChat(shop, { anonymousId, message: "Hello" })).json();
    await send(await appProxyRequest(`/conversations/${conversationId}/messages`, { shop, method: "POST", body: { anonymousId, message: "Anyone there?" } }));
    await db().message.create({ data: { conversationId, author: "staff", body: "Yes! How can I help?" } });

    const poll = await (await send(await appProxyRequest(`/conversations/${conversationId}?anonymousId=${anonymousId}`, { shop }))).json();
    expect(poll.messages.map((message: { author: string; body: string }) => `${message.author}: ${message.body}`)).toEqual([
      "shopper: Hello",
      expect.stringMatching(/^system: /),
      "shopper: Anyone there?",
      "staff: Yes! How can I help?",
    ]);
  });

  it("reopens a resolved conversation when the shopper writes again", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const { conversationId } = await (await startChat(shop, { anonymousId, message: "Hello" })).json();
    await db().conversation.update({ where: { id: conversationId }, data: { status: "resolved", resolvedAt: new Date() } });

    const view = await (
      await send(await appProxyRequest(`/conversations/${conversationId}/messages`, { shop, method: "POST", body: { anonymousId, message: "One more thing" } }))
    ).json();
    expect(view.status).toBe("open");
  });
});
