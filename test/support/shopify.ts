import { randomBytes, randomUUID } from "node:crypto";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { inject } from "vitest";
import { config } from "../../app/config.server";
import { db } from "../../app/db.server";
import { MERCHANT_USER_AGENT, TEST_API_KEY, TEST_API_SECRET } from "./constants";

export interface TestShop {
  id: string;
  store: string;
  domain: string;
  accessToken: string;
}

/**
 * A fresh installed shop: its row and an offline session, so the app can call the Admin API for it without a
 * token exchange. Every test makes its own, which keeps tests independent while sharing one app and database.
 */
export async function createTestShop(): Promise<TestShop> {
  const store = `test-${randomBytes(5).toString("hex")}`;
  const domain = `${store}.myshopify.com`;
  const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
  const shop = await db().shop.create({ data: { domain, name: `Test ${store}` } });
  await db().session.create({
    data: {
      id: `offline_${domain}`,
      shop: domain,
      state: "",
      isOnline: false,
      scope: "read_products,read_orders,read_customers,read_themes",
      accessToken,
    },
  });
  return { id: shop.id, store, domain, accessToken };
}

/** A shop installed with the scopes the app asks for, whose demo catalog the fake Shopify serves (DEMO_TEST_SHOPS). */
export async function createDemoShop({ domain, accessToken }: { domain: string; accessToken: string }): Promise<TestShop> {
  const shop = await db().shop.create({ data: { domain, name: domain } });
  await db().session.create({
    data: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, scope: config().SCOPES, accessToken },
  });
  return { id: shop.id, store: domain.replace(/\.myshopify\.com$/, ""), domain, accessToken };
}

export function appUrl(path: string): string {
  return new URL(path, inject("appUrl")).toString();
}

export interface WebhookOptions {
  shop: TestShop;
  topic: string;
  payload: unknown;
  webhookId?: string;
  triggeredAt?: Date;
}

/** A webhook exactly as Shopify sends it, signed with the app secret (the library's own test helper). */
export async function webhookRequest({ shop, topic, payload, webhookId = randomUUID(), triggeredAt = new Date() }: WebhookOptions) {
  return setUpValidRequest(
    {
      type: RequestType.Extension,
      store: shop.store,
      apiSecretKey: TEST_API_SECRET,
      body: payload,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Webhook-Id": webhookId,
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Triggered-At": triggeredAt.toISOString(),
      },
    },
    new Request(appUrl(`/webhooks/${topic}`)),
  );
}

export interface ProxyOptions {
  shop: TestShop;
  method?: "GET" | "POST";
  body?: unknown;
  loggedInCustomerId?: string;
}

/** A storefront request as Shopify's app proxy forwards it: signed query, no cookies. */
export async function appProxyRequest(path: string, { shop, method = "GET", body, loggedInCustomerId = "" }: ProxyOptions) {
  const url = new URL(appUrl(`/proxy${path}`));
  url.searchParams.set("path_prefix", "/apps/customer-agent");
  url.searchParams.set("logged_in_customer_id", loggedInCustomerId);
  const request = new Request(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
  });
  return setUpValidRequest({ type: RequestType.Public, store: shop.store, apiSecretKey: TEST_API_SECRET }, request);
}

/** An admin page load inside Shopify's admin (embedded, with a session token in the URL). */
export async function adminDocumentRequest(path: string, shop: TestShop) {
  return setUpValidRequest(
    { type: RequestType.Admin, store: shop.store, apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET },
    new Request(appUrl(path)),
  );
}

/** A fetch from the embedded admin (App Bridge adds the session token as a bearer header). */
export async function adminFetchRequest(path: string, shop: TestShop, init: RequestInit = {}) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.store, apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET },
    new Request(appUrl(path), init),
  );
}

/**
 * Sends a prepared request over HTTP (fetch() refuses a Request whose body stream was already wrapped, so its
 * parts are resent). Node's fetch says "node" in its user agent, which the Shopify library turns away as a bot;
 * requests here come from a merchant's browser or from Shopify, so they say so.
 */
export async function send(request: Request): Promise<Response> {
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
  const headers = new Headers(request.headers);
  if (!headers.has("user-agent")) headers.set("user-agent", MERCHANT_USER_AGENT);
  return fetch(request.url, { method: request.method, headers, body, redirect: "manual" });
}
