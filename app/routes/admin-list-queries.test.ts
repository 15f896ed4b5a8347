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
