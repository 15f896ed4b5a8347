import "../../test/support/isolated-database";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { startFakeKlaviyo } from "../../fakes/klaviyo/server";
import {
  completeOAuth,
  connectionStatus,
  connectWithApiKey,
  credentialsFor,
  disconnect,
  KlaviyoOAuthError,
  refreshAccessToken,
  REQUIRED_SCOPES,
  startOAuth,
} from "./connection.server";

// The app reads its configuration on first use, which comes after these lines: this file gets its own Klaviyo.
const fake = await startFakeKlaviyo();
process.env.KLAVIYO_API_URL = fake.url;
process.env.KLAVIYO_CLIENT_ID = "klaviyo-client";
process.env.KLAVIYO_CLIENT_SECRET = "klaviyo-secret";

afterAll(() => fake.close());
afterEach(() => vi.restoreAllMocks());

async function newShop() {
  return db().shop.create({ data: { domain: `connect-${randomBytes(5).toString("hex")}.myshopify.com` } });
}

function newApiKey() {
  return `pk_${randomBytes(17).toString("hex")}`;
}

function failureMessage(result: Awaited<ReturnType<typeof connectWithApiKey>>): string {
  if (result.ok) throw new Error("expected the connection to be refused");
  return result.message;
}

/** Plays the merchant's part at Klaviyo: approves the sign-in the app started and returns to the callback. */
async function approveAtKlaviyo(authorizeUrl: string, accountId: string, scopes?: string[]) {
  const url = new URL(authorizeUrl);
  const code = `code-${randomUUID()}`;
  fake.registerAuthorizationCode({
    code,
    codeChallenge: url.searchParams.get("code_challenge")!,
    clientId: url.searchParams.get("client_id")!,
    redirectUri: url.searchParams.get("redirect_uri")!,
    accountId,
    scopes: scopes ?? url.searchParams.get("scope")!.split(" "),
  });
  return { state: url.searchParams.get("state")!, code };
}

async function connectWithOAuth(shop: { id: string; domain: string }, accountId: string) {
  const { state, code } = await approveAtKlaviyo(await startOAuth(shop.domain), accountId);
  await completeOAuth(state, code);
  return db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
}

describe("connecting with a private API key", () => {
  it("connects a good key, stores it encrypted and shows the account", async () => {
    const shop = await newShop();
    const apiKey = newApiKey();
    fake.addAccount({ apiKey, accountId: "GOOD01", name: "Acme Outdoors" });
    const logged = [
      ...(["log", "info", "warn", "error"] as const).map((method) => vi.spyOn(console, method)),
      ...(["debug", "info", "warn", "error"] as const).map((level) => vi.spyOn(logger(), level)),
    ];

    const result = await connectWithApiKey(shop.id, `  ${apiKey}\n`);

    expect(result).toMatchObject({ ok: true, connection: { accountId: "GOOD01", authMethod: "api_key", status: "connected" } });
    expect(JSON.stringify(result)).not.toContain(apiKey.slice(3));
    for (const spy of logged) expect(JSON.stringify(spy.mock.calls)).not.toContain(apiKey.slice(3));
    const [row] = await db().$queryRaw<unknown[]>`SELECT * FROM "KlaviyoConnection" WHERE "shopId" = ${shop.id}`;
    expect(JSON.stringify(row)).not.toContain(apiKey.slice(3));
    const stored = await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(stored.encryptedApiKey).toMatch(/^v1:/);
    expect(await credentialsFor(stored)).toEqual({ kind: "api_key", apiKey });
    expect(await connectionStatus(shop.id)).toMatchObject({
      state: "connected",
      authMethod: "api_key",
      accountName: "Acme Outdoors",
      scopes: expect.arrayContaining([...REQUIRED_SCOPES, "segments:read", "flows:read"]),
      missingScopes: [],
    });
  });

  it("tells the merchant when Klaviyo rejects the key, and stores nothing", async () => {
    const shop = await newShop();
    const result = await connectWithApiKey(shop.id, "pk_thiskeydoesnotexist000");
    expect(result).toEqual({ ok: false, field: "apiKey", message: expect.stringContaining("Klaviyo rejected this key") });
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("names each missing scope of an under-scoped key and how to fix it", async () => {
    const shop = await newShop();
    const apiKey = newApiKey();
    fake.addAccount({ apiKey, scopes: ["accounts:read", "events:write", "metrics:read", "profiles:write"] });

    const message = failureMessage(await connectWithApiKey(shop.id, apiKey));

    expect(message).toContain("missing 2 scopes the app needs: segments:write, flows:write");
    expect(message).toContain("segments:write (Segments: Full Access, to create the suggested segments)");
    expect(message).toContain("flows:write (Flows: Full Access, to create the suggested flows)");
    expect(message).toContain("Klaviyo → Settings → API keys");
    expect(message).not.toContain("events:write");
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("names every missing scope when the key cannot even read the account", async () => {
    const shop = await newShop();
    const apiKey = newApiKey();
    fake.addAccount({ apiKey, scopes: ["events:write"] });

    const message = failureMessage(await connectWithApiKey(shop.id, apiKey));

    expect(message).toContain("missing 5 scopes the app needs: accounts:read, profiles:write, metrics:read, segments:write, flows:write");
  });

  it("connects a key without the read-back scopes, which the app can do without", async () => {
    const shop = await newShop();
    const apiKey = newApiKey();
    fake.addAccount({ apiKey, scopes: REQUIRED_SCOPES });

    expect(await connectWithApiKey(shop.id, apiKey)).toMatchObject({ ok: true });
    expect((await connectionStatus(shop.id)).scopes.toSorted()).toEqual([...REQUIRED_SCOPES].sort());
  });

  it.each([
    ["", "Paste a Klaviyo private API key"],
    ["AbC123", "That is your public API key (site ID)"],
    ["sk-1234567890abcdef", "private keys start with pk_"],
    ["pk_1234", "looks incomplete"],
    ["pk_abcdef1234 567890", "looks incomplete"],
    [`pk_${"a".repeat(5000)}`, "looks incomplete"],
  ])("refuses %j before calling Klaviyo", async (input, expected) => {
    const shop = await newShop();
    const before = fake.requests().length;
    expect(await connectWithApiKey(shop.id, input)).toEqual({ ok: false, field: "apiKey", message: expect.stringContaining(expected) });
    expect(fake.requests()).toHaveLength(before);
  });

  it("says so when Klaviyo asks to wait, without blaming the key", async () => {
    const shop = await newShop();
    const apiKey = newApiKey();
    const accountId = fake.addAccount({ apiKey });
    fake.failNext({ status: 429, retryAfter: 7, accountId });

    expect(await connectWithApiKey(shop.id, apiKey)).toEqual({ ok: false, message: expect.stringContaining("Try again in 7 seconds") });
  });

  it("replaces the shop's earlier connection", async () => {
    const shop = await newShop();
    const first = newApiKey();
    const second = newApiKey();
    fake.addAccount({ apiKey: first, accountId: "FIRST01" });
    fake.addAccount({ apiKey: second, accountId: "SECOND01" });

    await connectWithApiKey(shop.id, first);
    await connectWithApiKey(shop.id, second);

    const connections = await db().klaviyoConnection.findMany({ where: { shopId: shop.id } });
    expect(connections).toHaveLength(1);
    expect(await credentialsFor(connections[0]!)).toEqual({ kind: "api_key", apiKey: second });
  });

  it("disconnects and keeps the shop's pending events for a later reconnect", async () => {
    const shop = await newShop();
    const apiKey = newApiKey();
    fake.addAccount({ apiKey });
    await connectWithApiKey(shop.id, apiKey);
    const event = await db().klaviyoEvent.create({
      data: { shopId: shop.id, metric: "Started Conversation", uniqueId: randomUUID(), occurredAt: new Date(), payload: {} },
    });

    await disconnect(shop.id);

    expect(await connectionStatus(shop.id)).toMatchObject({ state: "none", accountName: null, scopes: [] });
    expect(await db().klaviyoEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "pending" });
  });
});

describe("connecting with Klaviyo sign-in (OAuth with PKCE)", () => {
  it("sends the merchant to Klaviyo with a PKCE challenge for a verifier it keeps", async () => {
    const shop = await newShop();
    const url = new URL(await startOAuth(shop.domain));

    expect(`${url.origin}${url.pathname}`).toBe("https://www.klaviyo.com/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "klaviyo-client",
      redirect_uri: `${process.env.SHOPIFY_APP_URL}/klaviyo/oauth/callback`,
      scope: "accounts:read events:write profiles:write metrics:read segments:write flows:write segments:read flows:read",
      code_challenge_method: "S256",
    });
    const attempt = await db().klaviyoOAuthAttempt.findUniqueOrThrow({ where: { state: url.searchParams.get("state")! } });
    expect(attempt.shopDomain).toBe(shop.domain);
    expect(url.searchParams.get("code_challenge")).toBe(createHash("sha256").update(attempt.codeVerifier).digest("base64url"));
    expect(url.toString()).not.toContain(attempt.codeVerifier);
  });

  it("exchanges the code with the verifier (checked by Klaviyo) and stores encrypted tokens and the account", async () => {
    const shop = await newShop();
    const { state, code } = await approveAtKlaviyo(await startOAuth(shop.domain), "OAUTH01");

    expect(await completeOAuth(state, code)).toEqual({ shopDomain: shop.domain });

    const connection = await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(connection).toMatchObject({ authMethod: "oauth", accountId: "OAUTH01", status: "connected", encryptedApiKey: null });
    expect(connection.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(connection.encryptedAccessToken).toMatch(/^v1:/);
    expect(await credentialsFor(connection)).toMatchObject({ kind: "oauth", accessToken: expect.stringMatching(/^kat_/) });
    expect(await connectionStatus(shop.id)).toMatchObject({ state: "connected", authMethod: "oauth", missingScopes: [] });
  });

  it("fails when the verifier does not match the challenge Klaviyo was given", async () => {
    const shop = await newShop();
    const { state, code } = await approveAtKlaviyo(await startOAuth(shop.domain), "OAUTH02");
    await db().klaviyoOAuthAttempt.update({ where: { state }, data: { codeVerifier: randomBytes(48).toString("base64url") } });

    await expect(completeOAuth(state, code)).rejects.toMatchObject({ name: "KlaviyoOAuthError", code: "invalid_grant", shopDomain: shop.domain });
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("accepts a state once, even when two callbacks race", async () => {
    const shop = await newShop();
    const { state, code } = await approveAtKlaviyo(await startOAuth(shop.domain), "OAUTH03");

    const outcomes = await Promise.allSettled([completeOAuth(state, code), completeOAuth(state, code)]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    await expect(completeOAuth(state, code)).rejects.toThrow(/expired or was already used/);
  });

  it("refuses a state older than ten minutes, and one it never issued", async () => {
    const shop = await newShop();
    const { state, code } = await approveAtKlaviyo(await startOAuth(shop.domain), "OAUTH04");
    await db().klaviyoOAuthAttempt.update({ where: { state }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });

    await expect(completeOAuth(state, code)).rejects.toMatchObject({ code: "expired_state" });
    await expect(completeOAuth("made-up-state", code)).rejects.toBeInstanceOf(KlaviyoOAuthError);
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("marks the connection for attention when Klaviyo grants fewer scopes than asked", async () => {
    const shop = await newShop();
    const { state, code } = await approveAtKlaviyo(await startOAuth(shop.domain), "OAUTH05", ["accounts:read", "events:write"]);

    await completeOAuth(state, code);

    expect(await connectionStatus(shop.id)).toMatchObject({
      state: "needs_attention",
      missingScopes: ["profiles:write", "metrics:read", "segments:write", "flows:write"],
      statusDetail: expect.stringContaining("profiles:write"),
    });
  });

  it("renews an access token about to expire, once, however many callers ask at the same time", async () => {
    const shop = await newShop();
    const connection = await connectWithOAuth(shop, "OAUTH06");
    const expiring = await db().klaviyoConnection.update({ where: { id: connection.id }, data: { accessTokenExpiresAt: new Date(Date.now() + 30_000) } });
    const tokenRequests = () => fake.requests().filter((request) => request.path === "/oauth/token").length;
    const before = tokenRequests();

    const renewed = await Promise.all([credentialsFor(expiring), credentialsFor(expiring), refreshAccessToken(expiring)]);

    expect(tokenRequests() - before).toBe(1);
    expect(new Set(renewed.map((credentials) => JSON.stringify(credentials))).size).toBe(1);
    const stored = await db().klaviyoConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(stored).toMatchObject({ status: "connected" });
    expect(stored.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(await credentialsFor(stored)).toEqual(renewed[0]);
  });

  it("marks the connection for attention when Klaviyo refuses to renew access", async () => {
    const shop = await newShop();
    const connection = await db().klaviyoConnection.create({
      data: {
        shopId: shop.id,
        authMethod: "oauth",
        accountId: "OAUTH07",
        scopes: [...REQUIRED_SCOPES],
        encryptedAccessToken: encryptSecret("expired-access-token"),
        encryptedRefreshToken: encryptSecret("revoked-refresh-token"),
        accessTokenExpiresAt: new Date(Date.now() - 1000),
      },
    });

    expect(await credentialsFor(connection)).toBeNull();
    expect(await connectionStatus(shop.id)).toMatchObject({ state: "needs_attention", statusDetail: expect.stringContaining("Connect Klaviyo again") });
  });

  it("revokes the grant at Klaviyo on disconnect", async () => {
    const shop = await newShop();
    const connection = await connectWithOAuth(shop, "OAUTH08");
    const refreshToken = decryptSecret(connection.encryptedRefreshToken!);

    await disconnect(shop.id);

    expect(await connectionStatus(shop.id)).toMatchObject({ state: "none", oauthAvailable: true });
    const reuse = await fetch(`${fake.url}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${Buffer.from("klaviyo-client:klaviyo-secret").toString("base64")}` },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
    });
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
  });
});
