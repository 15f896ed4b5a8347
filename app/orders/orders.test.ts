import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startConversation } from "../conversations/shopper-messages.server";
import { db } from "../db.server";
import { eventually } from "../../test/support/eventually";
import { createTestShop, send, webhookRequest, type TestShop } from "../../test/support/shopify";
import { CONVERSATION_CART_ATTRIBUTE, mirrorOrder, orderFromWebhook } from "./orders.server";
import { CONSENT_GIVEN } from "../../test/support/constants";
import { newOrderId, orderPayload } from "../../test/support/orders";


async function deliver(shop: TestShop, topic: string, payload: unknown) {
  const response = await send(await webhookRequest({ shop, topic, payload }));
  expect(response.status).toBe(200);
}

async function processedCount(shop: TestShop, count: number) {
  await eventually(async () => (await db().webhookDelivery.count({ where: { shopDomain: shop.domain, status: "processed" } })) >= count);
}

async function chat(shop: TestShop, shopper: { email?: string; shopifyCustomerId?: string; phone?: string } = {}) {
  return startConversation({ shopId: shop.id, channel: "web_chat", shopper: { anonymousId: randomUUID(), consent: CONSENT_GIVEN, ...shopper }, firstMessage: "Looking for trail shoes" });
}

describe("orders from Shopify webhooks", () => {
  it("keeps what the product needs from orders/create, including the conversation cart attribute", async () => {
    const shop = await createTestShop();
    const conversation = await chat(shop);
    const placedAt = new Date(conversation.startedAt.getTime() + 60_000).toISOString();
    const payload = orderPayload({
      created_at: placedAt,
      processed_at: placedAt,
      updated_at: placedAt,
      note_attributes: [{ name: "gift", value: "yes" }, { name: CONVERSATION_CART_ATTRIBUTE, value: conversation.id }],
    });
    await deliver(shop, "orders/create", payload);

    const order = await eventually(() => db().order.findFirst({ where: { shopId: shop.id } }));
    expect(order).toMatchObject({
      shopifyId: String(payload.id),
      name: "#1042",
      number: 1042,
      shopifyCustomerId: "115310627314723950",
      email: "jane@example.com",
      phone: null,
      currencyCode: "USD",
      financialStatus: "paid",
      cancelledAt: null,
      cartConversationId: conversation.id,
      linkedBy: "cart_attribute",
      shopperId: conversation.shopperId,
      conversationId: conversation.id,
    });
    expect([order.totalPrice, order.subtotalPrice, order.totalTax, order.refundedAmount].map(String)).toEqual(["129", "120", "9", "0"]);
    expect(order.placedAt.toISOString()).toBe(placedAt);
    expect(order.lineItems).toEqual([{ productId: "632910392", variantId: "808950810", sku: "TR-9", title: "Trail Runner", quantity: 2, price: "60.00" }]);
  });

  it("treats the empty strings of a draft order as absent, so guest orders are never linked through an empty email", async () => {
    const shop = await createTestShop();
    await chat(shop);
    const draft = { email: "", contact_email: "", phone: "", customer: null };
    await deliver(shop, "orders/create", orderPayload(draft));
    await deliver(shop, "orders/create", orderPayload(draft));
    await processedCount(shop, 2);

    const orders = await db().order.findMany({ where: { shopId: shop.id } });
    expect(orders).toHaveLength(2);
    for (const order of orders) expect(order).toMatchObject({ email: null, phone: null, shopifyCustomerId: null, shopperId: null, linkedBy: null });
  });

  it("links by the most trusted identifier: customer id before email before phone", async () => {
    const shop = await createTestShop();
    const byCustomer = await chat(shop, { shopifyCustomerId: "7001" });
    const byEmail = await chat(shop, { email: "sam@example.com" });
    const byPhone = await chat(shop, { phone: "+1 514 555 0100" });
    const at = new Date(Date.now() + 60_000).toISOString();
    const timed = { created_at: at, processed_at: at, updated_at: at };

    await deliver(shop, "orders/create", orderPayload({ ...timed, name: "#1", customer: { id: 7001 }, email: "sam@example.com", phone: "+15145550100" }));
    await deliver(shop, "orders/create", orderPayload({ ...timed, name: "#2", customer: { id: 9999 }, email: "SAM@example.com ", phone: "+15145550100" }));
    await deliver(shop, "orders/create", orderPayload({ ...timed, name: "#3", customer: null, email: "", phone: "+1 (514) 555-0100" }));
    await processedCount(shop, 3);

    const linked = Object.fromEntries(
      (await db().order.findMany({ where: { shopId: shop.id } })).map((order) => [order.name, [order.linkedBy, order.shopperId, order.conversationId]]),
    );
    expect(linked).toEqual({
      "#1": ["customer_id", byCustomer.shopperId, byCustomer.id],
      "#2": ["email", byEmail.shopperId, byEmail.id],
      "#3": ["phone", byPhone.shopperId, byPhone.id],
    });
  });

  it("keeps the newest version however the deliveries race or arrive out of order", async () => {
    const shop = await createTestShop();
    const shopifyId = String(newOrderId());
    const versions = Array.from({ length: 12 }, (_, index) =>
      orderFromWebhook(orderPayload({ id: shopifyId, financial_status: `status-${index}`, updated_at: new Date(Date.UTC(2026, 10, 20, 10, index)).toISOString() })),
    );
    const shuffled = [...versions].sort(() => Math.random() - 0.5);
    const written = await Promise.all(shuffled.map((version) => mirrorOrder(shop.id, version)));

    const order = await db().order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId } });
    expect(order.financialStatus).toBe("status-11");
    expect(order.shopifyUpdatedAt?.toISOString()).toBe("2026-11-20T10:11:00.000Z");
    expect(written.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    // A repeat of the stored version writes nothing (and so triggers nothing).
    expect(await mirrorOrder(shop.id, versions[11]!)).toBeNull();
  });

  it("records orders/cancelled, and counts each refund once however often refunds/create arrives", async () => {
    const shop = await createTestShop();
    const order = orderPayload();
    await deliver(shop, "orders/create", order);
    await processedCount(shop, 1);
    await deliver(shop, "orders/cancelled", { ...order, cancelled_at: "2026-11-20T12:00:00Z", cancel_reason: "customer", updated_at: "2026-11-20T12:00:00Z" });
    const refund = { id: 929361462, order_id: order.id, created_at: "2026-11-20T12:05:00Z", transactions: [{ amount: "40.00", kind: "refund", status: "success" }] };
    await deliver(shop, "refunds/create", refund);
    await deliver(shop, "refunds/create", refund);
    await processedCount(shop, 4);

    const saved = await db().order.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(saved.cancelledAt?.toISOString()).toBe("2026-11-20T12:00:00.000Z");
    expect(saved.cancelReason).toBe("customer");
    expect(String(saved.refundedAmount)).toBe("40");
    expect(saved.refunds).toEqual({ "929361462": "40.00" });
  });

  it("retries a refund whose order has not arrived yet, and counts it once the order is there", async () => {
    const shop = await createTestShop();
    const order = orderPayload();
    await deliver(shop, "refunds/create", { id: 1, order_id: order.id, transactions: [{ amount: "10.00", kind: "refund", status: "success" }] });
    const failed = await eventually(() => db().webhookDelivery.findFirst({ where: { shopDomain: shop.domain, status: "failed" } }));
    expect(failed.error).toContain("not mirrored yet");

    await deliver(shop, "orders/create", order);
    await eventually(async () => String((await db().order.findFirst({ where: { shopId: shop.id } }))?.refundedAmount) === "10", 60_000);
  });
});
