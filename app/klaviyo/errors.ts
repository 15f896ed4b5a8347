/** The one error type at the Klaviyo boundary: classified once, so callers decide by `retryable` and `kind`. */
export type KlaviyoFailureKind = "rate_limited" | "unavailable" | "timeout" | "network" | "unauthorized" | "forbidden" | "rejected";

export class KlaviyoApiError extends Error {
  override name = "KlaviyoApiError";
  readonly retryable: boolean;

  constructor(
    readonly kind: KlaviyoFailureKind,
    readonly status: number | null,
    /** Klaviyo's own words (errors[].detail), shown to the merchant in the delivery log. */
    readonly detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Klaviyo ${status ?? kind}: ${detail}`);
    this.retryable = kind === "rate_limited" || kind === "unavailable" || kind === "timeout" || kind === "network";
  }

  static fromResponse(status: number, detail: string, retryAfter: string | null): KlaviyoApiError {
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
    if (status === 429) return new KlaviyoApiError("rate_limited", status, detail, seconds ?? 1);
    if (status >= 500 || status === 408) return new KlaviyoApiError("unavailable", status, detail, seconds);
    if (status === 401) return new KlaviyoApiError("unauthorized", status, detail);
    if (status === 403) return new KlaviyoApiError("forbidden", status, detail);
    return new KlaviyoApiError("rejected", status, detail);
  }

  /** What the merchant should do about it. */
  get merchantMessage(): string {
    switch (this.kind) {
      case "unauthorized":
        return "Klaviyo rejected the API key (it may have been deleted or revoked). Reconnect Klaviyo with a valid private API key.";
      case "forbidden":
        return `The Klaviyo key lacks a permission this app needs (${this.detail}). Create a private key with the scopes listed on the Klaviyo page and reconnect.`;
      case "rejected":
        return `Klaviyo refused this event: ${this.detail}. Fix the cause, then retry it from the event delivery log.`;
      case "rate_limited":
        return "Klaviyo asked us to slow down; delivery resumes on its own.";
      default:
        return "Klaviyo could not be reached; delivery retries on its own and nothing is lost.";
    }
  }
}
