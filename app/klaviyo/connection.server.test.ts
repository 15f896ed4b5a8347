import "../../test/support/isolated-database";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { startFakeKlaviyo } from "../../fakes/klaviyo/server";
import { completeOAuth, connectionStatus, connectWithApiKey, credentialsFor, disconnect, startOAuth } from "./connection.server";

// Read by the app's config on first use, which comes after these lines.
const fake = await startFakeKlaviyo();
process.env.KLAVIYO_API_URL = fake.url;
process.env.KLAVIYO_CLIENT_ID = "klaviyo-client";
process.env.KLAVIYO_CLIENT_SECRET = "klaviyo-secret";

afterAll(() => fake.close());

async function newShop() {
  return db().shop.create({ data: { domain: `connect-${randomBytes(5).toString("hex")}.myshopify.com` } });
}

describe("connecting Klaviyo", () => {
  it("connects a good private key, stores it encrypted and shows the account", async () => {
    const shop = await newShop();
    const apiKey = `pk_${randomBytes(16).toString("hex")}`;
    fake.addAccount({ apiKey, accountId: "GOOD01", name: "Acme Outdoors" });

    const result = await connectWithApiKey(shop.id, apiKey);
    expect(result.ok).toBe(true);
    const stored = await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(stored.encryptedApiKey).not.toContain(apiKey);
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    expect(await credentialsFor(stored)).toEqual({ kind: "api_key", apiKey });
    expect(await connectionStatus(shop.id)).toMatchObject({ state: "connected", accountName: "Acme Outdoors", authMethod: "api_key" });
  });

  it("tells the merchant when the key is wrong, and stores nothing", async () => {
    const shop = await newShop();
    const result = await connectWithApiKey(shop.id, "pk_thiskeydoesnotexist000");
    expect(result).toEqual({ ok: false, field: "apiKey", message: expect.stringContaining("Klaviyo rejected this key") });
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("names each missing scope of an under-scoped key and how to fix it", async () => {
    const shop = await newShop();
    const apiKey = `pk_${randomBytes(16).toString("hex")}`;
    fake.addAccount({ apiKey, accountId: "SCOPE01", scopes: ["accounts:read", "events:write", "metrics:read", "profiles:write"] });

    const result = await connectWithApiKey(shop.id, apiKey);
    expect(result.ok).toBe(false);
    const message = result.ok ? "" : result.message;
    for (const scope of ["segments:read", "segments:write", "flows:read", "flows:write"]) expect(message).toContain(scope);
    expect(message).not.toContain("events:write");
    expect(message).toContain("Settings → API keys");
  });

  it("refuses something that is not a private key before calling Klaviyo", async () => {
    const shop = await newShop();
    const before = fake.requests().length;
    const result = await connectWithApiKey(shop.id, "sk-1234");
    expect(result).toMatchObject({ ok: false, field: "apiKey", message: expect.stringContaining("starts with pk_") });
    expect(fake.requests()).toHaveLength(before);
  });

  it("connects with OAuth and PKCE, refreshes the token, and disconnects", async () => {
    const shop = await newShop();
    const authorizeUrl = new URL(await startOAuth(shop.domain));
    expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
    const state = authorizeUrl.searchParams.get("state")!;
    const attempt = await db().klaviyoOAuthAttempt.findUniqueOrThrow({ where: { state } });
    expect(authorizeUrl.searchParams.get("code_challenge")).toBe(createHash("sha256").update(attempt.codeVerifier).digest("base64url"));

    fake.registerAuthorizationCode({
      code: "auth-code-1",
      codeChallenge: authorizeUrl.searchParams.get("code_challenge")!,
      clientId: "klaviyo-client",
      redirectUri: authorizeUrl.searchParams.get("redirect_uri")!,
      accountId: "OAUTH01",
      scopes: authorizeUrl.searchParams.get("scope")!.split(" "),
    });
    expect(await completeOAuth(state, "auth-code-1")).toEqual({ shopDomain: shop.domain });
    await expect(completeOAuth(state, "auth-code-1")).rejects.toThrow(/expired or was already used/);

    const connection = await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(connection).toMatchObject({ authMethod: "oauth", accountId: "OAUTH01", status: "connected" });
    const expiring = await db().klaviyoConnection.update({ where: { id: connection.id }, data: { accessTokenExpiresAt: new Date(Date.now() + 1000) } });
    const refreshed = await credentialsFor(expiring);
    expect(refreshed).toMatchObject({ kind: "oauth" });
    expect((await db().klaviyoConnection.findUniqueOrThrow({ where: { id: connection.id } })).accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);

    await disconnect(shop.id);
    expect(await connectionStatus(shop.id)).toMatchObject({ state: "none", oauthAvailable: true });
  });

  it("marks the connection for attention when Klaviyo refuses to renew access", async () => {
    const shop = await newShop();
    const connection = await db().klaviyoConnection.create({
      data: {
        shopId: shop.id, authMethod: "oauth", accountId: "OAUTH02", scopes: [],
        encryptedAccessToken: (await import("../crypto.server")).encryptSecret("expired"),
        encryptedRefreshToken: (await import("../crypto.server")).encryptSecret("revoked-refresh-token"),
        accessTokenExpiresAt: new Date(Date.now() - 1000),
      },
    });
    expect(await credentialsFor(connection)).toBeNull();
    expect(await connectionStatus(shop.id)).toMatchObject({ state: "needs_attention", statusDetail: expect.stringContaining("Connect Klaviyo again") });
  });
});
