import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { recordRecommendation } from "../conversations/conversations.server";
import { startConversation } from "../conversations/shopper-messages.server";
import { db } from "../db.server";
import { orderFromWebhook, mirrorOrder } from "../orders/orders.server";
import { updateShopSettings } from "../settings/settings.server";
import { createTestShop, type TestShop } from "../../test/support/shopify";
import { attributedOrders, attributionSummary } from "./attribution.server";
import { CONSENT_GIVEN } from "../../test/support/constants";

const DAY_MS = 86_400_000;
let nextOrderId = 7_000_000_000;

const TRAIL_RUNNER = { id: "gid://shopify/Product/632910392", title: "Trail Runner", sku: "TR-9", url: "https://shop/p/trail", imageUrl: null, price: "60.00" };

async function placeOrder(shop: TestShop, input: { email: string; placedAt: Date; productId: number; total: string; cancelled?: boolean; refunded?: string }) {
  const at = input.placedAt.toISOString();
  return mirrorOrder(
    shop.id,
    orderFromWebhook({
      id: nextOrderId++,
      name: `#${nextOrderId}`,
      email: input.email,
      customer: null,
      total_price: input.total,
      currency: "USD",
      created_at: at,
      processed_at: at,
      updated_at: at,
      cancelled_at: input.cancelled ? at : null,
      refunds: input.refunded ? [{ id: randomUUID(), transactions: [{ amount: input.refunded, kind: "refund", status: "success" }] }] : [],
      line_items: [{ product_id: input.productId, variant_id: 1, sku: null, title: "Item", quantity: 1, price: input.total }],
    }),
  );
}

describe("attribution", () => {
  it("attributes orders within the window after a conversation, flags recommended products, and sums revenue net of refunds", async () => {
    const shop = await createTestShop();
    const conversation = await startConversation({
      shopId: shop.id,
      channel: "web_chat",
      shopper: { anonymousId: randomUUID(), email: "ada@example.com", consent: CONSENT_GIVEN },
      firstMessage: "Shoes for trails?",
    });
    await recordRecommendation({ shopId: shop.id, conversationId: conversation.id, products: [TRAIL_RUNNER] });
    const start = conversation.startedAt.getTime();

    const recommended = await placeOrder(shop, { email: "ada@example.com", placedAt: new Date(start + DAY_MS), productId: 632910392, total: "120.00", refunded: "20.00" });
    const other = await placeOrder(shop, { email: "ada@example.com", placedAt: new Date(start + 2 * DAY_MS), productId: 111, total: "30.00" });
    const cancelled = await placeOrder(shop, { email: "ada@example.com", placedAt: new Date(start + 3 * DAY_MS), productId: 632910392, total: "500.00", cancelled: true });
    const tooLate = await placeOrder(shop, { email: "ada@example.com", placedAt: new Date(start + 8 * DAY_MS), productId: 632910392, total: "99.00" });

    const byId = async (id: string) => db().order.findUniqueOrThrow({ where: { id } });
    expect(await byId(recommended!.id)).toMatchObject({ conversationId: conversation.id, containsRecommendedProduct: true, linkedBy: "email" });
    expect(await byId(other!.id)).toMatchObject({ conversationId: conversation.id, containsRecommendedProduct: false });
    expect((await byId(tooLate!.id)).conversationId).toBeNull();
    expect((await byId(cancelled!.id)).conversationId).toBe(conversation.id);

    const range = { from: new Date(start - DAY_MS), to: new Date(start + DAY_MS) };
    expect(await attributionSummary(shop.id, range)).toEqual({
      currency: "USD",
      conversations: 1,
      attributedOrders: 2,
      attributedRevenue: "130.00",
      ordersWithRecommendedProduct: 1,
      revenueWithRecommendedProduct: "100.00",
      conversionRate: 2,
      averageOrderValue: "65.00",
    });
    expect((await attributedOrders(shop.id, range)).map((order) => order.id)).toEqual([cancelled!.id, other!.id, recommended!.id]);
  });

  it("follows the merchant's window, and the cart attribute names the conversation exactly", async () => {
    const shop = await createTestShop();
    await updateShopSettings(shop.id, { attributionWindowDays: 30 });
    const shopper = { anonymousId: randomUUID(), email: "bo@example.com", consent: CONSENT_GIVEN };
    const first = await startConversation({ shopId: shop.id, channel: "web_chat", shopper, firstMessage: "Hi" });
    const second = await startConversation({ shopId: shop.id, channel: "web_chat", shopper, firstMessage: "Me again" });
    const at = new Date(second.startedAt.getTime() + 20 * DAY_MS).toISOString();

    const saved = await mirrorOrder(
      shop.id,
      orderFromWebhook({
        id: nextOrderId++, name: "#9", email: "bo@example.com", total_price: "10.00", currency: "USD", created_at: at, updated_at: at,
        note_attributes: [{ name: "_customer_agent_conversation", value: first.id }], line_items: [],
      }),
    );
    expect(await db().order.findUniqueOrThrow({ where: { id: saved!.id } })).toMatchObject({ conversationId: first.id, linkedBy: "cart_attribute" });
    await expect(updateShopSettings(shop.id, { attributionWindowDays: 0 })).rejects.toThrow(/attributionWindowDays/);
  });
});
