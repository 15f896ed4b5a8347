import { config } from "../config.server";
import { metrics } from "../operations/metrics.server";
import { KlaviyoApiError, type KlaviyoRequestContext } from "./errors";

/**
 * The app's one Klaviyo client: a small typed client over fetch rather than the official `klaviyo-api` SDK,
 * because the app needs what the SDK hides or lacks: JSON:API bodies it builds and snapshot-tests itself, a base
 * URL it can point at the local fake, a hard timeout on every request (AbortSignal), failures classified into one
 * error type (retryable or not, with Retry-After and a message for the merchant), and no retries of its own: the
 * outbox owns retrying and pacing, and hidden retries inside a client would break both.
 */
export const KLAVIYO_REVISION = "2026-07-15";
export const MAX_BULK_EVENTS = 1000;

export type KlaviyoCredentials = { kind: "api_key"; apiKey: string } | { kind: "oauth"; accessToken: string };

export interface KlaviyoClientOptions {
  baseUrl: string;
  credentials: KlaviyoCredentials;
  timeoutMs: number;
}

/** A type alias, not an interface, so it stays assignable to the open attribute record below. */
export type KlaviyoProfileIdentifiers = {
  email?: string;
  phone_number?: string;
  external_id?: string;
  anonymous_id?: string;
  _kx?: string;
};

/** POST /api/profile-import's attributes: identifiers (no anonymous_id there) and the properties to set; null clears one. */
export type KlaviyoProfileImport = Omit<KlaviyoProfileIdentifiers, "anonymous_id"> & { properties: Record<string, unknown> };

export interface KlaviyoEventAttributes {
  properties: Record<string, unknown>;
  time: string;
  unique_id: string;
  value?: number;
  metric: { data: { type: "metric"; attributes: { name: string } } };
  profile: { data: { type: "profile"; attributes: KlaviyoProfileIdentifiers & Record<string, unknown> } };
}

export type KlaviyoScope = "accounts:read" | "events:write" | "profiles:write" | "metrics:read" | "segments:read" | "segments:write" | "flows:read" | "flows:write";

export interface KlaviyoAccount {
  id: string;
  name: string | null;
  publicApiKey: string;
  timezone: string | null;
  currency: string | null;
}

export interface KlaviyoMetric {
  id: string;
  name: string;
}

interface Endpoint {
  method: "GET" | "POST";
  path: string;
  scope: KlaviyoScope;
}

const ENDPOINTS = {
  accounts: { method: "GET", path: "/api/accounts", scope: "accounts:read" },
  createEvent: { method: "POST", path: "/api/events", scope: "events:write" },
  createEventBulkJob: { method: "POST", path: "/api/event-bulk-create-jobs", scope: "events:write" },
  importProfile: { method: "POST", path: "/api/profile-import", scope: "profiles:write" },
  metrics: { method: "GET", path: "/api/metrics", scope: "metrics:read" },
  segments: { method: "GET", path: "/api/segments", scope: "segments:read" },
  createSegment: { method: "POST", path: "/api/segments", scope: "segments:write" },
  flows: { method: "GET", path: "/api/flows", scope: "flows:read" },
  createFlow: { method: "POST", path: "/api/flows", scope: "flows:write" },
} as const satisfies Record<string, Endpoint>;

/** Reads list one page; writes send an empty body, which Klaviyo refuses with 403 without the scope, else 400. */
const SCOPE_PROBES: Record<KlaviyoScope, Endpoint> = {
  "accounts:read": ENDPOINTS.accounts,
  "events:write": ENDPOINTS.createEvent,
  "profiles:write": ENDPOINTS.importProfile,
  "metrics:read": ENDPOINTS.metrics,
  "segments:read": ENDPOINTS.segments,
  "segments:write": ENDPOINTS.createSegment,
  "flows:read": ENDPOINTS.flows,
  "flows:write": ENDPOINTS.createFlow,
};

interface AccountsDocument {
  data?: Array<{
    id?: string;
    attributes?: { contact_information?: { organization_name?: string | null }; public_api_key?: string; timezone?: string | null; preferred_currency?: string | null };
  }>;
}

export interface KlaviyoNamedResource {
  id: string;
  name: string;
}

interface NamedPage {
  data?: Array<{ id: string; attributes: { name: string } }>;
  links?: { next?: string | null };
}

export class KlaviyoClient {
  constructor(private readonly options: KlaviyoClientOptions) {}

  /** The account behind the credentials; also the cheapest check that they work. */
  async getAccount(): Promise<KlaviyoAccount> {
    const document = (await this.send(ENDPOINTS.accounts)) as AccountsDocument | undefined;
    const account = document?.data?.[0];
    if (!account?.id || !account.attributes?.public_api_key) throw this.unexpectedAnswer(ENDPOINTS.accounts, 200, "no account in the answer");
    return {
      id: account.id,
      name: account.attributes.contact_information?.organization_name ?? null,
      publicApiKey: account.attributes.public_api_key,
      timezone: account.attributes.timezone ?? null,
      currency: account.attributes.preferred_currency ?? null,
    };
  }

  /** Klaviyo answers 202: the event is validated and queued, not yet processed. */
  async createEvent(event: KlaviyoEventAttributes): Promise<void> {
    await this.send(ENDPOINTS.createEvent, { data: { type: "event", attributes: event } });
  }

  /** One bulk job of up to 1,000 events; events with identical profile attributes share one profile group, as the body requires. */
  async createEventBulkJob(events: KlaviyoEventAttributes[]): Promise<{ jobId: string }> {
    if (events.length === 0 || events.length > MAX_BULK_EVENTS) {
      throw new RangeError(`A Klaviyo bulk job takes 1 to ${MAX_BULK_EVENTS} events, got ${events.length}`);
    }
    const groups = new Map<string, { profile: KlaviyoEventAttributes["profile"]; events: Array<Omit<KlaviyoEventAttributes, "profile">> }>();
    for (const { profile, ...event } of events) {
      const key = canonicalJson(profile.data.attributes);
      const group = groups.get(key) ?? { profile, events: [] };
      group.events.push(event);
      groups.set(key, group);
    }
    const document = (await this.send(ENDPOINTS.createEventBulkJob, {
      data: {
        type: "event-bulk-create-job",
        attributes: {
          "events-bulk-create": {
            data: [...groups.values()].map((group) => ({
              type: "event-bulk-create",
              attributes: { profile: group.profile, events: { data: group.events.map((attributes) => ({ type: "event", attributes })) } },
            })),
          },
        },
      },
    })) as { data?: { id?: string } } | undefined;
    const jobId = document?.data?.id;
    // Klaviyo queued the events; a resend after this error is deduplicated by unique_id.
    if (!jobId) throw this.unexpectedAnswer(ENDPOINTS.createEventBulkJob, 202, "no job id in the answer");
    return { jobId };
  }

  /** Creates or updates the profile; answers the status (201 created, 200 updated). */
  async importProfile(profile: KlaviyoProfileImport): Promise<number> {
    const { status } = await this.request(ENDPOINTS.importProfile, { data: { type: "profile", attributes: profile } });
    return status;
  }

  /** Whether the credentials grant `scope`, without creating anything in the account. */
  async probeScope(scope: KlaviyoScope): Promise<boolean> {
    const probe = SCOPE_PROBES[scope];
    try {
      await this.send(probe, probe.method === "POST" ? {} : undefined);
      return true;
    } catch (error) {
      if (!(error instanceof KlaviyoApiError)) throw error;
      if (error.kind === "forbidden") return false;
      if (probe.method === "POST" && error.status === 400) return true;
      throw error;
    }
  }

  /** Every metric in the account, following Klaviyo's pages (GET /api/metrics cannot filter by name). */
  listMetrics(): Promise<KlaviyoMetric[]> {
    return this.listNamed(ENDPOINTS.metrics);
  }

  /** Every segment in the account (id and name), following Klaviyo's pages. */
  listSegments(): Promise<KlaviyoNamedResource[]> {
    return this.listNamed(ENDPOINTS.segments);
  }

  /** Every flow in the account (id and name), following Klaviyo's pages. */
  listFlows(): Promise<KlaviyoNamedResource[]> {
    return this.listNamed(ENDPOINTS.flows);
  }

  async createSegment(name: string, definition: Record<string, unknown>): Promise<string> {
    return this.createNamed(ENDPOINTS.createSegment, "segment", { name, definition });
  }

  /** Flows are created as drafts; the merchant reviews the content and switches them live in Klaviyo. */
  async createFlow(name: string, definition: Record<string, unknown>): Promise<string> {
    return this.createNamed(ENDPOINTS.createFlow, "flow", { name, definition });
  }

  private async createNamed(endpoint: Endpoint, type: string, attributes: Record<string, unknown>): Promise<string> {
    const document = (await this.send(endpoint, { data: { type, attributes } })) as { data?: { id?: string } } | undefined;
    const id = document?.data?.id;
    if (!id) throw this.unexpectedAnswer(endpoint, 201, `no ${type} id in the answer`);
    return id;
  }

  private async listNamed(endpoint: Endpoint): Promise<KlaviyoNamedResource[]> {
    const resources: KlaviyoNamedResource[] = [];
    let path: string | null = endpoint.path;
    while (path) {
      const page = (await this.send({ ...endpoint, path })) as NamedPage | undefined;
      resources.push(...(page?.data ?? []).map((resource) => ({ id: resource.id, name: resource.attributes.name })));
      // Only the path and query of Klaviyo's link: the credentials never go to another origin.
      const next: URL | null = page?.links?.next ? new URL(page.links.next, this.options.baseUrl) : null;
      path = next ? `${next.pathname}${next.search}` : null;
    }
    return resources;
  }

  private async send(endpoint: Endpoint, body?: unknown): Promise<unknown> {
    return (await this.request(endpoint, body)).body;
  }

  private async request(endpoint: Endpoint, body?: unknown): Promise<{ status: number; body: unknown }> {
    const { credentials, timeoutMs } = this.options;
    let text: string;
    let response: Response;
    try {
      response = await fetch(new URL(endpoint.path, this.options.baseUrl), {
        method: endpoint.method,
        headers: {
          Authorization: credentials.kind === "api_key" ? `Klaviyo-API-Key ${credentials.apiKey}` : `Bearer ${credentials.accessToken}`,
          revision: KLAVIYO_REVISION,
          accept: "application/vnd.api+json",
          ...(body === undefined ? {} : { "content-type": "application/vnd.api+json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const failure = this.transportFailure(endpoint, error);
      metrics().klaviyoResponses.inc({ endpoint: this.context(endpoint).endpoint, status: failure.kind });
      throw failure;
    }
    metrics().klaviyoResponses.inc({ endpoint: this.context(endpoint).endpoint, status: String(response.status) });
    if (!response.ok) {
      throw KlaviyoApiError.fromResponse(response.status, errorDetail(text, response), response.headers.get("retry-after"), this.context(endpoint));
    }
    if (text === "") return { status: response.status, body: undefined };
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      throw this.unexpectedAnswer(endpoint, response.status, "the answer is not JSON");
    }
  }

  private context(endpoint: Endpoint): KlaviyoRequestContext {
    return { endpoint: `${endpoint.method} ${endpoint.path.split("?")[0]}`, requiredScope: endpoint.scope, credentialKind: this.options.credentials.kind };
  }

  private transportFailure(endpoint: Endpoint, error: unknown): KlaviyoApiError {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return new KlaviyoApiError("timeout", null, `no answer within ${this.options.timeoutMs} ms`, this.context(endpoint));
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
    const reason = [error instanceof Error ? error.message : String(error), cause && "code" in cause ? String(cause.code) : cause?.message].filter(Boolean).join(": ");
    return new KlaviyoApiError("network", null, reason, this.context(endpoint));
  }

  /** A success status with a body we cannot use: treated as Klaviyo misbehaving for a moment, so retryable. */
  private unexpectedAnswer(endpoint: Endpoint, status: number, what: string): KlaviyoApiError {
    return new KlaviyoApiError("unavailable", status, `unexpected answer from Klaviyo: ${what}`, this.context(endpoint));
  }
}

/** Klaviyo's errors[].detail, joined: these words reach the merchant. */
function errorDetail(text: string, response: Response): string {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ detail?: string | null; title?: string | null }> };
    const details = (body.errors ?? []).map((error) => error.detail || error.title).filter(Boolean);
    if (details.length > 0) return details.join("; ");
  } catch {
    // Not JSON (a proxy's page, say): the text itself, shortened, says more than nothing.
  }
  return text.trim().slice(0, 500) || `HTTP ${response.status} ${response.statusText}`.trim();
}

/** JSON with object keys sorted, so equal profiles group together whatever order their keys were written in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function klaviyoClientFor(credentials: KlaviyoCredentials): KlaviyoClient {
  const settings = config();
  return new KlaviyoClient({ baseUrl: settings.KLAVIYO_API_URL, credentials, timeoutMs: settings.KLAVIYO_REQUEST_TIMEOUT_MS });
}
