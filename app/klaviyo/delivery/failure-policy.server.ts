import type { KlaviyoConnection, KlaviyoEvent } from "@prisma/client";
import { KlaviyoApiError } from "../errors";
import type { Clock } from "../pacing";
import type { AccountLeases } from "./leases.server";
import type { OutboxRows } from "./outbox-rows.server";

/** An account is paused at most this long after Klaviyo failed without a Retry-After. */
export const MAX_ACCOUNT_PAUSE_MS = 60_000;
/** Retryable failures for this long without a success were an outage rather than one unlucky request. */
const OUTAGE_MS = 30_000;

/**
 * "rejected": Klaviyo refused these rows for good (the caller fails them). "stop": nothing more goes to this account
 * now (throttled, paused after a retryable failure, or its credentials no longer work).
 */
export type FailureDecision = "rejected" | "stop";

/**
 * What Klaviyo's answers mean for an account, whichever endpoint gave them: 429 pauses the account for its
 * Retry-After without counting an attempt; 5xx, timeouts and network errors back the rows off and pause the account
 * (growing with the streak, capped); 401/403 put the connection in "needs attention"; any other 4xx rejects the rows.
 */
export class FailurePolicy {
  private readonly failingSince = new Map<string, { since: number; failures: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly retryDelayMs: (attempt: number) => number,
    private readonly leases: AccountLeases,
    private readonly rows: OutboxRows,
  ) {}

  async onFailure(connection: KlaviyoConnection, rows: KlaviyoEvent[], error: unknown): Promise<FailureDecision> {
    if (!(error instanceof KlaviyoApiError)) throw error;
    switch (error.kind) {
      case "rejected":
        return "rejected";
      case "rate_limited":
        // Not the rows' fault: no attempt is counted, the account waits as long as Klaviyo asked.
        await this.leases.pause(connection, (error.retryAfterSeconds ?? 1) * 1000);
        return "stop";
      case "unauthorized":
      case "forbidden":
        await this.leases.needsAttention(connection, error.merchantMessage);
        return "stop";
      default: {
        await this.rows.markRetry(rows, error);
        const streak = this.failingSince.get(connection.id) ?? { since: this.clock.now(), failures: 0 };
        streak.failures++;
        this.failingSince.set(connection.id, streak);
        const pauseMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : Math.min(this.retryDelayMs(streak.failures), MAX_ACCOUNT_PAUSE_MS);
        await this.leases.pause(connection, pauseMs);
        return "stop";
      }
    }
  }

  /**
   * Klaviyo answered (accepted, or refused on the merits): the account's pause is over. After an outage, rows would
   * wait out backoffs of up to ten minutes; they are due at once instead. After a short streak of failures their
   * own backoff stands, so a row that keeps failing is not hammered.
   */
  async onAnswered(connection: KlaviyoConnection) {
    await this.leases.resume(connection);
    const streak = this.failingSince.get(connection.id);
    if (!streak) return;
    this.failingSince.delete(connection.id);
    if (this.clock.now() - streak.since >= OUTAGE_MS) await this.rows.dueNow(connection.shopId);
  }
}
