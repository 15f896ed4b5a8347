import { config } from "../config.server";
import { KlaviyoApiError } from "./errors";

/**
 * The app's one Klaviyo client: a small typed client over fetch rather than the official `klaviyo-api` SDK,
 * because the app needs exactly what the SDK hides or lacks: JSON:API bodies it builds and snapshot-tests
 * itself, a base URL it can point at the local fake, a hard timeout on every request, failures classified into
 * one error type (retryable or not, with Retry-After), and no retries of its own (the outbox owns retrying).
 */
export const KLAVIYO_REVISION = "2026-07-15";
export const MAX_BULK_EVENTS = 1000;

export type KlaviyoCredentials = { kind: "api_key"; apiKey: string } | { kind: "oauth"; accessToken: string };

export interface KlaviyoClientOptions {
  baseUrl: string;
  credentials: KlaviyoCredentials;
  timeoutMs: number;
}

export interface KlaviyoProfileIdentifiers {
  email?: string;
  phone_number?: string;
  external_id?: string;
  anonymous_id?: string;
  _kx?: string;
}

export interface KlaviyoEventAttributes {
  properties: Record<string, unknown>;
  time: string;
  unique_id: string;
  value?: number;
  metric: { data: { type: "metric"; attributes: { name: string } } };
  profile: { data: { type: "profile"; attributes: KlaviyoProfileIdentifiers } };
}

export type KlaviyoScope = "accounts:read" | "events:write" | "profiles:write" | "metrics:read" | "segments:read" | "segments:write" | "flows:read" | "flows:write";

export interface KlaviyoAccount {
  id: string;
  name: string | null;
  publicApiKey: string;
  timezone: string | null;
  currency: string | null;
}

/** Non-destructive probes: reads list one page; writes send an empty body (403 = scope missing, 400 = present). */
const SCOPE_PROBES: Record<KlaviyoScope, { method: "GET" | "POST"; path: string }> = {
  "accounts:read": { method: "GET", path: "/api/accounts" },
  "events:write": { method: "POST", path: "/api/events" },
  "profiles:write": { method: "POST", path: "/api/profile-import" },
  "metrics:read": { method: "GET", path: "/api/metrics" },
  "segments:read": { method: "GET", path: "/api/segments" },
  "segments:write": { method: "POST", path: "/api/segments" },
  "flows:read": { method: "GET", path: "/api/flows" },
  "flows:write": { method: "POST", path: "/api/flows" },
};

export class KlaviyoClient {
  constructor(private readonly options: KlaviyoClientOptions) {}

  async getAccount(): Promise<KlaviyoAccount> {
    const body = (await this.request("GET", "/api/accounts")) as {
      data: Array<{ id: string; attributes: { contact_information?: { organization_name?: string }; public_api_key: string; timezone?: string; preferred_currency?: string } }>;
    };
    const account = body.data[0];
    if (!account) throw new KlaviyoApiError("rejected", 200, "Klaviyo returned no account for this key");
    return {
      id: account.id,
      name: account.attributes.contact_information?.organization_name ?? null,
      publicApiKey: account.attributes.public_api_key,
      timezone: account.attributes.timezone ?? null,
      currency: account.attributes.preferred_currency ?? null,
    };
  }

  async createEvent(event: KlaviyoEventAttributes): Promise<void> {
    await this.request("POST", "/api/events", { data: { type: "event", attributes: event } });
  }

  /** One bulk job; events for the same profile are grouped as Klaviyo's body requires. */
  async createEventBulkJob(events: KlaviyoEventAttributes[]): Promise<{ jobId: string }> {
    if (events.length === 0 || events.length > MAX_BULK_EVENTS) {
      throw new RangeError(`A bulk job takes 1 to ${MAX_BULK_EVENTS} events, got ${events.length}`);
    }
    const groups = new Map<string, { profile: KlaviyoEventAttributes["profile"]; events: Array<Omit<KlaviyoEventAttributes, "profile">> }>();
    for (const { profile, ...event } of events) {
      const key = JSON.stringify(profile.data.attributes);
      const group = groups.get(key) ?? { profile, events: [] };
      group.events.push(event);
      groups.set(key, group);
    }
    const body = (await this.request("POST", "/api/event-bulk-create-jobs", {
      data: {
        type: "event-bulk-create-job",
        attributes: {
          "events-bulk-create": {
            data: [...groups.values()].map((group) => ({
              type: "event-bulk-create",
              attributes: {
                profile: group.profile,
                events: { data: group.events.map((attributes) => ({ type: "event", attributes })) },
              },
            })),
          },
        },
      },
    })) as { data?: { id: string } };
    return { jobId: body.data?.id ?? "" };
  }

  async probeScope(scope: KlaviyoScope): Promise<boolean> {
    const probe = SCOPE_PROBES[scope];
    try {
      await this.request(probe.method, probe.method === "GET" && probe.path !== "/api/accounts" ? `${probe.path}?page[size]=1` : probe.path, probe.method === "POST" ? {} : undefined);
      return true;
    } catch (error) {
      if (error instanceof KlaviyoApiError && error.kind === "forbidden") return false;
      if (error instanceof KlaviyoApiError && error.kind === "rejected") return true;
      throw error;
    }
  }

  async listMetrics(): Promise<Array<{ id: string; name: string }>> {
    const metrics: Array<{ id: string; name: string }> = [];
    let next: string | null = "/api/metrics";
    while (next) {
      const page = (await this.request("GET", next)) as { data: Array<{ id: string; attributes: { name: string } }>; links?: { next?: string | null } };
      metrics.push(...page.data.map((metric) => ({ id: metric.id, name: metric.attributes.name })));
      next = page.links?.next ?? null;
    }
    return metrics;
  }

  private async request(method: "GET" | "POST", pathOrUrl: string, body?: unknown): Promise<unknown> {
    const url = new URL(pathOrUrl, this.options.baseUrl);
    const credentials = this.options.credentials;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: credentials.kind === "api_key" ? `Klaviyo-API-Key ${credentials.apiKey}` : `Bearer ${credentials.accessToken}`,
          revision: KLAVIYO_REVISION,
          accept: "application/vnd.api+json",
          ...(body === undefined ? {} : { "content-type": "application/vnd.api+json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new KlaviyoApiError(timedOut ? "timeout" : "network", null, timedOut ? `no answer within ${this.options.timeoutMs} ms` : (error as Error).message);
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) throw KlaviyoApiError.fromResponse(response.status, errorDetail(text, response.statusText), response.headers.get("retry-after"));
    if (!text) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KlaviyoApiError("unavailable", response.status, "Klaviyo answered with a body that is not JSON");
    }
  }
}

function errorDetail(text: string, fallback: string): string {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ detail?: string; title?: string }> };
    const details = (body.errors ?? []).map((error) => error.detail ?? error.title).filter(Boolean);
    if (details.length) return details.join("; ");
  } catch {
    // Not JSON: fall through to the status text.
  }
  return text.slice(0, 500) || fallback;
}

export function klaviyoClientFor(credentials: KlaviyoCredentials): KlaviyoClient {
  const settings = config();
  return new KlaviyoClient({ baseUrl: settings.KLAVIYO_API_URL, credentials, timeoutMs: settings.KLAVIYO_REQUEST_TIMEOUT_MS });
}
