import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";

/**
 * A local stand-in for Klaviyo's API that enforces what the real one does where it matters to this app:
 * API-key and OAuth auth, the `revision` header, JSON:API bodies, scopes (checked before the body, so a
 * key's scopes can be probed), per-account rate limits with fixed 1 s / 1 min windows and 429 + Retry-After,
 * and dedupe on unique_id. Tests, benchmarks and the demo share it; failure injection lets a test simulate
 * outages, 429 storms and hangs.
 */

export const ALL_SCOPES = [
  "accounts:read",
  "events:write",
  "profiles:write",
  "metrics:read",
  "segments:read",
  "segments:write",
  "flows:read",
  "flows:write",
] as const;

export interface RateLimit {
  burst: number;
  steady: number;
}

export const KLAVIYO_RATE_LIMITS = {
  events: { burst: 350, steady: 3500 },
  bulkEvents: { burst: 10, steady: 150 },
  profileImport: { burst: 75, steady: 750 },
  segments: { burst: 1, steady: 15 },
  flows: { burst: 1, steady: 15 },
  metrics: { burst: 10, steady: 150 },
  accounts: { burst: 1, steady: 15 },
} satisfies Record<string, RateLimit>;

type Endpoint = keyof typeof KLAVIYO_RATE_LIMITS;

export interface AcceptedEvent {
  accountId: string;
  metric: string;
  properties: Record<string, unknown>;
  profile: Record<string, unknown>;
  time: string | null;
  uniqueId: string | null;
  receivedAt: number;
  via: "single" | "bulk";
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  accountId: string | null;
  at: number;
}

interface Account {
  id: string;
  name: string;
  scopes: Set<string>;
  limits: Record<Endpoint, RateLimit>;
  windows: Map<Endpoint, { second: number; secondCount: number; minute: number; minuteCount: number }>;
  seenUniqueIds: Set<string>;
  duplicatesIgnored: number;
}

interface Failure {
  status: number;
  remaining: number;
  retryAfter?: number;
  body?: { detail?: string };
  accountId?: string;
}

interface AuthorizationCode {
  codeChallenge: string;
  clientId: string;
  redirectUri: string;
  accountId: string;
  scopes: string[];
}

export interface FakeKlaviyoOptions {
  port?: number;
  /** Milliseconds since the epoch; tests move it forward to cross rate-limit windows and backoffs. */
  now?: () => number;
}

export interface FakeKlaviyo {
  url: string;
  close(): Promise<void>;
  addAccount(input: { apiKey: string; accountId?: string; name?: string; scopes?: readonly string[]; limits?: Partial<Record<Endpoint, RateLimit>> }): string;
  addOAuthToken(input: { accessToken: string; accountId: string; scopes?: readonly string[] }): void;
  revokeApiKey(apiKey: string): void;
  registerAuthorizationCode(input: { code: string } & AuthorizationCode): void;
  events(accountId?: string): AcceptedEvent[];
  duplicatesIgnored(accountId: string): number;
  requests(): RecordedRequest[];
  failNext(input: { status: number; count?: number; retryAfter?: number; body?: { detail?: string }; accountId?: string }): void;
  setOutage(outage: { status: number; accountId?: string } | null): void;
  hangNext(count?: number): void;
  reset(): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly pointer?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const DATE_REVISION = /^\d{4}-\d{2}-\d{2}(\.pre)?$/;

export async function startFakeKlaviyo(options: FakeKlaviyoOptions = {}): Promise<FakeKlaviyo> {
  const now = options.now ?? Date.now;
  const accounts = new Map<string, Account>();
  const credentials = new Map<string, string>();
  const accepted: AcceptedEvent[] = [];
  const log: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const authorizationCodes = new Map<string, AuthorizationCode>();
  const refreshTokens = new Map<string, { accountId: string; scopes: string[] }>();
  let outage: { status: number; accountId?: string } | null = null;
  let hangs = 0;
  const hanging = new Set<ServerResponse>();

  function ensureAccount(accountId: string, name?: string, scopes: readonly string[] = ALL_SCOPES, limits: Partial<Record<Endpoint, RateLimit>> = {}) {
    const existing = accounts.get(accountId);
    if (existing) return existing;
    const account: Account = {
      id: accountId,
      name: name ?? `Account ${accountId}`,
      scopes: new Set(scopes),
      limits: { ...KLAVIYO_RATE_LIMITS, ...limits },
      windows: new Map(),
      seenUniqueIds: new Set(),
      duplicatesIgnored: 0,
    };
    accounts.set(accountId, account);
    return account;
  }

  function authenticate(request: IncomingMessage): Account {
    const header = request.headers.authorization ?? "";
    const match = /^(Klaviyo-API-Key|Bearer) (.+)$/.exec(header);
    const accountId = match ? credentials.get(`${match[1]}:${match[2]}`) : undefined;
    if (!accountId) {
      throw new HttpError(401, "not_authenticated", "Incorrect authentication credentials.");
    }
    return accounts.get(accountId)!;
  }

  function requireScope(account: Account, scope: string) {
    const scopes = [...account.scopes];
    if (!scopes.includes(scope)) {
      throw new HttpError(403, "permission_denied", `You do not have permission to perform this action. Missing scope: ${scope}.`);
    }
  }

  /** Klaviyo's fixed windows: a request counts toward the current second and the current minute. */
  function throttle(account: Account, endpoint: Endpoint) {
    const limit = account.limits[endpoint];
    const time = now();
    const second = Math.floor(time / 1000);
    const minute = Math.floor(time / 60_000);
    const window = account.windows.get(endpoint) ?? { second, secondCount: 0, minute, minuteCount: 0 };
    if (window.second !== second) Object.assign(window, { second, secondCount: 0 });
    if (window.minute !== minute) Object.assign(window, { minute, minuteCount: 0 });
    account.windows.set(endpoint, window);
    let waitSeconds = 0;
    if (window.minuteCount >= limit.steady) waitSeconds = Math.ceil(((minute + 1) * 60_000 - time) / 1000);
    else if (window.secondCount >= limit.burst) waitSeconds = 1;
    if (waitSeconds > 0) {
      const seconds = Math.max(1, waitSeconds);
      throw new HttpError(429, "throttled", `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`, undefined, {
        "Retry-After": String(seconds),
      });
    }
    window.secondCount++;
    window.minuteCount++;
    return { limit: limit.steady, remaining: limit.steady - window.minuteCount, reset: Math.ceil(((minute + 1) * 60_000 - time) / 1000) };
  }

  function injectedFailure(accountId: string | null): Failure | null {
    if (outage && (!outage.accountId || outage.accountId === accountId)) return { status: outage.status, remaining: Infinity };
    const index = failures.findIndex((failure) => !failure.accountId || failure.accountId === accountId);
    if (index < 0) return null;
    const failure = failures[index]!;
    failure.remaining--;
    if (failure.remaining <= 0) failures.splice(index, 1);
    return failure;
  }

  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  function parseJsonApi(request: IncomingMessage, raw: string): Record<string, unknown> {
    if (!(request.headers["content-type"] ?? "").includes("application/vnd.api+json") && !(request.headers["content-type"] ?? "").includes("application/json")) {
      throw new HttpError(415, "unsupported_media_type", "Content-Type must be application/vnd.api+json.");
    }
    try {
      const body = JSON.parse(raw) as unknown;
      if (!body || typeof body !== "object") throw new Error("not an object");
      return body as Record<string, unknown>;
    } catch {
      throw new HttpError(400, "parse_error", "Malformed JSON request body.");
    }
  }

  function invalid(pointer: string, detail: string): never {
    throw new HttpError(400, "invalid", detail, pointer);
  }

  function object(value: unknown, pointer: string): Record<string, unknown> {
    if (!value || typeof value !== "object" || Array.isArray(value)) invalid(pointer, `'${pointer.split("/").at(-1)}' must be an object.`);
    return value as Record<string, unknown>;
  }

  function validateEvent(attributes: Record<string, unknown>, pointer: string, profileOverride?: Record<string, unknown>) {
    const metric = object(object(object(attributes.metric, `${pointer}/metric`).data, `${pointer}/metric/data`).attributes, `${pointer}/metric/data/attributes`);
    if (typeof metric.name !== "string" || !metric.name) invalid(`${pointer}/metric/data/attributes/name`, "A metric name is required.");
    const profile =
      profileOverride ??
      object(object(object(attributes.profile, `${pointer}/profile`).data, `${pointer}/profile/data`).attributes, `${pointer}/profile/data/attributes`);
    if (!["email", "phone_number", "external_id", "anonymous_id", "_kx", "id"].some((key) => typeof profile[key] === "string" && profile[key])) {
      invalid(`${pointer}/profile/data/attributes`, "A profile identifier (email, phone_number, external_id, anonymous_id or _kx) is required.");
    }
    if (typeof profile.phone_number === "string" && !/^\+[1-9]\d{6,14}$/.test(profile.phone_number)) {
      invalid(`${pointer}/profile/data/attributes/phone_number`, "Invalid phone number format (Example of a valid format: +12345678901)");
    }
    const properties = object(attributes.properties ?? {}, `${pointer}/properties`);
    if (Object.keys(properties).length > 400) invalid(`${pointer}/properties`, "An event may have at most 400 properties.");
    if (attributes.time !== undefined && (typeof attributes.time !== "string" || Number.isNaN(Date.parse(attributes.time)))) {
      invalid(`${pointer}/time`, "'time' must be an ISO 8601 datetime.");
    }
    if (attributes.unique_id !== undefined && typeof attributes.unique_id !== "string") invalid(`${pointer}/unique_id`, "'unique_id' must be a string.");
    return { metric: metric.name as string, profile, properties, time: (attributes.time as string | undefined) ?? null, uniqueId: (attributes.unique_id as string | undefined) ?? null };
  }

  function profileKey(profile: Record<string, unknown>) {
    for (const key of ["_kx", "email", "phone_number", "external_id", "anonymous_id", "id"]) {
      if (typeof profile[key] === "string" && profile[key]) return `${key}:${profile[key]}`;
    }
    return "unknown";
  }

  /** Klaviyo records only the first event with a given unique_id for the same profile and metric. */
  function accept(account: Account, event: ReturnType<typeof validateEvent>, via: AcceptedEvent["via"]) {
    if (event.uniqueId) {
      const key = `${profileKey(event.profile)}|${event.metric}|${event.uniqueId}`;
      if (account.seenUniqueIds.has(key)) {
        account.duplicatesIgnored++;
        return;
      }
      account.seenUniqueIds.add(key);
    }
    accepted.push({ accountId: account.id, ...event, receivedAt: now(), via });
  }

  function metricsOf(account: Account) {
    const names = [...new Set(accepted.filter((event) => event.accountId === account.id).map((event) => event.metric))];
    return names.map((name) => ({ type: "metric", id: createHash("sha1").update(`${account.id}:${name}`).digest("hex").slice(0, 6).toUpperCase(), attributes: { name } }));
  }

  async function route(request: IncomingMessage, context: { accountId: string | null }) {
    const url = new URL(request.url ?? "/", "http://fake");
    const raw = request.method === "POST" ? await readBody(request) : "";

    if (url.pathname === "/oauth/token" && request.method === "POST") return oauthToken(request, raw);
    if (url.pathname === "/oauth/revoke" && request.method === "POST") {
      const token = new URLSearchParams(raw).get("token");
      if (token) {
        credentials.delete(`Bearer:${token}`);
        refreshTokens.delete(token);
      }
      return { status: 200, body: {} };
    }
    if (url.pathname === "/" && request.method === "GET") return { status: 200, html: inspectionPage() };
    if (!url.pathname.startsWith("/api/")) throw new HttpError(404, "not_found", "Not found.");

    const account = authenticate(request);
    context.accountId = account.id;
    const revision = request.headers.revision;
    if (typeof revision !== "string" || !DATE_REVISION.test(revision)) {
      throw new HttpError(400, "invalid", "The 'revision' header is required and must be a date like 2026-07-15.", undefined);
    }
    const failure = injectedFailure(account.id);
    if (failure) {
      const detail = failure.body?.detail;
      const [code, fallback] = failure.status === 429 ? ["throttled", "Request was throttled."] : failure.status >= 500 ? ["server_error", "A server error occurred."] : ["invalid", "Invalid input."];
      throw new HttpError(failure.status, code, detail ?? fallback, undefined, {
        ...(failure.retryAfter !== undefined ? { "Retry-After": String(failure.retryAfter) } : {}),
      });
    }
    const key = `${request.method} ${url.pathname}`;
    switch (key) {
      case "GET /api/accounts": {
        requireScope(account, "accounts:read");
        const rate = throttle(account, "accounts");
        return {
          status: 200,
          rate,
          body: {
            data: [
              {
                type: "account",
                id: account.id,
                attributes: {
                  contact_information: { organization_name: account.name, default_sender_name: account.name },
                  public_api_key: account.id,
                  timezone: "America/New_York",
                  preferred_currency: "USD",
                  industry: "Apparel",
                },
              },
            ],
          },
        };
      }
      case "GET /api/metrics": {
        requireScope(account, "metrics:read");
        const rate = throttle(account, "metrics");
        return { status: 200, rate, body: { data: metricsOf(account), links: { self: url.toString(), next: null } } };
      }
      case "GET /api/segments":
      case "GET /api/flows": {
        requireScope(account, key.includes("segments") ? "segments:read" : "flows:read");
        return { status: 200, body: { data: [], links: { next: null } } };
      }
      case "POST /api/events": {
        requireScope(account, "events:write");
        const body = parseJsonApi(request, raw);
        const data = object(body.data, "/data");
        if (data.type !== "event") invalid("/data/type", "'type' must be 'event'.");
        const event = validateEvent(object(data.attributes, "/data/attributes"), "/data/attributes");
        const rate = throttle(account, "events");
        accept(account, event, "single");
        return { status: 202, rate };
      }
      case "POST /api/event-bulk-create-jobs": {
        requireScope(account, "events:write");
        const body = parseJsonApi(request, raw);
        if (Buffer.byteLength(raw) > 5 * 1024 * 1024) throw new HttpError(413, "payload_too_large", "Request body exceeds 5 MB.");
        const data = object(body.data, "/data");
        if (data.type !== "event-bulk-create-job") invalid("/data/type", "'type' must be 'event-bulk-create-job'.");
        const groups = object(object(data.attributes, "/data/attributes")["events-bulk-create"], "/data/attributes/events-bulk-create").data;
        if (!Array.isArray(groups)) invalid("/data/attributes/events-bulk-create/data", "'data' must be a list.");
        const events: ReturnType<typeof validateEvent>[] = [];
        const uniqueIds = new Set<string>();
        groups.forEach((group: unknown, groupIndex: number) => {
          const pointer = `/data/attributes/events-bulk-create/data/${groupIndex}`;
          const groupObject = object(group, pointer);
          if (groupObject.type !== "event-bulk-create") invalid(`${pointer}/type`, "'type' must be 'event-bulk-create'.");
          const attributes = object(groupObject.attributes, `${pointer}/attributes`);
          const profile = object(object(object(attributes.profile, `${pointer}/attributes/profile`).data, `${pointer}/attributes/profile/data`).attributes, `${pointer}/attributes/profile/data/attributes`);
          const list = object(attributes.events, `${pointer}/attributes/events`).data;
          if (!Array.isArray(list)) invalid(`${pointer}/attributes/events/data`, "'data' must be a list.");
          list.forEach((entry: unknown, eventIndex: number) => {
            const eventPointer = `${pointer}/attributes/events/data/${eventIndex}`;
            const event = validateEvent(object(object(entry, eventPointer).attributes, `${eventPointer}/attributes`), `${eventPointer}/attributes`, profile);
            if (event.uniqueId) {
              if (uniqueIds.has(event.uniqueId)) invalid(`${eventPointer}/attributes/unique_id`, `Duplicate unique_id '${event.uniqueId}' in the same job.`);
              uniqueIds.add(event.uniqueId);
            }
            events.push(event);
          });
        });
        if (events.length > 1000) invalid("/data/attributes/events-bulk-create/data", "A job may contain at most 1,000 events.");
        const rate = throttle(account, "bulkEvents");
        for (const event of events) accept(account, event, "bulk");
        return { status: 202, rate, body: { data: { type: "event-bulk-create-job", id: randomUUID(), attributes: { status: "queued", total_count: events.length } } } };
      }
      case "POST /api/profile-import": {
        requireScope(account, "profiles:write");
        parseJsonApi(request, raw);
        const rate = throttle(account, "profileImport");
        return { status: 200, rate, body: { data: { type: "profile", id: randomUUID(), attributes: {} } } };
      }
      case "POST /api/segments":
      case "POST /api/flows": {
        const kind = key.includes("segments") ? "segment" : "flow";
        requireScope(account, `${kind}s:write`);
        const body = parseJsonApi(request, raw);
        const data = object(body.data, "/data");
        if (data.type !== kind) invalid("/data/type", `'type' must be '${kind}'.`);
        const rate = throttle(account, kind === "segment" ? "segments" : "flows");
        return { status: 201, rate, body: { data: { type: kind, id: randomUUID().slice(0, 6).toUpperCase(), attributes: object(data.attributes, "/data/attributes") } } };
      }
      default:
        throw new HttpError(404, "not_found", `No route for ${key}.`);
    }
  }

  function oauthToken(request: IncomingMessage, raw: string) {
    const [clientId] = Buffer.from((request.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString().split(":");
    const form = new URLSearchParams(raw);
    const issue = (accountId: string, scopes: string[]) => {
      const accessToken = `kat_${randomUUID()}`;
      const refreshToken = `krt_${randomUUID()}`;
      credentials.set(`Bearer:${accessToken}`, accountId);
      ensureAccount(accountId).scopes = new Set(scopes);
      refreshTokens.set(refreshToken, { accountId, scopes });
      return { status: 200, body: { access_token: accessToken, refresh_token: refreshToken, token_type: "Bearer", expires_in: 3600, scope: scopes.join(" ") } };
    };
    if (form.get("grant_type") === "authorization_code") {
      const grant = authorizationCodes.get(form.get("code") ?? "");
      authorizationCodes.delete(form.get("code") ?? "");
      const challenge = createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
      if (!grant || grant.clientId !== clientId || grant.redirectUri !== form.get("redirect_uri") || grant.codeChallenge !== challenge) {
        return { status: 400, body: { error: "invalid_grant", error_description: "The authorization code or code_verifier is invalid." } };
      }
      return issue(grant.accountId, grant.scopes);
    }
    if (form.get("grant_type") === "refresh_token") {
      const grant = refreshTokens.get(form.get("refresh_token") ?? "");
      if (!grant) return { status: 400, body: { error: "invalid_grant", error_description: "The refresh token is invalid or expired." } };
      refreshTokens.delete(form.get("refresh_token")!);
      return issue(grant.accountId, grant.scopes);
    }
    return { status: 400, body: { error: "unsupported_grant_type" } };
  }

  function inspectionPage() {
    const rows = accepted
      .slice(-200)
      .reverse()
      .map((event) => `<tr><td>${new Date(event.receivedAt).toISOString()}</td><td>${escapeHtml(event.accountId)}</td><td>${escapeHtml(event.metric)}</td><td><code>${escapeHtml(JSON.stringify(event.profile))}</code></td><td><code>${escapeHtml(JSON.stringify(event.properties))}</code></td></tr>`)
      .join("");
    return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Fake Klaviyo</title>
<style>body{font:14px system-ui;margin:24px}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}code{font-size:12px}</style>
<h1>Fake Klaviyo: ${accepted.length} events accepted</h1><table><tr><th>received</th><th>account</th><th>metric</th><th>profile</th><th>properties</th></tr>${rows}</table>`;
  }

  const server = createServer((request, response) => {
    const started = now();
    const context: { accountId: string | null } = { accountId: null };
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    if (hangs > 0 && path.startsWith("/api/")) {
      hangs--;
      hanging.add(response);
      request.resume();
      return;
    }
    route(request, context)
      .then((result) => {
        const headers: Record<string, string> = {};
        if ("rate" in result && result.rate) {
          headers["RateLimit-Limit"] = String(result.rate.limit);
          headers["RateLimit-Remaining"] = String(result.rate.remaining);
          headers["RateLimit-Reset"] = String(result.rate.reset);
        }
        if ("html" in result) {
          response.writeHead(result.status, { "Content-Type": "text/html; charset=utf-8" }).end(result.html);
        } else if ("body" in result && result.body !== undefined) {
          const json = path.startsWith("/oauth/") ? "application/json" : "application/vnd.api+json";
          response.writeHead(result.status, { ...headers, "Content-Type": json }).end(JSON.stringify(result.body));
        } else {
          response.writeHead(result.status, headers).end();
        }
        log.push({ method: request.method ?? "GET", path, status: result.status, accountId: context.accountId, at: started });
      })
      .catch((error: unknown) => {
        const failure = error instanceof HttpError ? error : new HttpError(500, "server_error", String(error));
        const body = {
          errors: [
            {
              id: randomUUID(),
              status: failure.status,
              code: failure.code,
              title: failure.status === 429 ? "Throttled." : failure.status >= 500 ? "Server error." : "Request failed.",
              detail: failure.message,
              source: { pointer: failure.pointer ?? "/data" },
            },
          ],
        };
        response.writeHead(failure.status, { ...failure.headers, "Content-Type": "application/vnd.api+json" }).end(JSON.stringify(body));
        log.push({ method: request.method ?? "GET", path, status: failure.status, accountId: context.accountId, at: started });
      });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addAccount({ apiKey, accountId = `ACC${accounts.size + 1}`, name, scopes = ALL_SCOPES, limits }) {
      ensureAccount(accountId, name, scopes, limits);
      credentials.set(`Klaviyo-API-Key:${apiKey}`, accountId);
      return accountId;
    },
    addOAuthToken({ accessToken, accountId, scopes = ALL_SCOPES }) {
      ensureAccount(accountId, undefined, scopes);
      credentials.set(`Bearer:${accessToken}`, accountId);
    },
    revokeApiKey(apiKey) {
      credentials.delete(`Klaviyo-API-Key:${apiKey}`);
    },
    registerAuthorizationCode({ code, ...grant }) {
      ensureAccount(grant.accountId, undefined, grant.scopes);
      authorizationCodes.set(code, grant);
    },
    events: (accountId) => accepted.filter((event) => !accountId || event.accountId === accountId),
    duplicatesIgnored: (accountId) => accounts.get(accountId)?.duplicatesIgnored ?? 0,
    requests: () => [...log],
    failNext({ status, count = 1, retryAfter, body, accountId }) {
      failures.push({ status, remaining: count, retryAfter, body, accountId });
    },
    setOutage(next) {
      outage = next;
    },
    hangNext(count = 1) {
      hangs += count;
    },
    reset() {
      accepted.length = 0;
      log.length = 0;
      failures.length = 0;
      outage = null;
      hangs = 0;
      for (const account of accounts.values()) {
        account.windows.clear();
        account.seenUniqueIds.clear();
        account.duplicatesIgnored = 0;
      }
    },
  };
}

function escapeHtml(value: string) {
  return value.replace(/[&<>"]/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[character]!);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argument = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? process.argv[index + 1] : undefined;
  };
  const fake = await startFakeKlaviyo({ port: Number(argument("port") ?? 4010) });
  const apiKey = argument("api-key") ?? "pk_demo";
  fake.addAccount({ apiKey, accountId: "DEMO01", name: "Demo account" });
  console.log(`Fake Klaviyo on ${fake.url} (API key ${apiKey})`);
}
