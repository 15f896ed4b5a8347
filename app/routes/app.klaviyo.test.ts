import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { adminDocumentRequest, adminFetchRequest, appUrl, createTestShop, send, type TestShop } from "../../test/support/shopify";

/** The page as the merchant reads it: without React's markers between text pieces, quotes unescaped. */
async function pageText(response: Response) {
  return (await response.text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}

function postForm(shop: TestShop, form: Record<string, string>) {
  return adminFetchRequest("/app/klaviyo", shop, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

/** A stored connection; its key is not one the shared fake Klaviyo knows, so nothing is sent with it. */
async function storedConnection(shop: TestShop, fields: { status?: "connected" | "needs_attention"; statusDetail?: string } = {}) {
  return db().klaviyoConnection.create({
    data: {
      shopId: shop.id,
      authMethod: "api_key",
      encryptedApiKey: encryptSecret(`pk_${randomBytes(16).toString("hex")}`),
      accountId: "PAGE01",
      accountName: "Acme Outdoors",
      scopes: ["accounts:read", "events:write", "profiles:write", "metrics:read", "segments:write"],
      ...fields,
    },
  });
}

describe("Klaviyo page", () => {
  it("invites an unconnected shop to connect and lists the permissions and what each is for", async () => {
    const shop = await createTestShop();
    const text = await pageText(await send(await adminDocumentRequest("/app/klaviyo", shop)));

    expect(text).toContain("Connect your Klaviyo account");
    expect(text).toContain('type="password"');
    expect(text).toContain("flows:write");
    expect(text).toContain("To create the suggested flows. In Klaviyo: Flows: Full Access.");
    expect(text).not.toContain("Connect with Klaviyo<");
  });

  it("shows a connected account, which permission is missing, and what needs attention", async () => {
    const shop = await createTestShop();
    await storedConnection(shop, { status: "needs_attention", statusDetail: "Klaviyo rejected the API key (it may have been deleted or revoked)." });

    const text = await pageText(await send(await adminDocumentRequest("/app/klaviyo", shop)));

    expect(text).toContain("Connected to Acme Outdoors");
    expect(text).toContain("Klaviyo needs your attention");
    expect(text).toContain("Klaviyo rejected the API key (it may have been deleted or revoked).");
    expect(text).toMatch(/flows:write<\/span><span class="Polaris-Badge[^"]*"[^>]*>.*?Missing/);
  });

  it("explains a key Klaviyo rejects, next to the field, and stores nothing", async () => {
    const shop = await createTestShop();
    const text = await pageText(await send(await postForm(shop, { intent: "connect", apiKey: "pk_this_key_was_revoked_long_ago" })));

    expect(text).toContain("Klaviyo rejected this key. Check that you copied the whole private key");
    expect(text).toContain('aria-invalid="true"');
    expect(text).not.toContain("pk_this_key_was_revoked_long_ago");
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("explains a value that is not a private key without asking Klaviyo", async () => {
    const shop = await createTestShop();
    const text = await pageText(await send(await postForm(shop, { intent: "connect", apiKey: "sk-1234" })));
    expect(text).toContain("private keys start with pk_");
  });

  it("disconnects the merchant's own shop only, keeping its events", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    await storedConnection(shop);
    await storedConnection(otherShop);
    const event = await db().klaviyoEvent.create({
      data: { shopId: shop.id, metric: "Started Conversation", uniqueId: randomUUID(), occurredAt: new Date(), payload: {}, status: "failed", lastError: "x" },
    });

    const text = await pageText(await send(await postForm(shop, { intent: "disconnect" })));

    expect(text).toContain("Klaviyo is disconnected");
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db().klaviyoConnection.count({ where: { shopId: otherShop.id } })).toBe(1);
    expect(await db().klaviyoEvent.count({ where: { id: event.id } })).toBe(1);
  });

  it("says Klaviyo sign-in is unavailable when the app has no Klaviyo OAuth client", async () => {
    const shop = await createTestShop();
    const text = await pageText(await send(await postForm(shop, { intent: "oauth" })));
    expect(text).toContain("Connecting with Klaviyo sign-in is not available");
    expect(await db().klaviyoOAuthAttempt.count({ where: { shopDomain: shop.domain } })).toBe(0);
  });

  it("refuses an unknown action", async () => {
    const shop = await createTestShop();
    expect((await send(await postForm(shop, { intent: "delete-everything" }))).status).toBe(400);
  });
});

describe("Klaviyo sign-in callback", () => {
  it("explains a state that was never issued, already used or expired", async () => {
    const response = await send(new Request(appUrl(`/klaviyo/oauth/callback?state=${randomUUID()}&code=abc`)));
    expect(response.status).toBe(400);
    expect(await pageText(response)).toContain("This Klaviyo sign-in link has expired or was already used");
  });

  it("consumes the state when the merchant declines, and leads back to the app", async () => {
    const shop = await createTestShop();
    const state = randomUUID();
    await db().klaviyoOAuthAttempt.create({ data: { state, shopDomain: shop.domain, codeVerifier: "verifier" } });

    const response = await send(new Request(appUrl(`/klaviyo/oauth/callback?state=${state}&error=access_denied`)));

    expect(response.status).toBe(400);
    const text = await pageText(response);
    expect(text).toContain("Klaviyo was not connected: access was not approved.");
    expect(text).toContain(`/demo/admin?shop=${encodeURIComponent(shop.domain)}&path=%2Fapp%2Fklaviyo`);
    expect(await db().klaviyoOAuthAttempt.count({ where: { state } })).toBe(0);
  });

  it("explains an incomplete answer", async () => {
    const response = await send(new Request(appUrl("/klaviyo/oauth/callback")));
    expect(response.status).toBe(400);
    expect(await pageText(response)).toContain("This is not a complete answer from Klaviyo");
  });
});

describe("Klaviyo page: segments, flow and windows", () => {
  it("lists the segments and flow the app creates, and saves the merchant's windows, refusing bad ones with a clear message", async () => {
    const shop = await createTestShop();
    const page = await pageText(await send(await adminDocumentRequest("/app/klaviyo", shop)));
    expect(page).toContain("Segments and flow in Klaviyo");
    expect(page).toContain("Customer Agent: recommended, no order since (14 days)");
    expect(page).toContain("Connect Klaviyo to create them.");

    const bad = await pageText(await send(await postForm(shop, { intent: "windows", recommendationWindowHours: "0", attributionWindowDays: "7" })));
    expect(bad).toContain("No-order window: at least 1 hour");
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings).toEqual({});

    await send(await postForm(shop, { intent: "windows", recommendationWindowHours: "48", attributionWindowDays: "14" }));
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings).toMatchObject({ recommendationWindowHours: 48, attributionWindowDays: 14 });
  });
});
