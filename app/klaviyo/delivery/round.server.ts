import type { KlaviyoEvent, KlaviyoOutboxKind } from "@prisma/client";
import type { KlaviyoClient } from "../client.server";
import type { KlaviyoApiError } from "../errors";
import type { RateLimiter } from "../pacing";
import type { AccountPacing } from "./account-pacing.server";
import type { FailurePolicy } from "./failure-policy.server";
import type { LeasedAccount } from "./leases.server";
import type { OutboxRows } from "./outbox-rows.server";

export type RoundOutcome = "idle" | "continue" | "stop";

/** One account's turn with this instance: its client, its pacing, and the shared parts of the engine. */
export interface AccountRound {
  connection: LeasedAccount;
  client: KlaviyoClient;
  pacing: AccountPacing;
  rows: OutboxRows;
  failures: FailurePolicy;
  /** False once the engine stops or the lease is lost: nothing more may be sent. */
  isActive(): boolean;
  signal: AbortSignal;
  /** Requests in flight per account. */
  concurrency: number;
}

/**
 * A kind of outbound Klaviyo work that goes through the outbox: events, profile updates. Each reads its own rows
 * and turns them into requests; leases, pacing, failure handling and wake-ups are the engine's and shared.
 */
export interface OutboundWork {
  kind: KlaviyoOutboxKind;
  /** Sends what is due (probing: one row only); "idle" when there was nothing. */
  work(round: AccountRound, probing: boolean): Promise<RoundOutcome>;
}

/** Accepted rows are marked in batches of this many, so a crash resends at most one batch per lane. */
export const MARK_DELIVERED_EVERY = 50;

/**
 * Sends `requests` with `round.concurrency` in flight, each after the limiter grants it. A rejected request fails
 * its rows and the rest carry on; a retryable failure stops the round (the failure policy paused the account).
 */
export async function sendPaced<T>(
  round: AccountRound,
  requests: T[],
  lane: { limiter: RateLimiter; rowsOf(request: T): KlaviyoEvent[]; send(request: T): Promise<number> },
): Promise<RoundOutcome> {
  let stopRound = false;
  let next = 0;
  const accepted = new Map<number, KlaviyoEvent[]>();
  const flush = async (statusCode: number) => {
    const rows = accepted.get(statusCode) ?? [];
    accepted.delete(statusCode);
    await round.rows.markDelivered(rows, statusCode);
  };
  const worker = async () => {
    while (!stopRound && next < requests.length && round.isActive()) {
      const request = requests[next++]!;
      if (!(await lane.limiter.acquire(round.signal)) || stopRound || !round.isActive()) return;
      let statusCode: number;
      try {
        statusCode = await lane.send(request);
      } catch (error) {
        try {
          if ((await round.failures.onFailure(round.connection, lane.rowsOf(request), error)) === "stop") {
            stopRound = true;
          } else {
            await round.rows.markFailed(lane.rowsOf(request), error as KlaviyoApiError);
            await round.failures.onAnswered(round.connection);
          }
        } catch (unexpected) {
          stopRound = true;
          throw unexpected;
        }
        continue;
      }
      const batch = accepted.get(statusCode) ?? [];
      batch.push(...lane.rowsOf(request));
      accepted.set(statusCode, batch);
      await round.failures.onAnswered(round.connection);
      if (batch.length >= MARK_DELIVERED_EVERY) await flush(statusCode);
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(round.concurrency, requests.length) }, worker));
  for (const statusCode of [...accepted.keys()]) await flush(statusCode);
  const crashed = lanes.find((result) => result.status === "rejected");
  if (crashed) throw crashed.reason;
  return stopRound ? "stop" : "continue";
}
