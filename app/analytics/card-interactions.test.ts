import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { appProxyRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

const PRODUCT = "gid://shopify/Product/632910392";

/** A web chat whose agent reply showed one product card, as the agent stores it. */
async function conversationWithCard(shop: TestShop) {
  const anonymousId = randomUUID();
  const shopper = await db().shopper.create({
    data: { shopId: shop.id, anonymousId, identifiers: { create: { shopId: shop.id, kind: "anonymous", value: anonymousId, source: "storefront" } } },
  });
  const conversation = await db().conversation.create({
    data: {
      shopId: shop.id,
      shopperId: shopper.id,
      channel: "web_chat",
      messages: {
        create: [
          { author: "shopper", body: "A rain jacket please" },
          {
            author: "agent",
            body: "Here is one: Storm Shell, $120.",
            skill: "product-recommendations",
            parts: [{ type: "product", productId: PRODUCT, title: "Storm Shell", url: "https://s/products/storm", imageUrl: null, price: "120.00", compareAtPrice: null, currencyCode: "USD", variantId: "gid://shopify/ProductVariant/1" }],
          },
        ],
      },
    },
  });
  return { conversationId: conversation.id, anonymousId };
}

async function report(shop: TestShop, conversationId: string, body: unknown) {
  return send(await appProxyRequest(`/conversations/${conversationId}/interactions`, { shop, method: "POST", body }));
}

describe("card interactions reported by the widget (signed app proxy)", () => {
  it("counts an add to cart and a product click once per conversation, product and kind", async () => {
    const shop = await createTestShop();
    const { conversationId, anonymousId } = await conversationWithCard(shop);

    const first = await report(shop, conversationId, { anonymousId, productId: PRODUCT, kind: "add_to_cart" });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ recorded: true });
    const again = await report(shop, conversationId, { anonymousId, productId: PRODUCT, kind: "add_to_cart" });
    expect(await again.json()).toEqual({ recorded: false });
    expect((await report(shop, conversationId, { anonymousId, productId: PRODUCT, kind: "product_click" })).status).toBe(200);

    const rows = await db().cardInteraction.findMany({ where: { conversationId }, orderBy: { kind: "asc" } });
    expect(rows.map((row) => [row.kind, row.productId, row.shopId])).toEqual([
      ["add_to_cart", PRODUCT, shop.id],
      ["product_click", PRODUCT, shop.id],
    ]);
  });

  it("answers bad input with a 400 naming the field and stores nothing", async () => {
    const shop = await createTestShop();
    const { conversationId, anonymousId } = await conversationWithCard(shop);

    const badKind = await report(shop, conversationId, { anonymousId, productId: PRODUCT, kind: "hover" });
    expect(badKind.status).toBe(400);
    expect((await badKind.json()).error).toContain("kind");
    const noProduct = await report(shop, conversationId, { anonymousId, kind: "add_to_cart" });
    expect(noProduct.status).toBe(400);
    expect((await noProduct.json()).error).toContain("productId");
    const notShown = await report(shop, conversationId, { anonymousId, productId: "gid://shopify/Product/999", kind: "add_to_cart" });
    expect(notShown.status).toBe(400);
    expect((await notShown.json()).error).toBe("productId: not a product the agent showed in this conversation");
    const notJson = await send(
      new Request((await appProxyRequest(`/conversations/${conversationId}/interactions`, { shop, method: "POST", body: {} })).url, { method: "POST", body: "{", headers: { "Content-Type": "application/json" } }),
    );
    expect(notJson.status).toBe(400);

    expect(await db().cardInteraction.count({ where: { conversationId } })).toBe(0);
  });

  it("refuses a forged signature (401) and another shopper's or shop's conversation (404)", async () => {
    const shop = await createTestShop();
    const { conversationId, anonymousId } = await conversationWithCard(shop);

    const signed = await appProxyRequest(`/conversations/${conversationId}/interactions`, { shop, method: "POST", body: { anonymousId, productId: PRODUCT, kind: "add_to_cart" } });
    const forged = new URL(signed.url);
    forged.searchParams.set("signature", "0".repeat(64));
    expect((await send(new Request(forged, { method: "POST", body: await signed.text(), headers: { "Content-Type": "application/json" } }))).status).toBe(401);

    expect((await report(shop, conversationId, { anonymousId: randomUUID(), productId: PRODUCT, kind: "add_to_cart" })).status).toBe(404);
    const otherShop = await createTestShop();
    expect((await report(otherShop, conversationId, { anonymousId, productId: PRODUCT, kind: "add_to_cart" })).status).toBe(404);

    expect(await db().cardInteraction.count({ where: { conversationId } })).toBe(0);
  });
});
