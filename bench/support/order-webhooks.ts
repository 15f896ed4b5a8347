import { createHmac, randomUUID } from "node:crypto";

/** A paid `orders/create` payload as Shopify sends it, serialised once (its bytes are what the HMAC signs). */
export function orderWebhookBody(order: { id: number; number: number; email: string; customerId: number }): string {
  const at = new Date().toISOString();
  return JSON.stringify({
    id: order.id,
    name: `#${order.number}`,
    order_number: order.number,
    email: order.email,
    contact_email: order.email,
    phone: null,
    customer: { id: order.customerId, email: order.email, phone: null },
    total_price: "129.00",
    subtotal_price: "120.00",
    total_tax: "9.00",
    total_discounts: "0.00",
    currency: "USD",
    financial_status: "paid",
    created_at: at,
    processed_at: at,
    updated_at: at,
    cancelled_at: null,
    cancel_reason: null,
    note_attributes: [],
    refunds: [],
    line_items: [
      { product_id: 632910392, variant_id: 808950810, sku: "TEE-BLK-M", title: "Tee", quantity: 1, price: "40.00" },
      { product_id: 632910393, variant_id: 808950811, sku: "HOOD-GRY-L", title: "Hoodie", quantity: 1, price: "80.00" },
    ],
  });
}

/** The headers Shopify sends with one `orders/create` delivery, signed over the body's bytes. */
export function signedOrderWebhookHeaders(
  secret: string,
  delivery: { shop: string; webhookId: string; body: string; triggeredAt: number },
): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-Webhook-Id": delivery.webhookId,
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Triggered-At": new Date(delivery.triggeredAt).toISOString(),
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(delivery.body).digest("base64"),
  };
}

/** POSTs one `orders/create` delivery with headers signed beforehand; the status, or 0 when no answer came. */
export async function postOrderWebhook(appUrl: string, headers: Record<string, string>, body: string): Promise<number> {
  try {
    const response = await fetch(`${appUrl}/webhooks/orders/create`, { method: "POST", headers, body });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** POSTs one signed `orders/create` delivery as Shopify does; the status, or 0 when no answer came. */
export function deliverOrderWebhook(
  appUrl: string,
  secret: string,
  delivery: { shop: string; webhookId: string; body: string; triggeredAt: number },
): Promise<number> {
  return postOrderWebhook(appUrl, signedOrderWebhookHeaders(secret, delivery), delivery.body);
}
