import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { adminDocumentRequest, adminFetchRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

async function conversationOf(shop: TestShop, status: "open" | "escalated") {
  const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID(), email: "kim@example.com", analyticsConsent: true, marketingConsent: true } });
  return db().conversation.create({
    data: {
      shopId: shop.id, shopperId: shopper.id, channel: "web_chat", status, skill: "order-status",
      ...(status === "escalated" ? { escalatedAt: new Date(), escalationReason: "Refund request" } : {}),
      messages: {
        create: [
          { author: "shopper", body: "Where is my parcel?" },
          {
            author: "agent", body: "It ships today: Storm Shell.", skill: "order-status", intent: "order-status",
            parts: [{ type: "product", productId: "gid://shopify/Product/1", title: "Storm Shell", url: "https://s/products/storm", imageUrl: null, price: "120.00", compareAtPrice: null, currencyCode: "USD", variantId: null }, { type: "unknown-part" }],
          },
        ],
      },
    },
  });
}

async function act(shop: TestShop, conversationId: string, form: Record<string, string>) {
  const response = await send(
    await adminFetchRequest(`/app/conversations/${conversationId}`, shop, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
  // The page as rendered after the action, with its banner.
  return { status: response.status, html: (await response.text()).replaceAll("&#x27;", "'") };
}

describe("a conversation in the admin", () => {
  it("shows each agent turn's skill and its product cards, skipping parts it cannot read", async () => {
    const shop = await createTestShop();
    const conversation = await conversationOf(shop, "open");
    const html = await (await send(await adminDocumentRequest(`/app/conversations/${conversation.id}`, shop))).text();
    expect(html).toContain("Skill: order-status");
    expect(html).toContain("Storm Shell");
    expect(html).toContain("understood: order-status");
  });

  it("marks an open conversation resolved (Klaviyo hears it) and refuses to for one waiting for a person", async () => {
    const shop = await createTestShop();
    const open = await conversationOf(shop, "open");
    expect((await act(shop, open.id, { intent: "resolve" })).html).toContain("Conversation marked resolved");
    expect((await db().conversation.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("resolved");
    expect(await db().klaviyoEvent.count({ where: { conversationId: open.id, metric: "Conversation Resolved" } })).toBe(1);

    const escalated = await conversationOf(shop, "escalated");
    const refused = await act(shop, escalated.id, { intent: "resolve" });
    expect(refused.html).toContain("Only an open conversation can be marked resolved");
    expect((await db().conversation.findUniqueOrThrow({ where: { id: escalated.id } })).status).toBe("escalated");
  });

  it("sends a staff reply, and answers an empty one with what to do", async () => {
    const shop = await createTestShop();
    const conversation = await conversationOf(shop, "escalated");
    expect((await act(shop, conversation.id, { intent: "reply", body: "   " })).html).toContain("Write a reply first");
    expect(await db().message.count({ where: { conversationId: conversation.id, author: "staff" } })).toBe(0);
    expect((await act(shop, conversation.id, { intent: "reply", body: "On its way!" })).html).toContain("Reply sent");
    expect(await db().message.count({ where: { conversationId: conversation.id, author: "staff", body: "On its way!" } })).toBe(1);
  });
});
