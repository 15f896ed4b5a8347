import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { signAppProxyQuery } from "../../fakes/shopify/server";
import { CONSENT_GIVEN, MERCHANT_USER_AGENT, TEST_API_SECRET } from "../../test/support/constants";
import { appProxyRequest, appUrl, createTestShop, send, type TestShop } from "../../test/support/shopify";

async function startChat(shop: TestShop, body: Record<string, unknown>, loggedInCustomerId?: string) {
  return send(await appProxyRequest("/conversations", { shop, method: "POST", body, loggedInCustomerId }));
}

describe("storefront chat API (through the app proxy)", () => {
  it("starts a conversation, links the logged-in customer and queues Started Conversation for Klaviyo", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const response = await startChat(shop, { anonymousId, message: "Do you ship to Canada?", klaviyoExchangeId: "01KX", consent: CONSENT_GIVEN }, "7001");

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const view = await response.json();
    // The built-in agent answers in the same response.
    expect(view.messages.map((message: { author: string }) => message.author)).toEqual(["shopper", "agent"]);
    expect(view.messages[0].body).toBe("Do you ship to Canada?");
    expect(view.agentTyping).toBe(false);

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
    const { conversationId } = await (await startChat(shop, { anonymousId, message: "Where is my order?", email: "Sam@Example.com", consent: CONSENT_GIVEN })).json();

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
      expect.stringMatching(/^agent: /),
      "shopper: Anyone there?",
      expect.stringMatching(/^agent: /),
      "staff: Yes! How can I help?",
    ]);
  });

  it("answers a poll with only what is new since the widget's cursor, and refuses a cursor that is not a time", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const started = await (await startChat(shop, { anonymousId, message: "Hello" })).json();
    const newest = started.messages.at(-1);
    await db().message.create({ data: { conversationId: started.conversationId, author: "staff", body: "Hi, Sam from the team here.", createdAt: new Date(Date.parse(newest.createdAt) + 1000) } });
    const poll = (after: string) => appProxyRequest(`/conversations/${started.conversationId}?anonymousId=${anonymousId}&after=${encodeURIComponent(after)}`, { shop });

    const view = await (await send(await poll(newest.createdAt))).json();
    // Inclusive, so a message stored in the same millisecond as the cursor is never lost; the widget drops it by id.
    expect(view.messages.map((message: { id: string; body: string }) => message.id === newest.id ? "(already shown)" : message.body)).toEqual(["(already shown)", "Hi, Sam from the team here."]);
    expect(view.status).toBe("open");

    const refused = await send(await poll("yesterday"));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/after must be an ISO 8601 time/);
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

  it("holds back Klaviyo events while consent is unknown, and sends them once it is given", async () => {
    const shop = await createTestShop();
    // Sent before Shopify's Customer Privacy API had loaded: no decision yet, so no permission.
    await startChat(shop, { anonymousId: randomUUID(), message: "Hi", consent: { analytics: null, marketing: null } });
    await startChat(shop, { anonymousId: randomUUID(), message: "Hi" });
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(2);
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id } })).toBe(0);

    await startChat(shop, { anonymousId: randomUUID(), message: "Hi", consent: CONSENT_GIVEN });
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id, metric: "Started Conversation" } })).toBe(1);
  });

  it("answers simultaneous first messages from one new shopper (two tabs, a double submit) with one shopper", async () => {
    const shop = await createTestShop();
    const anonymousId = randomUUID();
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => startChat(shop, { anonymousId, message: `Hello ${index}` })));

    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(10);
  });

  it("answers bad input with a JSON 400 naming the field, never cached, and stores nothing", async () => {
    const shop = await createTestShop();
    const id = randomUUID();
    // JSON text as a client could send it: \u escapes PostgreSQL text cannot hold.
    const cases: Array<[string, string]> = [
      [`{"anonymousId":"${id}","message":"nul \\u0000 byte"}`, "message"],
      [`{"anonymousId":"${id}","message":"lone \\ud800 surrogate"}`, "message"],
      [`{"anonymousId":"abc\\u0000defghij","message":"hi"}`, "anonymousId"],
    ];
    for (const [body, field] of cases) {
      const response = await send(await appProxyRequestWithRawBody(shop, "/conversations", body));
      expect(response.status).toBe(400);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect((await response.json()).field).toBe(field);
    }
    const malformed = await send(await appProxyRequestWithRawBody(shop, "/conversations", "{not json"));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: "Request body must be JSON" });
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses a body over 64 KB with 413", async () => {
    const shop = await createTestShop();
    const response = await send(await appProxyRequestWithRawBody(shop, "/conversations", JSON.stringify({ anonymousId: randomUUID(), message: "x".repeat(70_000) })));
    expect(response.status).toBe(413);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers a signed request for a shop without the app installed with a JSON 404 and stores nothing", async () => {
    const domain = `never-installed-${randomUUID().slice(0, 8)}.myshopify.com`;
    const response = await fetch(signedProxyUrl("/conversations", domain), jsonPost({ anonymousId: randomUUID(), message: "hi" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "The chat is not available in this store" });
    expect(await db().shop.count({ where: { domain } })).toBe(0);

    // After the merchant's data was erased (shop/redact), nothing comes back either.
    const shop = await createTestShop();
    await startChat(shop, { anonymousId: randomUUID(), message: "before" });
    await db().$transaction([db().session.deleteMany({ where: { shop: shop.domain } }), db().shop.delete({ where: { id: shop.id } })]);
    const after = await startChat(shop, { anonymousId: randomUUID(), message: "after" });
    expect(after.status).toBe(404);
    expect(await db().shop.count({ where: { domain: shop.domain } })).toBe(0);
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers a validly signed request naming a shop that is not a myshopify.com domain with a JSON 400", async () => {
    const response = await fetch(signedProxyUrl("/conversations", "evil.example.com"), jsonPost({ anonymousId: randomUUID(), message: "hi" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field: "shop" });
  });
});

function jsonPost(body: unknown): RequestInit {
  return { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", "User-Agent": MERCHANT_USER_AGENT } };
}

/** A request signed exactly as Shopify's app proxy signs it, for a shop of the test's choosing. */
function signedProxyUrl(path: string, shop: string): URL {
  const url = new URL(appUrl(`/proxy${path}`));
  const params = { shop, path_prefix: "/apps/customer-agent", timestamp: String(Math.floor(Date.now() / 1000)), logged_in_customer_id: "" };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set("signature", signAppProxyQuery(url.searchParams, TEST_API_SECRET));
  return url;
}

async function appProxyRequestWithRawBody(shop: TestShop, path: string, body: string) {
  const signed = await appProxyRequest(path, { shop });
  return new Request(signed.url, { method: "POST", body, headers: { "Content-Type": "application/json" } });
}
