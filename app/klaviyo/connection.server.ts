import { createHash, randomBytes } from "node:crypto";
import type { KlaviyoConnection } from "@prisma/client";
import { config } from "../config.server";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { KlaviyoClient, type KlaviyoCredentials, type KlaviyoScope } from "./client.server";
import { KlaviyoApiError } from "./errors";
import { OUTBOX_CHANNEL } from "./outbox.server";

/** What each scope is for; shown to the merchant, and the list a key is checked against. */
export const REQUIRED_SCOPES: Record<KlaviyoScope, string> = {
  "accounts:read": "check the key and show which account is connected",
  "events:write": "send conversation events",
  "profiles:write": "link shoppers to their Klaviyo profiles",
  "metrics:read": "find this app's metrics for segments and flows",
  "segments:read": "show the segments the app created",
  "segments:write": "create the suggested segments",
  "flows:read": "show the flows the app created",
  "flows:write": "create the suggested flows",
};

const OAUTH_ATTEMPT_TTL_MS = 10 * 60_000;
const REFRESH_MARGIN_MS = 60_000;

export type ConnectResult = { ok: true; connection: KlaviyoConnection } | { ok: false; field?: "apiKey"; message: string };

export class KlaviyoOAuthError extends Error {
  override name = "KlaviyoOAuthError";
}

function clientWith(credentials: KlaviyoCredentials) {
  const settings = config();
  return new KlaviyoClient({ baseUrl: settings.KLAVIYO_API_URL, credentials, timeoutMs: settings.KLAVIYO_REQUEST_TIMEOUT_MS });
}

async function missingScopes(client: KlaviyoClient): Promise<KlaviyoScope[]> {
  const scopes = Object.keys(REQUIRED_SCOPES).filter((scope) => scope !== "accounts:read") as KlaviyoScope[];
  const granted = await Promise.all(scopes.map((scope) => client.probeScope(scope)));
  return scopes.filter((_, index) => !granted[index]);
}

/** Wakes the delivery engine: events recorded while disconnected go out as soon as an account is connected. */
async function announceConnected(shopId: string) {
  await db().$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${shopId})`;
}

/**
 * Connects a private API key after checking it against Klaviyo: the account it belongs to and every scope the
 * app needs. A mistake is returned as a message for the merchant, never thrown; the key is stored encrypted.
 */
export async function connectWithApiKey(shopId: string, rawKey: string): Promise<ConnectResult> {
  const apiKey = rawKey.trim();
  if (!/^pk_[A-Za-z0-9_]{10,}$/.test(apiKey)) {
    return { ok: false, field: "apiKey", message: "That is not a Klaviyo private API key: it starts with pk_ (Klaviyo → Settings → API keys)." };
  }
  const client = clientWith({ kind: "api_key", apiKey });
  try {
    const account = await client.getAccount();
    const missing = await missingScopes(client);
    if (missing.length) {
      return {
        ok: false,
        field: "apiKey",
        message: `This key is missing ${missing.length === 1 ? "a scope" : "scopes"}: ${missing.join(", ")}. In Klaviyo → Settings → API keys, create a private key with Custom access granting ${missing.map((scope) => `${scope} (to ${REQUIRED_SCOPES[scope]})`).join(", ")}, then paste it here.`,
      };
    }
    const fields = {
      authMethod: "api_key" as const,
      status: "connected" as const,
      statusDetail: null,
      encryptedApiKey: encryptSecret(apiKey),
      encryptedAccessToken: null,
      encryptedRefreshToken: null,
      accessTokenExpiresAt: null,
      scopes: Object.keys(REQUIRED_SCOPES),
      accountId: account.id,
      accountName: account.name,
      publicApiKey: account.publicApiKey,
      pausedUntil: null,
      connectedAt: new Date(),
    };
    const connection = await db().klaviyoConnection.upsert({ where: { shopId }, create: { shopId, ...fields }, update: fields });
    await announceConnected(shopId);
    return { ok: true, connection };
  } catch (error) {
    if (!(error instanceof KlaviyoApiError)) throw error;
    if (error.kind === "unauthorized") {
      return { ok: false, field: "apiKey", message: "Klaviyo rejected this key. Check that you copied the whole private key and that it has not been revoked." };
    }
    if (error.kind === "forbidden") {
      return { ok: false, field: "apiKey", message: "This key cannot read the account (scope accounts:read). Create a private key with the scopes listed below." };
    }
    return { ok: false, message: `Klaviyo could not be reached to check the key (${error.detail}). Try again in a moment.` };
  }
}

export async function disconnect(shopId: string) {
  const connection = await db().klaviyoConnection.findUnique({ where: { shopId } });
  if (!connection) return;
  if (connection.authMethod === "oauth" && connection.encryptedRefreshToken) {
    await revokeToken(decryptSecret(connection.encryptedRefreshToken)).catch(() => undefined);
  }
  await db().klaviyoConnection.delete({ where: { shopId } });
}

export async function connectionStatus(shopId: string) {
  const connection = await db().klaviyoConnection.findUnique({ where: { shopId } });
  return {
    state: connection ? connection.status : ("none" as const),
    accountName: connection?.accountName ?? null,
    accountId: connection?.accountId ?? null,
    authMethod: connection?.authMethod ?? null,
    statusDetail: connection?.statusDetail ?? null,
    connectedAt: connection?.connectedAt ?? null,
    oauthAvailable: Boolean(config().KLAVIYO_CLIENT_ID),
  };
}

function basicAuth() {
  const settings = config();
  return `Basic ${Buffer.from(`${settings.KLAVIYO_CLIENT_ID}:${settings.KLAVIYO_CLIENT_SECRET}`).toString("base64")}`;
}

export function oauthRedirectUri() {
  return new URL("/klaviyo/oauth/callback", config().SHOPIFY_APP_URL).toString();
}

/** Starts "Connect with Klaviyo" (OAuth authorization code + PKCE); the state is single-use and short-lived. */
export async function startOAuth(shopDomain: string): Promise<string> {
  const settings = config();
  if (!settings.KLAVIYO_CLIENT_ID) throw new KlaviyoOAuthError("Klaviyo OAuth is not configured (KLAVIYO_CLIENT_ID)");
  const state = randomBytes(24).toString("base64url");
  const codeVerifier = randomBytes(48).toString("base64url");
  await db().klaviyoOAuthAttempt.create({ data: { state, shopDomain, codeVerifier } });
  const url = new URL(settings.KLAVIYO_OAUTH_AUTHORIZE_URL);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: settings.KLAVIYO_CLIENT_ID,
    redirect_uri: oauthRedirectUri(),
    scope: Object.keys(REQUIRED_SCOPES).join(" "),
    state,
    code_challenge_method: "S256",
    code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
  }).toString();
  return url.toString();
}

interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope?: string;
}

async function tokenRequest(form: Record<string, string>): Promise<TokenResponse> {
  const response = await fetch(new URL("/oauth/token", config().KLAVIYO_API_URL), {
    method: "POST",
    headers: { Authorization: basicAuth(), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(config().KLAVIYO_REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string; error_description?: string };
  if (!response.ok || !body.access_token || !body.refresh_token) {
    throw new KlaviyoOAuthError(body.error_description ?? body.error ?? `Klaviyo token endpoint answered ${response.status}`);
  }
  return body as TokenResponse;
}

async function revokeToken(token: string) {
  await fetch(new URL("/oauth/revoke", config().KLAVIYO_API_URL), {
    method: "POST",
    headers: { Authorization: basicAuth(), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, token_type_hint: "refresh_token" }).toString(),
    signal: AbortSignal.timeout(config().KLAVIYO_REQUEST_TIMEOUT_MS),
  });
}

/** Finishes OAuth: the state must be ours, unused and fresh; returns the shop it was started for. */
export async function completeOAuth(state: string, code: string): Promise<{ shopDomain: string }> {
  const attempt = await db().klaviyoOAuthAttempt.findUnique({ where: { state } });
  await db().klaviyoOAuthAttempt.deleteMany({ where: { state } });
  if (!attempt || Date.now() - attempt.createdAt.getTime() > OAUTH_ATTEMPT_TTL_MS) {
    throw new KlaviyoOAuthError("This Klaviyo sign-in link has expired or was already used. Start again from the app.");
  }
  const tokens = await tokenRequest({ grant_type: "authorization_code", code, code_verifier: attempt.codeVerifier, redirect_uri: oauthRedirectUri() });
  const account = await clientWith({ kind: "oauth", accessToken: tokens.access_token }).getAccount();
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: attempt.shopDomain } });
  const fields = {
    authMethod: "oauth" as const,
    status: "connected" as const,
    statusDetail: null,
    encryptedApiKey: null,
    encryptedAccessToken: encryptSecret(tokens.access_token),
    encryptedRefreshToken: encryptSecret(tokens.refresh_token),
    accessTokenExpiresAt: new Date(Date.now() + tokens.expires_in * 1000),
    scopes: (tokens.scope ?? Object.keys(REQUIRED_SCOPES).join(" ")).split(" ").filter(Boolean),
    accountId: account.id,
    accountName: account.name,
    publicApiKey: account.publicApiKey,
    pausedUntil: null,
    connectedAt: new Date(),
  };
  await db().klaviyoConnection.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...fields }, update: fields });
  await announceConnected(shop.id);
  return { shopDomain: attempt.shopDomain };
}

/**
 * Fresh credentials for a connection: OAuth access tokens are refreshed shortly before they expire. A refused
 * refresh (revoked, or unused for 90 days) marks the connection for the merchant's attention.
 */
export async function credentialsFor(connection: KlaviyoConnection): Promise<KlaviyoCredentials | null> {
  if (connection.authMethod === "api_key") {
    return connection.encryptedApiKey ? { kind: "api_key", apiKey: decryptSecret(connection.encryptedApiKey) } : null;
  }
  if (!connection.encryptedAccessToken || !connection.encryptedRefreshToken) return null;
  if (connection.accessTokenExpiresAt && connection.accessTokenExpiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS) {
    return { kind: "oauth", accessToken: decryptSecret(connection.encryptedAccessToken) };
  }
  try {
    const tokens = await tokenRequest({ grant_type: "refresh_token", refresh_token: decryptSecret(connection.encryptedRefreshToken) });
    await db().klaviyoConnection.update({
      where: { id: connection.id },
      data: {
        encryptedAccessToken: encryptSecret(tokens.access_token),
        encryptedRefreshToken: encryptSecret(tokens.refresh_token),
        accessTokenExpiresAt: new Date(Date.now() + tokens.expires_in * 1000),
      },
    });
    return { kind: "oauth", accessToken: tokens.access_token };
  } catch (error) {
    if (!(error instanceof KlaviyoOAuthError)) throw error;
    await db().klaviyoConnection.update({
      where: { id: connection.id },
      data: { status: "needs_attention", statusDetail: `Klaviyo refused to renew access (${error.message}). Connect Klaviyo again.` },
    });
    return null;
  }
}
