let nextOrderId = 5_000_000_000;

/** A Shopify order id not used yet in this test process. */
export function newOrderId(): number {
  return nextOrderId++;
}

/** An `orders/create` webhook payload as Shopify sends it (a paid order of two Trail Runners), with overrides. */
export function orderPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: newOrderId(),
    name: "#1042",
    order_number: 1042,
    email: "Jane@Example.com",
    phone: "",
    customer: { id: 115310627314723950, email: "jane@example.com", phone: null },
    total_price: "129.00",
    subtotal_price: "120.00",
    total_tax: "9.00",
    total_discounts: "0.00",
    currency: "USD",
    financial_status: "paid",
    created_at: "2026-11-20T10:00:00Z",
    processed_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    cancelled_at: null,
    cancel_reason: null,
    note_attributes: [],
    refunds: [],
    line_items: [{ product_id: 632910392, variant_id: 808950810, sku: "TR-9", title: "Trail Runner", quantity: 2, price: "60.00" }],
    ...overrides,
  };
}
