import { createHash, randomBytes } from "node:crypto";
import type { KlaviyoConnection, KlaviyoOAuthAttempt, Prisma } from "@prisma/client";
import { config } from "../config.server";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { klaviyoClientFor, type KlaviyoAccount, type KlaviyoClient, type KlaviyoCredentials, type KlaviyoScope } from "./client.server";
import { KlaviyoApiError } from "./errors";
import { OUTBOX_CHANNEL } from "./outbox.server";
import { logger } from "../logger.server";

export interface KlaviyoScopeInfo {
  scope: KlaviyoScope;
  /** Without it the app cannot work; the others only let the app read back what it created. */
  required: boolean;
  /** The setting on Klaviyo's "Custom key" form that grants the scope. */
  klaviyoAccess: string;
  purpose: string;
}

/** Every scope the app asks for, in the order the merchant sees them; the list a key is checked against. */
export const KLAVIYO_SCOPES: readonly KlaviyoScopeInfo[] = [
  { scope: "accounts:read", required: true, klaviyoAccess: "Accounts: Read Access", purpose: "check the key and show which account is connected" },
  { scope: "events:write", required: true, klaviyoAccess: "Events: Full Access", purpose: "send conversation events" },
  { scope: "profiles:write", required: true, klaviyoAccess: "Profiles: Full Access", purpose: "link shoppers to their Klaviyo profiles" },
  { scope: "metrics:read", required: true, klaviyoAccess: "Metrics: Read Access", purpose: "find this app's metrics for segments and flows" },
  { scope: "segments:write", required: true, klaviyoAccess: "Segments: Full Access", purpose: "create the suggested segments" },
  { scope: "flows:write", required: true, klaviyoAccess: "Flows: Full Access", purpose: "create the suggested flows" },
  { scope: "segments:read", required: false, klaviyoAccess: "Segments: Read Access", purpose: "show the segments the app created" },
  { scope: "flows:read", required: false, klaviyoAccess: "Flows: Read Access", purpose: "show the flows the app created" },
];

export const REQUIRED_SCOPES: readonly KlaviyoScope[] = KLAVIYO_SCOPES.filter((info) => info.required).map((info) => info.scope);

const OAUTH_ATTEMPT_TTL_MS = 10 * 60_000;
const REFRESH_MARGIN_MS = 60_000;
const API_KEYS_SETTINGS = "Klaviyo → Settings → API keys";

export type ConnectResult = { ok: true; connection: KlaviyoConnection } | { ok: false; field?: "apiKey"; message: string };

/** A Klaviyo sign-in that cannot finish; `message` is for the merchant, `shopDomain` is known once the state was. */
export class KlaviyoOAuthError extends Error {
  override name = "KlaviyoOAuthError";

  constructor(
    /** The OAuth error code (`invalid_grant`, …) or this app's own (`expired_state`, `not_configured`, …). */
    readonly code: string,
    message: string,
    readonly shopDomain?: string,
  ) {
    super(message);
  }
}

function scopeInfo(scope: KlaviyoScope): KlaviyoScopeInfo {
  return KLAVIYO_SCOPES.find((info) => info.scope === scope)!;
}

function missingScopesMessage(missing: readonly KlaviyoScope[]): string {
  const listed = missing.map((scope) => `${scope} (${scopeInfo(scope).klaviyoAccess}, to ${scopeInfo(scope).purpose})`);
  return (
    `This key is missing ${missing.length === 1 ? "a scope" : `${missing.length} scopes`} the app needs: ${missing.join(", ")}. ` +
    `In ${API_KEYS_SETTINGS}, create a private API key with Full Access, or with Custom access that includes ${listed.join("; ")}. ` +
    "Then paste the new key here."
  );
}

/** Catches what a merchant commonly pastes by mistake before anything is sent to Klaviyo. */
function apiKeyFormatProblem(apiKey: string): string | null {
  if (!apiKey) return `Paste a Klaviyo private API key (${API_KEYS_SETTINGS}).`;
  if (/^[A-Za-z0-9]{6}$/.test(apiKey)) {
    return `That is your public API key (site ID), which cannot send events. Paste a private API key: it starts with pk_ (${API_KEYS_SETTINGS}).`;
  }
  if (!apiKey.startsWith("pk_")) return `That is not a Klaviyo private API key: private keys start with pk_ (${API_KEYS_SETTINGS}).`;
  if (!/^pk_[A-Za-z0-9_]{8,100}$/.test(apiKey)) {
    return `That key looks incomplete or has extra characters. Copy the whole private key from ${API_KEYS_SETTINGS} and paste it again.`;
  }
  return null;
}

/** Probes the scopes a key holds without changing anything in the account (see KlaviyoClient.probeScope). */
async function grantedScopes(client: KlaviyoClient, scopes: readonly KlaviyoScope[]): Promise<KlaviyoScope[]> {
  const granted = await Promise.all(scopes.map((scope) => client.probeScope(scope)));
  return scopes.filter((_, index) => granted[index]);
}

function checkFailureMessage(error: KlaviyoApiError): string {
  if (error.kind === "rate_limited") {
    return `Klaviyo asked the app to wait before checking this key again. Try again in ${error.retryAfterSeconds ?? 60} seconds.`;
  }
  return `Klaviyo could not be reached to check the key (${error.detail}). Nothing was changed; try again in a moment.`;
}

/** Wakes the delivery engine: events recorded while disconnected go out as soon as an account is connected. */
async function announceConnected(shopId: string) {
  await db().$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${shopId})`;
}

type ConnectionFields = Omit<Prisma.KlaviyoConnectionUncheckedCreateInput, "id" | "shopId" | "leaseOwner" | "leaseExpiresAt" | "updatedAt">;

/**
 * Stores the shop's one connection, replacing any earlier one. An earlier OAuth grant the new connection does not
 * take over (another account, or a key instead) is revoked; a re-authorisation of the same account is not,
 * because revoking the old grant could end the app's access to that account altogether.
 */
async function saveConnection(shopId: string, fields: ConnectionFields): Promise<KlaviyoConnection> {
  const previous = await db().klaviyoConnection.findUnique({ where: { shopId } });
  const connection = await db().klaviyoConnection.upsert({ where: { shopId }, create: { shopId, ...fields }, update: fields });
  const takenOver = fields.authMethod === "oauth" && previous?.accountId === fields.accountId;
  if (previous?.authMethod === "oauth" && !takenOver) await revokeOAuthGrant(previous);
  await announceConnected(shopId);
  return connection;
}

/**
 * Connects a private API key after checking it against Klaviyo: the account it belongs to and every scope the
 * app needs. A mistake comes back as a message for the merchant, never thrown; the key is stored encrypted and
 * appears in no message or log.
 */
export async function connectWithApiKey(shopId: string, rawKey: string): Promise<ConnectResult> {
  const apiKey = rawKey.trim();
  const formatProblem = apiKeyFormatProblem(apiKey);
  if (formatProblem) return { ok: false, field: "apiKey", message: formatProblem };

  const client = klaviyoClientFor({ kind: "api_key", apiKey });
  const probed = KLAVIYO_SCOPES.map((info) => info.scope).filter((scope) => scope !== "accounts:read");
  let account: KlaviyoAccount | undefined;
  let granted: KlaviyoScope[];
  try {
    try {
      account = await client.getAccount();
      granted = ["accounts:read", ...(await grantedScopes(client, probed))];
    } catch (error) {
      if (!(error instanceof KlaviyoApiError) || error.kind !== "forbidden") throw error;
      // The key works but cannot read the account: name everything else it lacks too, so one new key fixes it.
      granted = await grantedScopes(client, probed);
    }
  } catch (error) {
    if (!(error instanceof KlaviyoApiError)) throw error;
    if (error.kind === "unauthorized") {
      return {
        ok: false,
        field: "apiKey",
        message: `Klaviyo rejected this key. Check that you copied the whole private key and that it was not revoked or deleted in ${API_KEYS_SETTINGS}.`,
      };
    }
    return { ok: false, message: checkFailureMessage(error) };
  }

  const missing = REQUIRED_SCOPES.filter((scope) => !granted.includes(scope));
  if (!account || missing.length > 0) return { ok: false, field: "apiKey", message: missingScopesMessage(missing) };

  const connection = await saveConnection(shopId, {
    authMethod: "api_key",
    status: "connected",
    statusDetail: null,
    encryptedApiKey: encryptSecret(apiKey),
    encryptedAccessToken: null,
    encryptedRefreshToken: null,
    accessTokenExpiresAt: null,
    scopes: granted,
    accountId: account.id,
    accountName: account.name,
    publicApiKey: account.publicApiKey,
    pausedUntil: null,
    connectedAt: new Date(),
  });
  return { ok: true, connection };
}

/** Forgets the shop's Klaviyo connection (revoking an OAuth grant); its events wait, pending, for a reconnect. */
export async function disconnect(shopId: string): Promise<void> {
  const connection = await db().klaviyoConnection.findUnique({ where: { shopId } });
  if (!connection) return;
  await db().klaviyoConnection.deleteMany({ where: { id: connection.id } });
  if (connection.authMethod === "oauth") await revokeOAuthGrant(connection);
}

export type ConnectionState = "connected" | "needs_attention" | "none";

export interface ConnectionStatus {
  state: ConnectionState;
  authMethod: KlaviyoConnection["authMethod"] | null;
  accountId: string | null;
  accountName: string | null;
  scopes: string[];
  missingScopes: KlaviyoScope[];
  statusDetail: string | null;
  connectedAt: Date | null;
  oauthAvailable: boolean;
}

export async function connectionStatus(shopId: string): Promise<ConnectionStatus> {
  const connection = await db().klaviyoConnection.findUnique({ where: { shopId } });
  return {
    state: connection?.status ?? "none",
    authMethod: connection?.authMethod ?? null,
    accountId: connection?.accountId ?? null,
    accountName: connection?.accountName ?? null,
    scopes: connection?.scopes ?? [],
    missingScopes: connection ? REQUIRED_SCOPES.filter((scope) => !connection.scopes.includes(scope)) : [],
    statusDetail: connection?.statusDetail ?? null,
    connectedAt: connection?.connectedAt ?? null,
    oauthAvailable: Boolean(config().KLAVIYO_CLIENT_ID),
  };
}

// ---- OAuth (authorization code + PKCE) ------------------------------------------------------------------------

function oauthRedirectUri(): string {
  return new URL("/klaviyo/oauth/callback", config().SHOPIFY_APP_URL).toString();
}

function oauthClientAuthorization(): string {
  const { KLAVIYO_CLIENT_ID, KLAVIYO_CLIENT_SECRET } = config();
  if (!KLAVIYO_CLIENT_ID || !KLAVIYO_CLIENT_SECRET) {
    throw new KlaviyoOAuthError("not_configured", "Connecting with Klaviyo sign-in is not set up for this app (KLAVIYO_CLIENT_ID).");
  }
  return `Basic ${Buffer.from(`${KLAVIYO_CLIENT_ID}:${KLAVIYO_CLIENT_SECRET}`).toString("base64")}`;
}

/** Starts "Connect with Klaviyo": returns Klaviyo's authorize URL; the state is single-use and short-lived. */
export async function startOAuth(shopDomain: string): Promise<string> {
  const settings = config();
  oauthClientAuthorization();
  const state = randomBytes(24).toString("base64url");
  const codeVerifier = randomBytes(48).toString("base64url");
  await db().klaviyoOAuthAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - OAUTH_ATTEMPT_TTL_MS) } } });
  await db().klaviyoOAuthAttempt.create({ data: { state, shopDomain, codeVerifier } });
  const url = new URL(settings.KLAVIYO_OAUTH_AUTHORIZE_URL);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: settings.KLAVIYO_CLIENT_ID!,
    redirect_uri: oauthRedirectUri(),
    scope: KLAVIYO_SCOPES.map((info) => info.scope).join(" "),
    state,
    code_challenge_method: "S256",
    code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
  }).toString();
  return url.toString();
}

/** Removes and returns the attempt in one statement, so two callbacks racing with one state cannot both use it. */
async function takeOAuthAttempt(state: string): Promise<KlaviyoOAuthAttempt | null> {
  const [attempt] = await db().$queryRaw<KlaviyoOAuthAttempt[]>`
    DELETE FROM "KlaviyoOAuthAttempt" WHERE "state" = ${state} RETURNING "state", "shopDomain", "codeVerifier", "createdAt"`;
  return attempt ?? null;
}

/** Consumes the state of a sign-in Klaviyo did not complete (the merchant declined), so it cannot be used later. */
export async function abandonOAuth(state: string): Promise<{ shopDomain: string } | null> {
  const attempt = await takeOAuthAttempt(state);
  return attempt ? { shopDomain: attempt.shopDomain } : null;
}

interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope?: string;
}

/**
 * Klaviyo's token endpoint. An OAuth refusal (400/401 with an `error` code) is a KlaviyoOAuthError; an outage or
 * a network failure is a retryable KlaviyoApiError, which says nothing about the grant itself.
 */
async function requestTokens(form: Record<string, string>): Promise<TokenResponse> {
  const authorization = oauthClientAuthorization();
  const { KLAVIYO_API_URL, KLAVIYO_REQUEST_TIMEOUT_MS } = config();
  let response: Response;
  try {
    response = await fetch(new URL("/oauth/token", KLAVIYO_API_URL), {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(KLAVIYO_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new KlaviyoApiError(timedOut ? "timeout" : "network", null, timedOut ? "Klaviyo's token endpoint did not answer" : (error as Error).message);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string; error_description?: string };
  if (response.ok && body.access_token && body.refresh_token && typeof body.expires_in === "number") return body as TokenResponse;
  if ((response.status === 400 || response.status === 401) && body.error) {
    throw new KlaviyoOAuthError(body.error, body.error_description ?? body.error);
  }
  throw KlaviyoApiError.fromResponse(response.ok ? 502 : response.status, body.error_description ?? `token endpoint answered ${response.status}`, response.headers.get("retry-after"));
}

/** Best effort: a grant Klaviyo keeps after a failed revoke only lets this app send, and the merchant can remove it. */
async function revokeOAuthGrant(connection: KlaviyoConnection): Promise<void> {
  if (!connection.encryptedRefreshToken) return;
  try {
    const response = await fetch(new URL("/oauth/revoke", config().KLAVIYO_API_URL), {
      method: "POST",
      headers: { Authorization: oauthClientAuthorization(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: decryptSecret(connection.encryptedRefreshToken), token_type_hint: "refresh_token" }).toString(),
      signal: AbortSignal.timeout(config().KLAVIYO_REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) logger().warn({ accountId: connection.accountId }, `Klaviyo did not revoke the OAuth grant: HTTP ${response.status}`);
  } catch (error) {
    logger().warn({ accountId: connection.accountId }, `Klaviyo did not revoke the OAuth grant: ${(error as Error).message}`);
  }
}

function tokenFields(tokens: TokenResponse) {
  return {
    encryptedAccessToken: encryptSecret(tokens.access_token),
    encryptedRefreshToken: encryptSecret(tokens.refresh_token),
    accessTokenExpiresAt: new Date(Date.now() + tokens.expires_in * 1000),
  };
}

/**
 * Finishes "Connect with Klaviyo" from the callback: the state must be one this app issued, unused and at most
 * ten minutes old; the code is exchanged with the PKCE verifier. Every failure a merchant can meet is a
 * KlaviyoOAuthError with a message for them.
 */
export async function completeOAuth(state: string, code: string): Promise<{ shopDomain: string }> {
  const attempt = await takeOAuthAttempt(state);
  if (!attempt || Date.now() - attempt.createdAt.getTime() > OAUTH_ATTEMPT_TTL_MS) {
    throw new KlaviyoOAuthError("expired_state", "This Klaviyo sign-in link has expired or was already used. Start again from the app's Klaviyo page.");
  }
  const { shopDomain } = attempt;
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) throw new KlaviyoOAuthError("unknown_shop", "The store this sign-in was started for no longer has the app installed.");

  let tokens: TokenResponse;
  let account: KlaviyoAccount;
  try {
    tokens = await requestTokens({ grant_type: "authorization_code", code, code_verifier: attempt.codeVerifier, redirect_uri: oauthRedirectUri() });
  } catch (error) {
    if (error instanceof KlaviyoOAuthError) {
      throw new KlaviyoOAuthError(error.code, `Klaviyo did not accept the sign-in (${error.message}). Start again from the app's Klaviyo page.`, shopDomain);
    }
    if (error instanceof KlaviyoApiError) throw new KlaviyoOAuthError("unavailable", `Klaviyo could not be reached (${error.detail}). Try again in a moment.`, shopDomain);
    throw error;
  }
  try {
    account = await klaviyoClientFor({ kind: "oauth", accessToken: tokens.access_token }).getAccount();
  } catch (error) {
    if (!(error instanceof KlaviyoApiError)) throw error;
    throw new KlaviyoOAuthError("account_unreadable", `Klaviyo signed you in but the account could not be read (${error.detail}). Try again in a moment.`, shopDomain);
  }

  const scopes = tokens.scope ? tokens.scope.split(" ").filter(Boolean) : [...REQUIRED_SCOPES];
  const missing = REQUIRED_SCOPES.filter((scope) => !scopes.includes(scope));
  await saveConnection(shop.id, {
    authMethod: "oauth",
    status: missing.length ? "needs_attention" : "connected",
    statusDetail: missing.length ? `Klaviyo granted access without ${missing.join(", ")}. Connect again and allow every permission the app asks for.` : null,
    encryptedApiKey: null,
    ...tokenFields(tokens),
    scopes,
    accountId: account.id,
    accountName: account.name,
    publicApiKey: account.publicApiKey,
    pausedUntil: null,
    connectedAt: new Date(),
  });
  return { shopDomain };
}

function hasFreshAccessToken(connection: KlaviyoConnection): connection is KlaviyoConnection & { encryptedAccessToken: string } {
  return Boolean(
    connection.encryptedAccessToken && connection.accessTokenExpiresAt && connection.accessTokenExpiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS,
  );
}

/**
 * Renews an OAuth access token. Klaviyo rotates refresh tokens, so renewals are serialised on the connection's
 * row: whoever waited finds the token already renewed and uses it instead of spending the old refresh token.
 * A refused renewal (grant revoked, or unused for 90 days) marks the connection for the merchant's attention
 * and returns null; an outage throws a retryable KlaviyoApiError and changes nothing.
 */
export async function refreshAccessToken(connection: KlaviyoConnection): Promise<KlaviyoCredentials | null> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "KlaviyoConnection" WHERE "id" = ${connection.id} FOR UPDATE`;
      const current = await tx.klaviyoConnection.findUnique({ where: { id: connection.id } });
      if (!current?.encryptedRefreshToken || current.authMethod !== "oauth") return null;
      if (hasFreshAccessToken(current)) return { kind: "oauth", accessToken: decryptSecret(current.encryptedAccessToken) };
      let tokens: TokenResponse;
      try {
        tokens = await requestTokens({ grant_type: "refresh_token", refresh_token: decryptSecret(current.encryptedRefreshToken) });
      } catch (error) {
        if (!(error instanceof KlaviyoOAuthError) || error.code !== "invalid_grant") throw error;
        await tx.klaviyoConnection.update({
          where: { id: current.id },
          data: {
            status: "needs_attention",
            statusDetail: "Klaviyo no longer accepts this app's access (it was removed in Klaviyo, or not used for 90 days). Connect Klaviyo again.",
          },
        });
        return null;
      }
      await tx.klaviyoConnection.update({ where: { id: current.id }, data: tokenFields(tokens) });
      return { kind: "oauth", accessToken: tokens.access_token };
    },
    { timeout: config().KLAVIYO_REQUEST_TIMEOUT_MS + 5_000 },
  );
}

/** Credentials for a request to Klaviyo now, renewing an OAuth token that has less than a minute left. */
export async function credentialsFor(connection: KlaviyoConnection): Promise<KlaviyoCredentials | null> {
  if (connection.authMethod === "api_key") {
    return connection.encryptedApiKey ? { kind: "api_key", apiKey: decryptSecret(connection.encryptedApiKey) } : null;
  }
  if (hasFreshAccessToken(connection)) return { kind: "oauth", accessToken: decryptSecret(connection.encryptedAccessToken) };
  return refreshAccessToken(connection);
}
