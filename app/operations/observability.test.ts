import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../db.server";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { probe, startAppProcess, type AppProcess } from "../../test/support/app-process";
import { eventually } from "../../test/support/eventually";
import { newOrderId, orderPayload } from "../../test/support/orders";
import { adminFetchRequest, appProxyRequest, appUrl, createTestShop, send, webhookRequest, type TestShop } from "../../test/support/shopify";

const METRICS_TOKEN = `metrics-${randomBytes(16).toString("hex")}`;
let fake: FakeKlaviyo;
let app: AppProcess;

/** A request prepared by Shopify's test helpers for the shared app, sent to this file's own instance instead. */
function toInstance(request: Request, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const url = new URL(request.url);
  const target = new URL(`${url.pathname}${url.search}`, app.url);
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return send(new Request(target, { method: request.method, headers, body: request.body, duplex: "half" } as RequestInit));
}

beforeAll(async () => {
  fake = await startFakeKlaviyo();
  // Web only: the shared app's workers do the background work, so this instance's output is its requests' alone.
  app = await startAppProcess({
    DATABASE_URL: inject("databaseUrl"),
    WORKERS: "off",
    LOG_LEVEL: "info",
    METRICS_TOKEN,
    KLAVIYO_API_URL: fake.url,
    SHOPIFY_ADMIN_API_ORIGIN: inject("fakeShopifyUrl"),
  });
  await eventually(async () => (await probe(`${app.url}/readyz`)).status === 200, 90_000);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe("logs and metrics of a running instance", () => {
  let shop: TestShop;
  const shopperMessage = `Do you have the zebra-pancake-${randomBytes(6).toString("hex")} jacket?`;
  const apiKey = `pk_${randomBytes(16).toString("hex")}`;
  const requestId = `lb-${randomUUID()}`;
  let conversationId: string;

  beforeAll(async () => {
    shop = await createTestShop();
    // A shopper chats (no consent decision, so nothing is queued for Klaviyo) through the signed app proxy.
    const chat = await toInstance(
      await appProxyRequest("/conversations", { shop, method: "POST", body: { anonymousId: randomUUID(), message: shopperMessage } }),
      { "X-Request-Id": requestId },
    );
    expect(chat.status).toBe(200);
    expect(chat.headers.get("x-request-id")).toBe(requestId);
    ({ conversationId } = (await chat.json()) as { conversationId: string });

    // The merchant connects Klaviyo with a private key.
    fake.addAccount({ apiKey, accountId: `LOG${randomBytes(3).toString("hex")}` });
    const connect = await toInstance(
      await adminFetchRequest("/app/klaviyo", shop, {
        method: "POST",
        body: new URLSearchParams({ intent: "connect", apiKey }),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    expect(connect.status).toBeLessThan(500);
    await eventually(async () => (await db().klaviyoConnection.count({ where: { shopId: shop.id } })) === 1);

    // And Shopify sends an order.
    const webhook = await toInstance(await webhookRequest({ shop, topic: "orders/create", payload: orderPayload({ id: newOrderId() }) }));
    expect(webhook.status).toBe(200);
  });

  it("logs each request as JSON with its id, shop and conversation, and never the Klaviyo key or what the shopper wrote", async () => {
    // A request's line is written when its response has gone out, so it may reach the pipe after the answer.
    await eventually(async () => app.output().includes('"route":"/webhooks/orders/create"'));
    const lines = app
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.reqId === requestId && line.msg === "request")).toMatchObject({
      route: "/proxy/conversations",
      method: "POST",
      status: 200,
      shop: shop.domain,
      conversationId,
    });
    expect(lines.some((line) => line.route === "/app/klaviyo" && line.shop === shop.domain && typeof line.reqId === "string")).toBe(true);
    expect(lines.some((line) => line.route === "/webhooks/orders/create" && line.shop === shop.domain)).toBe(true);

    const output = app.output();
    expect(output).not.toContain(apiKey);
    expect(output).not.toContain(shopperMessage);
    expect(output).not.toContain("zebra-pancake");
  });

  it("serves metrics only to a scraper with the token, by route pattern", async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { Authorization: "Bearer not-the-token-at-all" } })).status).toBe(401);
    const scrape = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    for (const name of [
      "http_request_duration_seconds",
      "agent_turn_duration_seconds",
      "klaviyo_outbox_depth",
      "klaviyo_outbox_oldest_age_seconds",
      "klaviyo_delivery_lag_seconds",
      "klaviyo_responses_total",
      "webhook_queue_depth",
      "pgboss_job_failures_total",
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/proxy\/conversations",status="200"\} [1-9]/);
    expect(text).toMatch(/agent_turn_duration_seconds_count\{brain="builtin"\} [1-9]/);
    expect(text).toMatch(/klaviyo_responses_total\{endpoint="GET \/api\/accounts",status="200"\} [1-9]/);
    expect(text).toMatch(/klaviyo_outbox_depth\{status="pending"\} \d+/);
    expect(text).toMatch(/webhook_queue_depth\{status="received"\} \d+/);
    // Route patterns, never a conversation's own URL.
    expect(text).not.toContain(conversationId);
  });

  it("has no /metrics where no token is configured, and health checks that need no Shopify authentication", async () => {
    expect((await fetch(appUrl("/metrics"))).status).toBe(404);
    expect(await probe(appUrl("/healthz"))).toEqual({ status: 200, body: { status: "alive" } });
    expect(await probe(appUrl("/readyz"))).toMatchObject({ status: 200, body: { ready: true } });
  });
});
