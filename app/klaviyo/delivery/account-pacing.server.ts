import { db } from "../../db.server";
import { MINUTE_WINDOW_MS, RateLimiter, type Clock, type RateLimit } from "../pacing";
import type { LeasedAccount } from "./leases.server";

/** The Klaviyo endpoints the outbox sends to, each with its own per-account limits. */
export type PacedEndpoint = "events" | "bulk" | "profiles";
export type DeliveryLimits = Record<PacedEndpoint, RateLimit>;
export type AccountPacing = Record<PacedEndpoint, RateLimiter>;

export interface PacingOptions {
  instanceId: string;
  clock: Clock;
  limits: DeliveryLimits;
  /**
   * Requests a holder that vanished without handing its lease back may have made without recording them (in flight,
   * or accepted but not yet marked delivered): a new holder counts this many as sent just now.
   */
  unrecordedAfterCrash: Record<PacedEndpoint, number>;
}

/**
 * Each account's pacing, kept by the instance holding its lease. The count an instance kept is exact for as long
 * as nobody else held the lease since. Taking an account over, it counts the deliveries of the last minute from
 * the outbox instead, whoever made them (bulk rows count as single requests, which errs on the slow side), plus,
 * when the previous holder did not hand the lease back, what that holder may have sent without recording it.
 */
export class PacingRegistry {
  private readonly kept = new Map<string, AccountPacing>();

  constructor(private readonly options: PacingOptions) {}

  async forAccount(account: LeasedAccount): Promise<AccountPacing> {
    const { clock, limits, instanceId } = this.options;
    const kept = this.kept.get(account.id);
    if (kept && !this.isStale(kept) && account.previousOwner === instanceId) return kept;
    const pacing: AccountPacing = {
      events: new RateLimiter(limits.events, clock),
      bulk: new RateLimiter(limits.bulk, clock),
      profiles: new RateLimiter(limits.profiles, clock),
    };
    const since = new Date(clock.now() - MINUTE_WINDOW_MS);
    const recent = await db().klaviyoEvent.findMany({
      where: { shopId: account.shopId, status: "delivered", nextAttemptAt: { gt: since } },
      select: { kind: true, deliveredAt: true },
    });
    pacing.events.prime(recent.filter((row) => row.kind === "event").map((row) => row.deliveredAt!.getTime()));
    pacing.profiles.prime(recent.filter((row) => row.kind === "profile").map((row) => row.deliveredAt!.getTime()));
    if (account.previousOwner !== null && account.previousOwner !== instanceId) {
      const now = clock.now();
      for (const endpoint of Object.keys(pacing) as PacedEndpoint[]) {
        pacing[endpoint].prime(Array.from({ length: this.options.unrecordedAfterCrash[endpoint] }, () => now));
      }
    }
    this.kept.set(account.id, pacing);
    return pacing;
  }

  /** Someone else may be sending for this account now: what we counted no longer describes it. */
  forget(accountId: string) {
    this.kept.delete(accountId);
  }

  forgetIdle(isWorking: (accountId: string) => boolean) {
    for (const [id, pacing] of this.kept) if (!isWorking(id) && this.isStale(pacing)) this.kept.delete(id);
  }

  private isStale(pacing: AccountPacing) {
    const last = Math.max(pacing.events.lastGrantedAt, pacing.bulk.lastGrantedAt, pacing.profiles.lastGrantedAt);
    return last <= this.options.clock.now() - MINUTE_WINDOW_MS;
  }
}
