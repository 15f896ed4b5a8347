import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { adminDocumentRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

async function conversation(shop: TestShop, status: "open" | "escalated", firstMessage: string) {
  const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID() } });
  return db().conversation.create({
    data: {
      shopId: shop.id,
      shopperId: shopper.id,
      channel: "web_chat",
      status,
      messages: { create: { author: "shopper", body: firstMessage } },
    },
  });
}

async function page(path: string, shop: TestShop) {
  const response = await send(await adminDocumentRequest(path, shop));
  return { status: response.status, html: await response.text() };
}

describe("admin list pages read their address leniently", () => {
  it("shows every conversation for an unknown status or a malformed or unknown cursor, instead of an error", async () => {
    const shop = await createTestShop();
    await conversation(shop, "open", "Where is my parcel?");
    await conversation(shop, "escalated", "I want a refund");
    const otherShop = await createTestShop();
    const theirs = await conversation(otherShop, "open", "Another shop's shopper");

    for (const query of ["status=x", "status=", "status=open&status=bogus", "cursor=not-a-uuid", `cursor=${randomUUID()}`, `cursor=${theirs.id}`, "status=x&cursor=%00"]) {
      const { status, html } = await page(`/app/conversations?${query}`, shop);
      expect(status, query).toBe(200);
      expect(html, query).toContain("Where is my parcel?");
      expect(html, query).toContain("I want a refund");
      expect(html, query).not.toContain("Another shop&#x27;s shopper");
    }
  });

  it("still filters by a known status", async () => {
    const shop = await createTestShop();
    await conversation(shop, "open", "Where is my parcel?");
    await conversation(shop, "escalated", "I want a refund");

    const { status, html } = await page("/app/conversations?status=escalated", shop);
    expect(status).toBe(200);
    expect(html).toContain("I want a refund");
    expect(html).not.toContain("Where is my parcel?");
  });

  it("shows the delivery log for an unknown status or a malformed or unknown cursor", async () => {
    const shop = await createTestShop();
    for (const query of ["status=x", "cursor=not-a-uuid", `cursor=${randomUUID()}`, "status=failed&cursor=%00"]) {
      const { status, html } = await page(`/app/events?${query}`, shop);
      expect(status, query).toBe(200);
      expect(html, query).toContain("Event delivery");
    }
  });
});

describe("the inbox's filters", () => {
  async function filteredConversation(shop: TestShop, input: { channel: "web_chat" | "email" | "sms"; skill: string | null; tags: string[]; lastMessageAt: Date; message: string; email?: string }) {
    const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID(), email: input.email ?? null } });
    return db().conversation.create({
      data: {
        shopId: shop.id, shopperId: shopper.id, channel: input.channel, skill: input.skill, tags: input.tags, lastMessageAt: input.lastMessageAt,
        messages: { create: { author: "shopper", body: input.message } },
      },
    });
  }

  it("narrows the list by channel, skill, tag, last-activity dates and text, together or alone", async () => {
    const shop = await createTestShop();
    await filteredConversation(shop, { channel: "web_chat", skill: "order-status", tags: ["vip"], lastMessageAt: new Date("2026-11-02T10:00:00Z"), message: "Where is parcel ALPHA?" });
    await filteredConversation(shop, { channel: "email", skill: "store-knowledge", tags: ["returns", "vip"], lastMessageAt: new Date("2026-11-10T10:00:00Z"), message: "Return policy BRAVO?", email: "zed@example.org" });
    await filteredConversation(shop, { channel: "sms", skill: null, tags: [], lastMessageAt: new Date("2026-11-20T23:59:00Z"), message: "Text CHARLIE" });
    const shown = async (query: string) => {
      const { status, html } = await page(`/app/conversations?${query}`, shop);
      expect(status, query).toBe(200);
      return ["ALPHA", "BRAVO", "CHARLIE"].filter((word) => html.includes(word));
    };

    expect(await shown("")).toEqual(["ALPHA", "BRAVO", "CHARLIE"]);
    expect(await shown("channel=email")).toEqual(["BRAVO"]);
    expect(await shown("skill=order-status")).toEqual(["ALPHA"]);
    expect(await shown("tag=vip")).toEqual(["ALPHA", "BRAVO"]);
    expect(await shown("tag=vip&channel=web_chat")).toEqual(["ALPHA"]);
    expect(await shown("from=2026-11-10")).toEqual(["BRAVO", "CHARLIE"]);
    // Both ends of the date range are whole days: the 20th includes 23:59 UTC.
    expect(await shown("from=2026-11-03&to=2026-11-20")).toEqual(["BRAVO", "CHARLIE"]);
    expect(await shown("q=parcel")).toEqual(["ALPHA"]);
    expect(await shown("q=ZED%40EXAMPLE")).toEqual(["BRAVO"]);
    expect(await shown("q=nothing-matches")).toEqual([]);
    expect((await page("/app/conversations?q=nothing-matches", shop)).html).toContain("No conversations match these filters");
    // A malformed filter is dropped, not an error.
    expect(await shown("channel=fax&from=yesterday")).toEqual(["ALPHA", "BRAVO", "CHARLIE"]);
  });
});

describe("the delivery log's filters", () => {
  it("narrows the log by event and by conversation, and previews one event's payload", async () => {
    const shop = await createTestShop();
    const { id: conversationId } = await conversation(shop, "open", "Hello");
    const escalated = await db().klaviyoEvent.create({
      data: { shopId: shop.id, conversationId, metric: "Conversation Escalated", uniqueId: randomUUID(), occurredAt: new Date(), payload: { properties: { "Escalation Reason": "Refund DELTA" } } },
    });
    await db().klaviyoEvent.create({ data: { shopId: shop.id, metric: "Started Conversation", uniqueId: randomUUID(), occurredAt: new Date(), payload: {} } });

    const byMetric = (await page("/app/events?metric=Conversation%20Escalated", shop)).html;
    expect(byMetric).toContain(conversationId.slice(0, 8));
    expect(byMetric).not.toContain("Started Conversation");
    const byConversation = (await page(`/app/events?conversationId=${conversationId}`, shop)).html;
    expect(byConversation).toContain("Conversation Escalated");
    const preview = (await page(`/app/events?event=${escalated.id}`, shop)).html;
    expect(preview).toContain("What the app sends to Klaviyo: Conversation Escalated");
    expect(preview).toContain("Refund DELTA");
    const otherShop = await createTestShop();
    expect((await page(`/app/events?event=${escalated.id}`, otherShop)).html).not.toContain("Refund DELTA");
  });
});
