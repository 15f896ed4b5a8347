import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { TEST_API_SECRET } from "../../test/support/constants";
import { eventually } from "../../test/support/eventually";
import { appUrl, createTestShop, send, webhookRequest, type TestShop } from "../../test/support/shopify";
import { WEBHOOK_BODY_LIMIT_BYTES } from "./receive.server";

function orderPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: 820982911946154500,
    name: "#1001",
    email: "Jane@Example.com",
    phone: null,
    customer: { id: 115310627314723950 },
    total_price: "129.00",
    currency: "USD",
    financial_status: "paid",
    created_at: "2026-11-20T10:00:00Z",
    processed_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    line_items: [{ product_id: 1, variant_id: 2, sku: "TEE-BLK-M", title: "Tee", quantity: 1, price: "129.00" }],
    ...overrides,
  };
}

/** A prepared webhook sent to another endpoint (the headers, body and valid HMAC unchanged). */
function postedTo(request: Request, path: string) {
  return new Request(appUrl(path), request);
}

/** A body Shopify's signature covers byte for byte, whatever it contains. */
function signedRawWebhook(shop: TestShop, topic: string, body: string) {
  return new Request(appUrl(`/webhooks/${topic}`), {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_API_SECRET).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": shop.domain,
      "X-Shopify-Topic": topic,
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-API-Version": "2026-10",
    },
  });
}

describe("Shopify webhooks", () => {
  it("records an order from orders/create in the background", async () => {
    const shop = await createTestShop();
    const response = await send(await webhookRequest({ shop, topic: "orders/create", payload: orderPayload() }));
    expect(response.status).toBe(200);

    const order = await eventually(() => db().order.findFirst({ where: { shopId: shop.id } }));
    expect(order).toMatchObject({ name: "#1001", email: "jane@example.com", shopifyCustomerId: "115310627314723950" });
    expect(order.totalPrice.toString()).toBe("129");
  });

  it("rejects a forged HMAC with 401 and stores nothing", async () => {
    const shop = await createTestShop();
    const request = await webhookRequest({ shop, topic: "orders/create", payload: orderPayload() });
    request.headers.set("X-Shopify-Hmac-Sha256", Buffer.from("forged-signature-of-32-bytes-len").toString("base64"));
    const response = await send(request);

    expect(response.status).toBe(401);
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop.domain } })).toBe(0);
    expect(await db().order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("processes a replayed delivery (same webhook id) once", async () => {
    const shop = await createTestShop();
    const webhookId = randomUUID();
    const first = await send(await webhookRequest({ shop, topic: "orders/create", payload: orderPayload(), webhookId }));
    const delivery = await eventually(() =>
      db().webhookDelivery.findFirst({ where: { shopDomain: shop.domain, webhookId, status: "processed" } }),
    );
    const replay = await send(
      await webhookRequest({ shop, topic: "orders/create", payload: orderPayload({ name: "#REPLAYED" }), webhookId }),
    );

    expect([first.status, replay.status]).toEqual([200, 200]);
    const deliveries = await db().webhookDelivery.findMany({ where: { shopDomain: shop.domain } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ id: delivery.id, attempts: 1 });
    expect((await db().order.findFirstOrThrow({ where: { shopId: shop.id } })).name).toBe("#1001");
  });

  it("ignores an orders/updated older than the stored order", async () => {
    const shop = await createTestShop();
    await send(await webhookRequest({ shop, topic: "orders/updated", payload: orderPayload({ financial_status: "refunded", updated_at: "2026-11-22T10:00:00Z" }) }));
    await eventually(() => db().order.findFirst({ where: { shopId: shop.id } }));
    await send(await webhookRequest({ shop, topic: "orders/updated", payload: orderPayload({ financial_status: "paid", updated_at: "2026-11-21T10:00:00Z" }) }));
    await eventually(() => db().webhookDelivery.count({ where: { shopDomain: shop.domain, status: "processed" } }).then((n) => n === 2));

    expect((await db().order.findFirstOrThrow({ where: { shopId: shop.id } })).financialStatus).toBe("refunded");
  });

  it("keeps the catalog mirror in step with products/create, update and delete", async () => {
    const shop = await createTestShop();
    const product = {
      id: 632910392,
      title: "Trail Runner",
      handle: "trail-runner",
      body_html: "<p>Light <b>and</b> grippy</p>",
      vendor: "Peak",
      product_type: "Shoes",
      status: "active",
      tags: "running, trail",
      image: { src: "https://cdn.example/trail.png" },
      updated_at: "2026-11-20T10:00:00Z",
      variants: [
        { id: 1, title: "9", sku: "TR-9", price: "120.00", inventory_quantity: 4 },
        { id: 2, title: "10", sku: "TR-10", price: "125.00", inventory_quantity: 0 },
      ],
    };
    await send(await webhookRequest({ shop, topic: "products/create", payload: product }));
    const saved = await eventually(() =>
      db().product.findFirst({ where: { shopId: shop.id }, include: { variants: { orderBy: { sku: "asc" } } } }),
    );
    expect(saved).toMatchObject({ title: "Trail Runner", description: "Light and grippy", tags: ["running", "trail"] });
    expect(saved.variants.map((variant) => variant.sku)).toEqual(["TR-10", "TR-9"]);

    await send(await webhookRequest({ shop, topic: "products/delete", payload: { id: 632910392 } }));
    await eventually(() => db().product.count({ where: { shopId: shop.id } }).then((n) => n === 0));
  });

  it("erases the shop's data on app/uninstalled, and a replay changes nothing", async () => {
    const shop = await createTestShop();
    await send(await webhookRequest({ shop, topic: "orders/create", payload: orderPayload() }));
    await eventually(() => db().order.findFirst({ where: { shopId: shop.id } }));
    const webhookId = randomUUID();
    await send(await webhookRequest({ shop, topic: "app/uninstalled", payload: { id: 1, domain: shop.domain }, webhookId }));

    await eventually(() => db().shop.findUnique({ where: { domain: shop.domain } }).then((row) => row === null));
    expect(await db().session.count({ where: { shop: shop.domain } })).toBe(0);
    expect(await db().order.count({ where: { shopId: shop.id } })).toBe(0);
    const remaining = await db().webhookDelivery.findMany({ where: { shopDomain: shop.domain } });
    expect(remaining.map((delivery) => delivery.webhookId)).toEqual([webhookId]);
  });

  it("erases the shop's data on shop/redact", async () => {
    const shop = await createTestShop();
    await send(await webhookRequest({ shop, topic: "shop/redact", payload: { shop_id: 1, shop_domain: shop.domain } }));
    await eventually(() => db().shop.findUnique({ where: { domain: shop.domain } }).then((row) => row === null));
  });

  it("answers customers/data_request with what the app holds, and customers/redact deletes it", async () => {
    const shop = await createTestShop();
    const customer = { id: 207119551, email: "ada@example.com", phone: "+15145550100" };
    await db().shopper.create({
      data: { shopId: shop.id, anonymousId: randomUUID(), shopifyCustomerId: "207119551", email: "ada@example.com" },
    });
    const requestId = randomUUID();
    await send(
      await webhookRequest({
        shop,
        topic: "customers/data_request",
        payload: { shop_domain: shop.domain, customer, orders_requested: [], data_request: { id: 9 } },
        webhookId: requestId,
      }),
    );
    const report = await eventually(() =>
      db().webhookDelivery.findFirst({ where: { webhookId: requestId, status: "processed" } }),
    );
    expect(JSON.stringify(report.result)).toContain("ada@example.com");

    await send(await webhookRequest({ shop, topic: "customers/redact", payload: { shop_domain: shop.domain, customer, orders_to_redact: [] } }));
    await eventually(() => db().shopper.count({ where: { shopId: shop.id } }).then((n) => n === 0));
  });

  it("accepts on each endpoint only its own topic: a signed order sent as shop/redact for another shop erases nothing", async () => {
    const attacker = await createTestShop();
    const victim = await createTestShop();
    await db().shopper.create({ data: { shopId: victim.id, anonymousId: randomUUID(), email: "kept@example.com" } });
    // The attacker holds a body Shopify signed; the topic and shop headers are not signed.
    const signedOrder = await webhookRequest({ shop: attacker, topic: "orders/create", payload: orderPayload() });
    const relabelled = (path: string) => {
      const request = postedTo(signedOrder.clone(), path);
      request.headers.set("X-Shopify-Topic", "shop/redact");
      request.headers.set("X-Shopify-Shop-Domain", victim.domain);
      return request;
    };

    const onOrderEndpoint = await send(relabelled("/webhooks/orders/create"));
    expect(onOrderEndpoint.status).toBe(400);
    expect(await onOrderEndpoint.json()).toEqual({ error: "This endpoint receives orders/create only", field: "X-Shopify-Topic" });
    // On the shop/redact endpoint the topic matches, but the signed body names no shop, so it cannot name this one.
    const onRedactEndpoint = await send(relabelled("/webhooks/shop/redact"));
    expect(onRedactEndpoint.status).toBe(400);
    expect(await onRedactEndpoint.json()).toMatchObject({ field: "shop_domain" });

    expect(await db().webhookDelivery.count({ where: { shopDomain: { in: [victim.domain, attacker.domain] } } })).toBe(0);
    expect(await db().shop.findUnique({ where: { domain: victim.domain } })).not.toBeNull();
    expect(await db().shopper.count({ where: { shopId: victim.id } })).toBe(1);
  });

  it("rejects compliance payloads and app/uninstalled naming another shop than the header, storing nothing", async () => {
    const sender = await createTestShop();
    const other = await createTestShop();
    await db().shopper.create({ data: { shopId: other.id, anonymousId: randomUUID(), shopifyCustomerId: "42", email: "ada@example.com" } });
    const customer = { id: 42, email: "ada@example.com", phone: null };
    const attempts = [
      { topic: "customers/redact", payload: { shop_domain: other.domain, customer, orders_to_redact: [] } },
      { topic: "customers/data_request", payload: { shop_domain: other.domain, customer, orders_requested: [] } },
      { topic: "shop/redact", payload: { shop_id: 1, shop_domain: other.domain } },
      { topic: "app/uninstalled", payload: { id: 1, domain: other.domain, myshopify_domain: other.domain } },
    ];
    for (const { topic, payload } of attempts) {
      const response = await send(await webhookRequest({ shop: sender, topic, payload }));
      expect(response.status, topic).toBe(400);
      expect(await response.json(), topic).toMatchObject({ field: "shop_domain" });
    }

    expect(await db().webhookDelivery.count({ where: { shopDomain: { in: [sender.domain, other.domain] } } })).toBe(0);
    expect(await db().shopper.count({ where: { shopId: other.id } })).toBe(1);
    expect(await db().shop.count({ where: { domain: { in: [sender.domain, other.domain] } } })).toBe(2);
  });

  it("answers a signed body that is not JSON with a JSON 400, and stores nothing", async () => {
    const shop = await createTestShop();
    const response = await send(signedRawWebhook(shop, "orders/create", '{"id": 1, "name": '));

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Webhook body must be JSON" });
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop.domain } })).toBe(0);
  });

  it("refuses a body larger than Shopify ever sends with 413, and stores nothing", async () => {
    const shop = await createTestShop();
    const oversized = JSON.stringify(orderPayload({ note: "x".repeat(WEBHOOK_BODY_LIMIT_BYTES) }));
    const response = await send(signedRawWebhook(shop, "orders/create", oversized));

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "Request body is larger than 1024 KB" });
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop.domain } })).toBe(0);
  });
});
