import type { KlaviyoScope } from "./client.server";

export type KlaviyoFailureKind = "rate_limited" | "unavailable" | "timeout" | "network" | "unauthorized" | "forbidden" | "rejected";

/** Where the failure happened; the client always supplies it, other callers at this boundary may not know it. */
export interface KlaviyoRequestContext {
  /** "POST /api/events", for logs. */
  endpoint?: string;
  /** The scope the endpoint needs, so a 403 can name it even when Klaviyo's detail does not. */
  requiredScope?: KlaviyoScope;
  credentialKind?: "api_key" | "oauth";
}

/**
 * The one error type at the Klaviyo boundary: classified once, so callers decide by `retryable` and `kind`
 * and show `merchantMessage` to the merchant.
 */
export class KlaviyoApiError extends Error {
  override name = "KlaviyoApiError";
  /** Worth sending again later: throttling, Klaviyo down, or no answer. Anything else fails the same way again. */
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly endpoint?: string;
  readonly requiredScope?: KlaviyoScope;
  readonly credentialKind?: "api_key" | "oauth";

  constructor(
    readonly kind: KlaviyoFailureKind,
    /** The HTTP status; null when no answer came (timeout, network). */
    readonly status: number | null,
    /** Klaviyo's own words (errors[].detail joined), or what went wrong on the way there; shown to the merchant. */
    readonly detail: string,
    options: KlaviyoRequestContext & { retryAfterSeconds?: number } = {},
  ) {
    super(`Klaviyo${options.endpoint ? ` ${options.endpoint}` : ""} ${status ?? kind}: ${detail}`);
    this.retryable = kind === "rate_limited" || kind === "unavailable" || kind === "timeout" || kind === "network";
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.endpoint = options.endpoint;
    this.requiredScope = options.requiredScope;
    this.credentialKind = options.credentialKind;
  }

  /** An HTTP error answer: 429 rate limited, 5xx unavailable, 401 unauthorized, 403 forbidden, any other 4xx rejected. */
  static fromResponse(status: number, detail: string, retryAfter: string | null, context: KlaviyoRequestContext = {}): KlaviyoApiError {
    const kind: KlaviyoFailureKind =
      status === 429 ? "rate_limited" : status >= 500 ? "unavailable" : status === 401 ? "unauthorized" : status === 403 ? "forbidden" : "rejected";
    return new KlaviyoApiError(kind, status, detail, { ...context, retryAfterSeconds: parseRetryAfter(retryAfter) });
  }

  /** What the merchant should do about it. */
  get merchantMessage(): string {
    switch (this.kind) {
      case "unauthorized":
        if (this.credentialKind === "oauth") {
          return "Klaviyo no longer accepts this app's access (it was removed in Klaviyo or has expired). Reconnect Klaviyo from the app's Klaviyo page.";
        }
        return "Klaviyo rejected the API key (it may have been revoked or deleted). Reconnect Klaviyo with a valid private API key.";
      case "forbidden": {
        const permission = this.requiredScope ? `the ${this.requiredScope} permission` : `a permission this app needs (${this.detail})`;
        if (this.credentialKind === "oauth") return `The Klaviyo connection lacks ${permission}. Reconnect Klaviyo and approve every permission the app asks for.`;
        return `The Klaviyo API key lacks ${permission}. In Klaviyo → Settings → API keys, create a private key granting ${this.requiredScope ?? "the scopes the app lists"} and the app's other scopes, then reconnect with it.`;
      }
      case "rejected":
        return `Klaviyo refused what the app sent: ${this.detail}. Retry it from the event delivery log; if Klaviyo refuses it again, contact the app's support with this message.`;
      case "rate_limited":
        return `Klaviyo asked the app to slow down; it continues on its own${this.retryAfterSeconds === undefined ? "" : ` in ${this.retryAfterSeconds} second${this.retryAfterSeconds === 1 ? "" : "s"}`}. Nothing to do.`;
      case "unavailable":
        return `Klaviyo is temporarily unavailable${this.status !== null && this.status >= 500 ? ` (HTTP ${this.status})` : ""}; the app retries on its own and nothing is lost. Nothing to do.`;
      case "timeout":
        return "Klaviyo did not answer in time; the app retries on its own and nothing is lost. Nothing to do.";
      case "network":
        return "Klaviyo could not be reached; the app retries on its own and nothing is lost. If this lasts, check Klaviyo's status page.";
    }
  }
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
