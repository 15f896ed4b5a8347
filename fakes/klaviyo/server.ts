import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { validateFlowDefinition, validateSegmentDefinition } from "./definitions";

/**
 * A local stand-in for Klaviyo's API that enforces what the real one does where it matters to this app:
 * API-key and OAuth auth, the `revision` header, JSON:API bodies, scopes (checked before the body, so a
 * key's scopes can be probed), per-account rate limits with fixed windows and 429 + Retry-After, and dedupe
 * on unique_id. Tests, benchmarks and the demo share it; failure injection simulates outages, 429 storms and
 * hangs. Request handling follows Klaviyo's order: auth, revision, scope, rate limit, then the body.
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
  /** Requests per fixed 1-second window. */
  burst: number;
  /** Requests per fixed 1-minute window. */
  steady: number;
  /** Requests per fixed UTC day, for the endpoints Klaviyo caps daily. */
  daily?: number;
}

export type RateLimitedEndpoint = "events" | "bulkEvents" | "profileImport" | "segments" | "flows" | "metrics" | "accounts";

export const KLAVIYO_RATE_LIMITS: Readonly<Record<RateLimitedEndpoint, RateLimit>> = {
  events: { burst: 350, steady: 3500 },
  bulkEvents: { burst: 10, steady: 150 },
  profileImport: { burst: 75, steady: 750 },
  segments: { burst: 1, steady: 15, daily: 100 },
  flows: { burst: 1, steady: 15, daily: 100 },
  metrics: { burst: 10, steady: 150 },
  accounts: { burst: 1, steady: 15 },
};

const MAX_EVENTS_PER_BULK_JOB = 1000;
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_EVENT_PROPERTIES = 400;
const METRICS_PAGE_SIZE = 200;
const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
const PROFILE_IDENTIFIERS = ["email", "phone_number", "external_id", "_kx", "anonymous_id"] as const;
/** ProfileUpsertQueryResourceObject's attributes in the 2026-07-15 spec. */
const PROFILE_IMPORT_ATTRIBUTES = new Set(["email", "phone_number", "external_id", "_kx", "first_name", "last_name", "organization", "locale", "title", "image", "location", "properties"]);
const REVISION = /^(\d{4}-\d{2}-\d{2})(\.pre)?$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A browser's `klaviyo.identify(...)`, as the Client API (`POST /client/profiles/?company_id=`) received it. */
export interface OnsiteIdentification {
  accountId: string;
  email: string | null;
  phoneNumber: string | null;
  receivedAt: number;
}

export interface AcceptedEvent {
  accountId: string;
  metric: string;
  properties: Record<string, unknown>;
  profile: Record<string, unknown>;
  time: string | null;
  uniqueId: string | null;
  value: number | null;
  receivedAt: number;
  via: "single" | "bulk";
}

/** A profile as profile-import left it: identifiers and properties (null cleared a property). */
export interface StoredProfile {
  id: string;
  accountId: string;
  identifiers: Partial<Record<"email" | "phone_number" | "external_id" | "_kx", string>>;
  attributes: Record<string, unknown>;
  properties: Record<string, unknown>;
  /** How many profile-import requests touched it. */
  imports: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** The account the credentials belong to; null when they were missing or unknown. */
  accountId: string | null;
  at: number;
}

export interface StoredResource {
  id: string;
  accountId: string;
  attributes: Record<string, unknown>;
}

export interface RegisteredAuthorizationCode {
  code: string;
  /** base64url(SHA-256(code_verifier)), as sent to the authorize page with code_challenge_method=S256. */
  codeChallenge: string;
  clientId: string;
  redirectUri: string;
  accountId: string;
  scopes: readonly string[];
}

export interface InjectedFailure {
  status: number;
  /** How many requests answer with this failure; defaults to 1. */
  count?: number;
  /** Sent as the Retry-After header (seconds). */
  retryAfter?: number;
  /** errors[0].detail of the JSON:API error body. */
  body?: { detail?: string };
  /** Only requests authenticated as this account fail; every request when omitted. */
  accountId?: string;
}

export interface FakeKlaviyoOptions {
  port?: number;
  /** Milliseconds since the epoch; tests move it forward to cross rate-limit windows and token expiry. */
  now?: () => number;
}

export interface FakeKlaviyo {
  url: string;
  close(): Promise<void>;
  /** A private API key for an account (created on first use; later calls add keys to it). Returns the account id. */
  addAccount(input: { apiKey: string; accountId?: string; name?: string; scopes?: readonly string[]; limits?: Partial<Record<RateLimitedEndpoint, RateLimit>> }): string;
  /** An OAuth access token for `Authorization: Bearer`, valid until revoked, with its own rate-limit quota. */
  addOAuthToken(input: { accessToken: string; accountId: string; scopes?: readonly string[] }): void;
  revokeApiKey(apiKey: string): void;
  /** What the authorize page would have issued: the code the app exchanges at POST /oauth/token. */
  registerAuthorizationCode(input: RegisteredAuthorizationCode): void;
  events(accountId?: string): AcceptedEvent[];
  duplicatesIgnored(accountId: string): number;
  profiles(accountId?: string): StoredProfile[];
  /** What Klaviyo's onsite script (`/onsite/js/klaviyo.js?company_id=`) was asked to identify in browsers. */
  onsiteIdentifications(accountId?: string): OnsiteIdentification[];
  segments(accountId?: string): StoredResource[];
  flows(accountId?: string): StoredResource[];
  requests(): RecordedRequest[];
  failNext(failure: InjectedFailure): void;
  /** Every matching request answers `status` until cleared with null. */
  setOutage(outage: { status: number; retryAfter?: number; accountId?: string } | null): void;
  /** The next `count` matching requests are accepted and never answered, until the client gives up. */
  hangNext(count?: number, options?: { accountId?: string }): void;
  /** Forgets what happened (events, requests, rate-limit windows, dedupe, metrics, injected failures); keeps accounts and credentials. */
  reset(): void;
}

interface Account {
  id: string;
  name: string;
  limits: Record<RateLimitedEndpoint, RateLimit>;
  seenEventKeys: Set<string>;
  duplicatesIgnored: number;
  metricIds: Map<string, string>;
  profiles: StoredProfile[];
}

interface Credential {
  accountId: string;
  scopes: ReadonlySet<string>;
  /** Private keys share their account's quota; each OAuth install has its own. */
  quotaKey: string;
  expiresAt: number | null;
  grantId: string | null;
}

interface OAuthGrant {
  accountId: string;
  clientId: string;
  scopes: readonly string[];
  refreshToken: string;
  accessTokens: Set<string>;
}

interface ArmedFailure {
  status: number;
  remaining: number;
  retryAfter?: number;
  detail?: string;
  accountId?: string;
}

interface Hang {
  remaining: number;
  accountId?: string;
}

interface ValidatedEvent {
  metric: string;
  profile: Record<string, unknown>;
  properties: Record<string, unknown>;
  time: string | null;
  uniqueId: string | null;
  value: number | null;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

interface RequestContext {
  request: IncomingMessage;
  url: URL;
  origin: string;
  account: Account;
  rawBody: string;
}

interface Route {
  scope: (typeof ALL_SCOPES)[number];
  rateLimit?: RateLimitedEndpoint;
  handle(context: RequestContext): Reply;
}

const ERROR_TITLES = {
  not_authenticated: "Incorrect authentication credentials.",
  permission_denied: "You do not have permission to perform this action.",
  throttled: "Request was throttled.",
  invalid: "Invalid input.",
  parse_error: "Malformed request.",
  unsupported_media_type: "Unsupported media type.",
  payload_too_large: "Request entity too large.",
  not_found: "Not found.",
  method_not_allowed: "Method not allowed.",
  server_error: "A server error occurred.",
} as const;

type ErrorCode = keyof typeof ERROR_TITLES;

/** A JSON:API error answer; thrown anywhere in request handling and rendered once. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    detail: string,
    readonly pointer = "/data/",
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

function invalid(pointer: string, detail: string): never {
  throw new ApiError(400, "invalid", detail, pointer);
}

function fieldName(pointer: string): string {
  return pointer.split("/").at(-1) || "body";
}

function objectAt(value: unknown, pointer: string): Record<string, unknown> {
  if (value === undefined || value === null) invalid(pointer, `'${fieldName(pointer)}' is a required field.`);
  if (typeof value !== "object" || Array.isArray(value)) invalid(pointer, `'${fieldName(pointer)}' must be an object.`);
  return value as Record<string, unknown>;
}

function listAt(value: unknown, pointer: string): unknown[] {
  if (!Array.isArray(value)) invalid(pointer, `'${fieldName(pointer)}' must be a list.`);
  return value;
}

/** A resource object `{ type, attributes }` of the expected type; returns its attributes. */
function resourceObjectAttributes(resource: unknown, pointer: string, type: string): Record<string, unknown> {
  const object = objectAt(resource, pointer);
  if (object.type !== type) invalid(`${pointer}/type`, `'type' must be '${type}'.`);
  return objectAt(object.attributes, `${pointer}/attributes`);
}

/** A document or relationship `{ data: { type, attributes } }`; returns the attributes. */
function resourceAttributes(document: unknown, pointer: string, type: string): Record<string, unknown> {
  return resourceObjectAttributes(objectAt(document, pointer).data, `${pointer}/data`, type);
}

function validateProfile(profile: Record<string, unknown>, pointer: string): Record<string, unknown> {
  if (!PROFILE_IDENTIFIERS.some((key) => typeof profile[key] === "string" && profile[key] !== "")) {
    invalid(pointer, "A profile identifier (email, phone_number, external_id, anonymous_id or _kx) is required.");
  }
  if (profile.phone_number !== undefined && (typeof profile.phone_number !== "string" || !/^\+[1-9]\d{6,14}$/.test(profile.phone_number))) {
    invalid(`${pointer}/phone_number`, "Invalid phone number format (Example of a valid format: +12345678901)");
  }
  return profile;
}

/** An event's attributes; `profile` is given for bulk jobs, where the profile sits on the group. */
function validateEvent(attributes: Record<string, unknown>, pointer: string, profile?: Record<string, unknown>): ValidatedEvent {
  const metric = resourceAttributes(attributes.metric, `${pointer}/metric`, "metric");
  if (typeof metric.name !== "string" || metric.name === "") invalid(`${pointer}/metric/data/attributes/name`, "A metric name is required.");
  const eventProfile = profile ?? validateProfile(resourceAttributes(attributes.profile, `${pointer}/profile`, "profile"), `${pointer}/profile/data/attributes`);
  const properties = objectAt(attributes.properties, `${pointer}/properties`);
  if (Object.keys(properties).length > MAX_EVENT_PROPERTIES) invalid(`${pointer}/properties`, `An event may have at most ${MAX_EVENT_PROPERTIES} properties.`);
  const { time, unique_id: uniqueId, value } = attributes;
  if (time !== undefined && (typeof time !== "string" || !ISO_DATETIME.test(time) || Number.isNaN(Date.parse(time)))) {
    invalid(`${pointer}/time`, "'time' must be an ISO 8601 datetime.");
  }
  if (uniqueId !== undefined && typeof uniqueId !== "string") invalid(`${pointer}/unique_id`, "'unique_id' must be a string.");
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) invalid(`${pointer}/value`, "'value' must be a number.");
  return {
    metric: metric.name,
    profile: eventProfile,
    properties,
    time: (time as string | undefined) ?? null,
    uniqueId: (uniqueId as string | undefined) ?? null,
    value: (value as number | undefined) ?? null,
  };
}

/** The identifier Klaviyo would resolve the profile by; dedupe is per profile. */
function profileIdentity(profile: Record<string, unknown>): string {
  const key = PROFILE_IDENTIFIERS.find((identifier) => typeof profile[identifier] === "string" && profile[identifier] !== "")!;
  return `${key}:${String(profile[key])}`;
}

function shortId(): string {
  return randomBytes(4).toString("hex").slice(0, 6).toUpperCase();
}

function parseBasicAuth(header: string | undefined): { clientId: string; clientSecret: string } | null {
  const match = /^Basic (.+)$/.exec(header ?? "");
  if (!match) return null;
  const [clientId = "", clientSecret = ""] = Buffer.from(match[1]!, "base64").toString("utf8").split(":");
  return clientId && clientSecret ? { clientId, clientSecret } : null;
}

export async function startFakeKlaviyo(options: FakeKlaviyoOptions = {}): Promise<FakeKlaviyo> {
  const now = options.now ?? Date.now;
  const accounts = new Map<string, Account>();
  /** Keyed by the whole Authorization header value: "Klaviyo-API-Key pk_…" or "Bearer …". */
  const credentials = new Map<string, Credential>();
  const grants = new Map<string, OAuthGrant>();
  const authorizationCodes = new Map<string, RegisteredAuthorizationCode>();
  const windows = new Map<string, { index: number; count: number }>();
  const accepted: AcceptedEvent[] = [];
  const onsite: OnsiteIdentification[] = [];
  const segments: StoredResource[] = [];
  const flows: StoredResource[] = [];
  const log: RecordedRequest[] = [];
  let failures: ArmedFailure[] = [];
  let hangs: Hang[] = [];
  let outage: { status: number; retryAfter?: number; accountId?: string } | null = null;

  function accountFor(accountId: string, name?: string): Account {
    let account = accounts.get(accountId);
    if (!account) {
      account = { id: accountId, name: name ?? `Account ${accountId}`, limits: { ...KLAVIYO_RATE_LIMITS }, seenEventKeys: new Set(), duplicatesIgnored: 0, metricIds: new Map(), profiles: [] };
      accounts.set(accountId, account);
    } else if (name) {
      account.name = name;
    }
    return account;
  }

  function identify(request: IncomingMessage): Credential | null {
    const credential = credentials.get(request.headers.authorization ?? "");
    if (!credential || (credential.expiresAt !== null && credential.expiresAt <= now())) return null;
    return credential;
  }

  /** Fixed windows aligned to the epoch, like Klaviyo's: a request counts in every window or, if any is full, in none. */
  function throttle(credential: Credential, account: Account, endpoint: RateLimitedEndpoint): Record<string, string> {
    const limit = account.limits[endpoint];
    const time = now();
    const checks = [
      { lengthMs: 1000, max: limit.burst },
      { lengthMs: 60_000, max: limit.steady },
      ...(limit.daily === undefined ? [] : [{ lengthMs: 86_400_000, max: limit.daily }]),
    ].map(({ lengthMs, max }) => {
      const key = `${credential.quotaKey}|${endpoint}|${lengthMs}`;
      const index = Math.floor(time / lengthMs);
      const window = windows.get(key);
      const count = window?.index === index ? window.count : 0;
      return { key, index, count, max, secondsToReset: Math.max(1, Math.ceil(((index + 1) * lengthMs - time) / 1000)) };
    });
    const full = checks.filter((check) => check.count >= check.max);
    if (full.length > 0) {
      const seconds = Math.max(...full.map((check) => check.secondsToReset));
      throw new ApiError(429, "throttled", `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`, "/data/", {
        "Retry-After": String(seconds),
      });
    }
    for (const check of checks) windows.set(check.key, { index: check.index, count: check.count + 1 });
    // Klaviyo reports the steady window.
    const steady = checks[1]!;
    return {
      "RateLimit-Limit": String(steady.max),
      "RateLimit-Remaining": String(steady.max - steady.count - 1),
      "RateLimit-Reset": String(steady.secondsToReset),
    };
  }

  function takeInjectedFailure(accountId: string | null): ArmedFailure | null {
    const matches = (target?: string) => target === undefined || target === accountId;
    if (outage && matches(outage.accountId)) return { ...outage, remaining: 1 };
    const failure = failures.find((candidate) => matches(candidate.accountId));
    if (!failure) return null;
    failure.remaining--;
    failures = failures.filter((candidate) => candidate.remaining > 0);
    return failure;
  }

  function takeHang(accountId: string | null): boolean {
    const hang = hangs.find((candidate) => candidate.accountId === undefined || candidate.accountId === accountId);
    if (!hang) return false;
    hang.remaining--;
    hangs = hangs.filter((candidate) => candidate.remaining > 0);
    return true;
  }

  /** Klaviyo records only the first event per profile, metric and unique_id (or, without one, per second). */
  function accept(account: Account, event: ValidatedEvent, via: AcceptedEvent["via"]) {
    const occurrence = event.uniqueId ?? `second:${Math.floor((event.time ? Date.parse(event.time) : now()) / 1000)}`;
    const key = `${profileIdentity(event.profile)}|${event.metric}|${occurrence}`;
    if (account.seenEventKeys.has(key)) {
      account.duplicatesIgnored++;
      return;
    }
    account.seenEventKeys.add(key);
    if (!account.metricIds.has(event.metric)) account.metricIds.set(event.metric, shortId());
    accepted.push({ accountId: account.id, ...event, receivedAt: now(), via });
  }

  /**
   * profile-import as the spec describes it: the listed attributes only (anonymous_id is refused since 2026-01-15),
   * at least one identifier (or the profile id), E.164 phone numbers, properties merged into what is stored with
   * null clearing one, 201 when the profile is new and 200 when it existed.
   */
  function importProfile(account: Account, attributes: Record<string, unknown>, profileId: string | null): { profile: StoredProfile; created: boolean } {
    for (const key of Object.keys(attributes)) {
      if (key === "anonymous_id") invalid("/data/attributes/anonymous_id", "'anonymous_id' is not a valid field for the resource 'profile' (removed from profile-import in revision 2026-01-15).");
      if (!PROFILE_IMPORT_ATTRIBUTES.has(key)) invalid(`/data/attributes/${key}`, `'${key}' is not a valid field for the resource 'profile'.`);
    }
    const identifiers: StoredProfile["identifiers"] = {};
    for (const key of ["email", "phone_number", "external_id", "_kx"] as const) {
      const value = attributes[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") invalid(`/data/attributes/${key}`, `'${key}' must be a string.`);
      if (value !== "") identifiers[key] = value;
    }
    if (Object.keys(identifiers).length === 0 && !profileId) {
      invalid("/data/attributes", "One of the following identifiers is required: email, phone_number, external_id, _kx, or the profile id.");
    }
    if (identifiers.phone_number !== undefined && !/^\+[1-9]\d{6,14}$/.test(identifiers.phone_number)) {
      invalid("/data/attributes/phone_number", "Invalid phone number format (Example of a valid format: +12345678901)");
    }
    if (identifiers.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(identifiers.email)) invalid("/data/attributes/email", "Invalid email address");
    const properties = attributes.properties === undefined || attributes.properties === null ? {} : objectAt(attributes.properties, "/data/attributes/properties");
    const existing = account.profiles.find(
      (profile) => profile.id === profileId || (Object.keys(identifiers) as Array<keyof StoredProfile["identifiers"]>).some((key) => profile.identifiers[key] === identifiers[key]),
    );
    const profile = existing ?? { id: `01${randomBytes(12).toString("hex").toUpperCase()}`, accountId: account.id, identifiers: {}, attributes: {}, properties: {}, imports: 0 };
    Object.assign(profile.identifiers, identifiers);
    for (const [key, value] of Object.entries(attributes)) {
      if (key !== "properties" && !(key in identifiers)) profile.attributes[key] = value;
    }
    for (const [key, value] of Object.entries(properties)) {
      if (value === null) delete profile.properties[key];
      else profile.properties[key] = value;
    }
    profile.imports++;
    if (!existing) account.profiles.push(profile);
    return { profile, created: !existing };
  }

  function createResource(context: RequestContext, type: "segment" | "flow", store: StoredResource[]): Reply {
    const attributes = resourceAttributes(parseJsonApi(context), "", type);
    if (typeof attributes.name !== "string" || attributes.name === "") invalid("/data/attributes/name", "'name' is a required field.");
    const metricIds = new Set(context.account.metricIds.values());
    if (type === "segment") validateSegmentDefinition(objectAt(attributes.definition, "/data/attributes/definition"), "/data/attributes/definition", invalid, metricIds);
    else validateFlowDefinition(objectAt(attributes.definition, "/data/attributes/definition"), "/data/attributes/definition", invalid, metricIds);
    const created = new Date(now()).toISOString();
    const resource: StoredResource = {
      id: shortId(),
      accountId: context.account.id,
      attributes: { ...(type === "flow" ? { status: "draft" } : {}), ...attributes, created, updated: created },
    };
    store.push(resource);
    return { status: 201, body: { data: { type, id: resource.id, attributes: resource.attributes, links: { self: `${context.origin}/api/${type}s/${resource.id}/` } } } };
  }

  function listResources(context: RequestContext, type: "segment" | "flow", store: StoredResource[]): Reply {
    const data = store.filter((resource) => resource.accountId === context.account.id).map((resource) => ({ type, id: resource.id, attributes: resource.attributes }));
    return { status: 200, body: { data, links: { self: `${context.origin}${context.url.pathname}`, next: null, prev: null } } };
  }

  function parseJsonApi(context: RequestContext): unknown {
    const contentType = context.request.headers["content-type"] ?? "";
    if (!contentType.startsWith("application/vnd.api+json")) {
      throw new ApiError(415, "unsupported_media_type", `Unsupported media type "${contentType}" in request. Use application/vnd.api+json.`);
    }
    try {
      return JSON.parse(context.rawBody) as unknown;
    } catch {
      throw new ApiError(400, "parse_error", "JSON parse error: the request body is not valid JSON.");
    }
  }

  const routes: Record<string, Route> = {
    "GET /api/accounts": {
      scope: "accounts:read",
      rateLimit: "accounts",
      handle: ({ account, origin }) => ({
        status: 200,
        body: {
          data: [
            {
              type: "account",
              id: account.id,
              attributes: {
                contact_information: { default_sender_name: account.name, default_sender_email: "hello@example.com", website_url: "https://example.com", organization_name: account.name },
                industry: "Apparel",
                timezone: "America/New_York",
                preferred_currency: "USD",
                public_api_key: account.id,
                locale: "en-US",
              },
              links: { self: `${origin}/api/accounts/${account.id}/` },
            },
          ],
          links: { self: `${origin}/api/accounts/`, next: null, prev: null },
        },
      }),
    },
    "POST /api/events": {
      scope: "events:write",
      rateLimit: "events",
      handle(context) {
        const event = validateEvent(resourceAttributes(parseJsonApi(context), "", "event"), "/data/attributes");
        accept(context.account, event, "single");
        return { status: 202 };
      },
    },
    "POST /api/event-bulk-create-jobs": {
      scope: "events:write",
      rateLimit: "bulkEvents",
      handle(context) {
        const attributes = resourceAttributes(parseJsonApi(context), "", "event-bulk-create-job");
        const groupsPointer = "/data/attributes/events-bulk-create/data";
        const groups = listAt(objectAt(attributes["events-bulk-create"], "/data/attributes/events-bulk-create").data, groupsPointer);
        const events: ValidatedEvent[] = [];
        const uniqueIds = new Set<string>();
        groups.forEach((group, groupIndex) => {
          const pointer = `${groupsPointer}/${groupIndex}`;
          const groupAttributes = resourceObjectAttributes(group, pointer, "event-bulk-create");
          const profile = validateProfile(
            resourceAttributes(groupAttributes.profile, `${pointer}/attributes/profile`, "profile"),
            `${pointer}/attributes/profile/data/attributes`,
          );
          const entries = listAt(objectAt(groupAttributes.events, `${pointer}/attributes/events`).data, `${pointer}/attributes/events/data`);
          entries.forEach((entry, eventIndex) => {
            const eventPointer = `${pointer}/attributes/events/data/${eventIndex}`;
            const event = validateEvent(resourceObjectAttributes(entry, eventPointer, "event"), `${eventPointer}/attributes`, profile);
            if (event.uniqueId !== null) {
              if (uniqueIds.has(event.uniqueId)) invalid(`${eventPointer}/attributes/unique_id`, `Duplicate unique_id '${event.uniqueId}' in the same job.`);
              uniqueIds.add(event.uniqueId);
            }
            events.push(event);
          });
        });
        if (events.length === 0) invalid(groupsPointer, "A job must contain at least one event.");
        if (events.length > MAX_EVENTS_PER_BULK_JOB) invalid(groupsPointer, `A job may contain at most ${MAX_EVENTS_PER_BULK_JOB.toLocaleString("en-US")} events; got ${events.length}.`);
        for (const event of events) accept(context.account, event, "bulk");
        const id = randomUUID();
        return {
          status: 202,
          body: {
            data: {
              type: "event-bulk-create-job",
              id,
              attributes: { status: "queued", created_at: new Date(now()).toISOString(), total_count: events.length, completed_count: 0, failed_count: 0, completed_at: null },
              links: { self: `${context.origin}/api/event-bulk-create-jobs/${id}/` },
            },
          },
        };
      },
    },
    "POST /api/profile-import": {
      scope: "profiles:write",
      rateLimit: "profileImport",
      handle(context) {
        const document = objectAt(parseJsonApi(context), "");
        const resource = objectAt(document.data, "/data");
        if (resource.type !== "profile") invalid("/data/type", "'type' must be 'profile'.");
        const attributes = objectAt(resource.attributes, "/data/attributes");
        const { profile, created } = importProfile(context.account, attributes, typeof resource.id === "string" ? resource.id : null);
        return { status: created ? 201 : 200, body: { data: { type: "profile", id: profile.id, attributes: { ...profile.attributes, ...profile.identifiers, properties: profile.properties } } } };
      },
    },
    "GET /api/metrics": {
      scope: "metrics:read",
      rateLimit: "metrics",
      handle({ account, url, origin }) {
        const all = [...account.metricIds].map(([name, id]) => ({ type: "metric", id, attributes: { name, integration: { name: "API", category: "API" } } }));
        const offset = Number(url.searchParams.get("page[cursor]") ?? 0) || 0;
        const nextOffset = offset + METRICS_PAGE_SIZE;
        return {
          status: 200,
          body: {
            data: all.slice(offset, nextOffset),
            links: { self: `${origin}${url.pathname}${url.search}`, next: nextOffset < all.length ? `${origin}/api/metrics?page%5Bcursor%5D=${nextOffset}` : null, prev: null },
          },
        };
      },
    },
    "GET /api/segments": { scope: "segments:read", handle: (context) => listResources(context, "segment", segments) },
    "POST /api/segments": { scope: "segments:write", rateLimit: "segments", handle: (context) => createResource(context, "segment", segments) },
    "GET /api/flows": { scope: "flows:read", handle: (context) => listResources(context, "flow", flows) },
    "POST /api/flows": { scope: "flows:write", rateLimit: "flows", handle: (context) => createResource(context, "flow", flows) },
  };

  function handleApi(request: IncomingMessage, url: URL, rawBody: string, credential: Credential | null): Reply {
    if (!credential) throw new ApiError(401, "not_authenticated", "Missing or invalid authorization scheme or credentials. Use 'Klaviyo-API-Key <private key>' or 'Bearer <access token>'.");
    const revision = request.headers.revision;
    const date = typeof revision === "string" ? REVISION.exec(revision)?.[1] : undefined;
    if (!date || Number.isNaN(Date.parse(date))) {
      throw new ApiError(400, "invalid", "A valid 'revision' header is required, as a date like 2026-07-15.");
    }
    const path = url.pathname.replace(/\/$/, "");
    const route = routes[`${request.method} ${path}`];
    if (!route) {
      const known = Object.keys(routes).some((key) => key.endsWith(` ${path}`));
      throw known ? new ApiError(405, "method_not_allowed", `Method "${request.method}" not allowed.`) : new ApiError(404, "not_found", `No endpoint ${path}.`);
    }
    if (!credential.scopes.has(route.scope)) {
      throw new ApiError(403, "permission_denied", `You do not have permission to perform this action. This endpoint requires the ${route.scope} scope.`);
    }
    const account = accounts.get(credential.accountId)!;
    const rateHeaders = route.rateLimit ? throttle(credential, account, route.rateLimit) : {};
    if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", "The request body exceeds 5 MB.");
    const reply = route.handle({ request, url, origin: `http://${request.headers.host}`, account, rawBody });
    return { ...reply, headers: { ...rateHeaders, ...reply.headers } };
  }

  function issueTokens(grantId: string, grant: OAuthGrant): Reply {
    const accessToken = `kat_${randomBytes(24).toString("base64url")}`;
    grant.accessTokens.add(accessToken);
    credentials.set(`Bearer ${accessToken}`, {
      accountId: grant.accountId,
      scopes: new Set(grant.scopes),
      quotaKey: `oauth:${grant.clientId}:${grant.accountId}`,
      expiresAt: now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
      grantId,
    });
    return {
      status: 200,
      contentType: "application/json",
      body: { access_token: accessToken, refresh_token: grant.refreshToken, token_type: "Bearer", expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, scope: grant.scopes.join(" ") },
    };
  }

  function revokeGrant(grantId: string) {
    const grant = grants.get(grantId);
    if (!grant) return;
    for (const token of grant.accessTokens) credentials.delete(`Bearer ${token}`);
    grants.delete(grantId);
  }

  function oauthError(status: number, error: string, description: string): Reply {
    return { status, contentType: "application/json", body: { error, error_description: description } };
  }

  /** RFC 6749 token endpoint with PKCE; refresh tokens rotate, so a used one is no longer valid. */
  function handleOAuth(request: IncomingMessage, path: string, rawBody: string): Reply {
    const client = parseBasicAuth(request.headers.authorization);
    if (!client) return oauthError(401, "invalid_client", "Client authentication (HTTP Basic client_id:client_secret) is required.");
    const form = new URLSearchParams(rawBody);

    if (path === "/oauth/revoke") {
      const token = form.get("token") ?? "";
      const grantId = [...grants].find(([, grant]) => grant.clientId === client.clientId && (grant.refreshToken === token || grant.accessTokens.has(token)))?.[0];
      if (grantId) revokeGrant(grantId);
      return { status: 200, contentType: "application/json", body: {} };
    }

    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") {
      const code = form.get("code") ?? "";
      const registered = authorizationCodes.get(code);
      authorizationCodes.delete(code);
      const challenge = createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
      if (!registered || registered.clientId !== client.clientId || registered.redirectUri !== form.get("redirect_uri") || registered.codeChallenge !== challenge) {
        return oauthError(400, "invalid_grant", "The authorization code, redirect_uri or code_verifier is invalid.");
      }
      const grantId = randomUUID();
      const grant: OAuthGrant = { accountId: registered.accountId, clientId: client.clientId, scopes: registered.scopes, refreshToken: `krt_${randomBytes(24).toString("base64url")}`, accessTokens: new Set() };
      grants.set(grantId, grant);
      return issueTokens(grantId, grant);
    }
    if (grantType === "refresh_token") {
      const refreshToken = form.get("refresh_token");
      const entry = [...grants].find(([, grant]) => grant.refreshToken === refreshToken && grant.clientId === client.clientId);
      if (!entry) return oauthError(400, "invalid_grant", "The refresh token is invalid, revoked or expired.");
      entry[1].refreshToken = `krt_${randomBytes(24).toString("base64url")}`;
      return issueTokens(...entry);
    }
    return oauthError(400, "unsupported_grant_type", `Unsupported grant_type "${grantType ?? ""}".`);
  }

  function errorReply(error: unknown): Reply {
    const failure = error instanceof ApiError ? error : new ApiError(500, "server_error", String(error));
    return {
      status: failure.status,
      headers: failure.headers,
      body: {
        errors: [
          {
            id: randomUUID(),
            status: failure.status,
            code: failure.code,
            title: ERROR_TITLES[failure.code],
            detail: failure.message,
            source: { pointer: failure.pointer },
          },
        ],
      },
    };
  }

  function injectedReply(failure: ArmedFailure): Reply {
    const code: ErrorCode = failure.status === 429 ? "throttled" : failure.status === 401 ? "not_authenticated" : failure.status === 403 ? "permission_denied" : failure.status >= 500 ? "server_error" : "invalid";
    const detail = failure.detail ?? ERROR_TITLES[code];
    return errorReply(new ApiError(failure.status, code, detail, "/data/", failure.retryAfter === undefined ? {} : { "Retry-After": String(failure.retryAfter) }));
  }

  async function respond(request: IncomingMessage, response: ServerResponse) {
    const at = now();
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    const credential = identify(request);
    const accountId = credential?.accountId ?? null;

    if (method === "GET" && url.pathname === "/") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(inspectionPage(accepted, onsite));
      return;
    }
    if (url.pathname === "/onsite/js/klaviyo.js" || url.pathname === "/client/profiles/" || url.pathname === "/client/profiles") {
      await respondOnsite(request, response, url, method);
      return;
    }
    if (takeHang(accountId)) {
      request.resume();
      return;
    }

    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");

    const failure = takeInjectedFailure(accountId);
    let reply: Reply;
    try {
      if (failure) reply = injectedReply(failure);
      else if (method === "POST" && (url.pathname === "/oauth/token" || url.pathname === "/oauth/revoke")) reply = handleOAuth(request, url.pathname, rawBody);
      else if (url.pathname.startsWith("/api/")) reply = handleApi(request, url, rawBody, credential);
      else throw new ApiError(404, "not_found", `No endpoint ${url.pathname}.`);
    } catch (error) {
      reply = errorReply(error);
    }

    log.push({ method, path: url.pathname, status: reply.status, accountId, at });
    if (reply.body === undefined) {
      response.writeHead(reply.status, reply.headers).end();
    } else {
      response.writeHead(reply.status, { ...reply.headers, "Content-Type": reply.contentType ?? "application/vnd.api+json" }).end(JSON.stringify(reply.body));
    }
  }

  /**
   * Klaviyo's onsite JavaScript and the public Client API it calls from shoppers' browsers: keyed by the
   * account's public id (`company_id`), no private key, CORS open to any storefront.
   */
  async function respondOnsite(request: IncomingMessage, response: ServerResponse, url: URL, method: string) {
    const cors = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "content-type, revision", "Access-Control-Allow-Methods": "POST, OPTIONS" };
    const companyId = url.searchParams.get("company_id") ?? "";
    if (url.pathname.endsWith(".js")) {
      response.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" }).end(onsiteScript(`http://${request.headers.host}`, companyId));
      return;
    }
    if (method === "OPTIONS") return void response.writeHead(204, cors).end();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const reply = (status: number, detail?: string) =>
      response.writeHead(status, { ...cors, "Content-Type": "application/vnd.api+json" }).end(detail ? JSON.stringify({ errors: [{ status, code: "invalid", title: "Invalid input.", detail }] }) : undefined);
    if (method !== "POST") return reply(405, "Method not allowed.");
    if (!accounts.has(companyId)) return reply(400, "A valid company_id is required.");
    let attributes: Record<string, unknown> | undefined;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: { type?: string; attributes?: Record<string, unknown> } };
      attributes = body.data?.type === "profile" ? body.data.attributes : undefined;
    } catch {
      attributes = undefined;
    }
    const email = typeof attributes?.email === "string" ? attributes.email : null;
    const phoneNumber = typeof attributes?.phone_number === "string" ? attributes.phone_number : null;
    if (!email && !phoneNumber) return reply(400, "A profile needs an email or a phone_number.");
    onsite.push({ accountId: companyId, email, phoneNumber, receivedAt: now() });
    reply(202);
  }

  // A client that gives up mid-request (a timeout) must not take the fake down with it.
  const server = createServer((request, response) => void respond(request, response).catch(() => response.destroy()));

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addAccount({ apiKey, accountId = `ACC${String(accounts.size + 1).padStart(3, "0")}`, name, scopes = ALL_SCOPES, limits = {} }) {
      const account = accountFor(accountId, name);
      for (const [endpoint, limit] of Object.entries(limits) as Array<[RateLimitedEndpoint, RateLimit | undefined]>) {
        if (limit) account.limits[endpoint] = limit;
      }
      credentials.set(`Klaviyo-API-Key ${apiKey}`, { accountId, scopes: new Set(scopes), quotaKey: `account:${accountId}`, expiresAt: null, grantId: null });
      return accountId;
    },
    addOAuthToken({ accessToken, accountId, scopes = ALL_SCOPES }) {
      accountFor(accountId);
      credentials.set(`Bearer ${accessToken}`, { accountId, scopes: new Set(scopes), quotaKey: `oauth:${accountId}`, expiresAt: null, grantId: null });
    },
    revokeApiKey(apiKey) {
      credentials.delete(`Klaviyo-API-Key ${apiKey}`);
    },
    registerAuthorizationCode(code) {
      accountFor(code.accountId);
      authorizationCodes.set(code.code, code);
    },
    events: (accountId) => accepted.filter((event) => accountId === undefined || event.accountId === accountId),
    duplicatesIgnored: (accountId) => accounts.get(accountId)?.duplicatesIgnored ?? 0,
    profiles: (accountId) => [...accounts.values()].filter((account) => accountId === undefined || account.id === accountId).flatMap((account) => account.profiles),
    onsiteIdentifications: (accountId) => onsite.filter((identification) => accountId === undefined || identification.accountId === accountId),
    segments: (accountId) => segments.filter((segment) => accountId === undefined || segment.accountId === accountId),
    flows: (accountId) => flows.filter((flow) => accountId === undefined || flow.accountId === accountId),
    requests: () => [...log],
    failNext({ status, count = 1, retryAfter, body, accountId }) {
      failures.push({ status, remaining: count, retryAfter, detail: body?.detail, accountId });
    },
    setOutage(next) {
      outage = next;
    },
    hangNext(count = 1, { accountId } = {}) {
      hangs.push({ remaining: count, accountId });
    },
    reset() {
      accepted.length = 0;
      onsite.length = 0;
      segments.length = 0;
      flows.length = 0;
      log.length = 0;
      windows.clear();
      failures = [];
      hangs = [];
      outage = null;
      for (const account of accounts.values()) {
        account.seenEventKeys.clear();
        account.duplicatesIgnored = 0;
        account.metricIds.clear();
        account.profiles.length = 0;
      }
    },
  };
}

/**
 * The onsite script's one job here: `klaviyo.identify(properties)` sends the profile to the Client API, as
 * Klaviyo's does, and resolves once it is accepted.
 */
function onsiteScript(origin: string, companyId: string): string {
  return `(function () {
  var endpoint = ${JSON.stringify(`${origin}/client/profiles/?company_id=${encodeURIComponent(companyId)}`)};
  var identified = false;
  window.klaviyo = {
    identify: function (properties) {
      return fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json", revision: "2026-10-15" },
        body: JSON.stringify({ data: { type: "profile", attributes: properties } }) })
        .then(function (response) { identified = identified || response.ok; return properties; });
    },
    isIdentified: function () { return Promise.resolve(identified); }
  };
})();`;
}

/** The demo links here: what the fake accepted, newest first. */
function inspectionPage(accepted: readonly AcceptedEvent[], onsite: readonly OnsiteIdentification[]): string {
  const rows = accepted
    .slice(-200)
    .reverse()
    .map(
      (event) =>
        `<tr><td>${new Date(event.receivedAt).toISOString()}</td><td>${escapeHtml(event.accountId)}</td><td>${escapeHtml(event.metric)}</td><td>${event.via}</td><td><code>${escapeHtml(JSON.stringify(event.profile))}</code></td><td><code>${escapeHtml(JSON.stringify(event.properties))}</code></td></tr>`,
    )
    .join("");
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Fake Klaviyo</title>
<style>body{font:14px system-ui;margin:24px}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}code{font-size:12px}</style>
<h1>Fake Klaviyo: ${accepted.length} event${accepted.length === 1 ? "" : "s"} accepted</h1><table><tr><th>received</th><th>account</th><th>metric</th><th>via</th><th>profile</th><th>properties</th></tr>${rows}</table>
<h2>Identified by the onsite script: ${onsite.length}</h2><table><tr><th>received</th><th>account</th><th>email</th><th>phone</th></tr>${onsite
    .slice(-50)
    .reverse()
    .map((entry) => `<tr><td>${new Date(entry.receivedAt).toISOString()}</td><td>${escapeHtml(entry.accountId)}</td><td>${escapeHtml(entry.email ?? "")}</td><td>${escapeHtml(entry.phoneNumber ?? "")}</td></tr>`)
    .join("")}</table>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[character]!);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argument = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? process.argv[index + 1] : undefined;
  };
  const fake = await startFakeKlaviyo({ port: Number(argument("port") ?? 4010) });
  const apiKey = argument("api-key") ?? "pk_demo";
  const accountId = fake.addAccount({ apiKey, accountId: argument("account-id") ?? "DEMO01", name: "Demo account" });
  console.log(`Fake Klaviyo listening on ${fake.url} (account ${accountId}, API key ${apiKey})`);
}
