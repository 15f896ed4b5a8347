import type { KlaviyoConnection } from "@prisma/client";
import { config } from "../config.server";
import { KlaviyoClient, type KlaviyoCredentials } from "./client.server";
import { credentialsFor as storedCredentialsFor } from "./connection.server";
import { PacingRegistry, type DeliveryLimits } from "./delivery/account-pacing.server";
import { eventWork } from "./delivery/event-work.server";
import { FailurePolicy } from "./delivery/failure-policy.server";
import { AccountLeases, type LeasedAccount } from "./delivery/leases.server";
import { startWakeNotifier } from "./delivery/notifier.server";
import { OutboxRows } from "./delivery/outbox-rows.server";
import { profileWork } from "./delivery/profile-work.server";
import { MARK_DELIVERED_EVERY, type AccountRound, type OutboundWork } from "./delivery/round.server";
import { OUTBOX_CHANNEL } from "./outbox.server";
import { backoffDelayMs, systemClock, type Clock } from "./pacing";
import { startInstancePresence, type InstancePresence } from "../jobs/instance-presence.server";
import { logger } from "../logger.server";

export type { DeliveryLimits } from "./delivery/account-pacing.server";

/** Klaviyo's published per-account limits for the endpoints the outbox uses. */
export const KLAVIYO_DELIVERY_LIMITS: DeliveryLimits = {
  events: { burst: 350, steady: 3500 },
  bulk: { burst: 10, steady: 150 },
  profiles: { burst: 75, steady: 750 },
};

/**
 * How long a lease lasts without a heartbeat, i.e. how long a crashed instance keeps its accounts from everyone
 * else; heartbeats renew it every third of that. See docs/decisions/002 for why 15 s is safe for pacing.
 */
const LEASE_MS = 15_000;
/**
 * An account stays with the instance that last worked it this long after it goes idle, so a trickle of events does
 * not re-read the account's last minute on every claim.
 */
const IDLE_LEASE_MS = 10_000;
/** How long an account whose credentials are unusable right now (e.g. an OAuth token being renewed) is left alone. */
const NO_CREDENTIALS_REST_MS = 30_000;

export interface DeliveryOptions {
  /** The instance's presence in PostgreSQL (shared with its other background work); without it the engine holds its own. */
  presence?: InstancePresence;
  /** The presence's name when the engine holds its own (tests name their instances). */
  instanceId?: string;
  /** The seam for credentials: the default decrypts the stored key or OAuth token (renewing an expiring token). */
  credentialsFor?: (connection: KlaviyoConnection) => Promise<KlaviyoCredentials | null>;
  clock?: Clock;
  /** Wait before retry number `attempt` (1-based) of a row Klaviyo could not take; capped exponential + full jitter. */
  retryDelayMs?: (attempt: number) => number;
  limits?: Partial<DeliveryLimits>;
  /** A backlog at least this large goes out as bulk jobs of up to 1,000 events. */
  bulkThreshold?: number;
  /** Requests in flight per account: enough to reach the ceiling against real round-trip times (100-300 ms). */
  concurrencyPerAccount?: number;
  maxAccounts?: number;
  leaseMs?: number;
  idleLeaseMs?: number;
  pollIntervalMs?: number;
  /** Defaults to KLAVIYO_API_URL. */
  klaviyoApiUrl?: string;
}

export interface KlaviyoDelivery {
  stop(): Promise<void>;
}

/**
 * Delivers the outbox to Klaviyo: events and profile updates, each a kind of outbound work (`OutboundWork`) over
 * the same parts: leases (one instance paces an account at a time), pacing (per endpoint, per account), the
 * failure policy (pauses, backoff, needs attention) and the wake notifier (NOTIFY on commit, poll as a backstop).
 * Safe with any number of instances on one database. Rows only move pending → delivered (after Klaviyo accepted)
 * or pending → failed (permanent rejection), so a crash at any point means at worst a resend, which the
 * deterministic unique_id (events) or the idempotent profile-import (properties) makes harmless.
 */
export async function startKlaviyoDelivery(options: DeliveryOptions = {}): Promise<KlaviyoDelivery> {
  const settings = config();
  const presence = options.presence ?? (await startInstancePresence({ databaseUrl: settings.DATABASE_URL, id: options.instanceId }));
  const instanceId = presence.id;
  const credentialsFor = options.credentialsFor ?? storedCredentialsFor;
  const clock = options.clock ?? systemClock;
  const retryDelayMs = options.retryDelayMs ?? ((attempt: number) => backoffDelayMs(attempt));
  const limits = { ...KLAVIYO_DELIVERY_LIMITS, ...options.limits };
  const concurrency = options.concurrencyPerAccount ?? 32;
  const maxAccounts = options.maxAccounts ?? 200;
  const klaviyoApiUrl = options.klaviyoApiUrl ?? settings.KLAVIYO_API_URL;

  const stopping = new AbortController();
  const leases = new AccountLeases({ instanceId, clock, leaseMs: options.leaseMs ?? LEASE_MS, idleLeaseMs: options.idleLeaseMs ?? IDLE_LEASE_MS });
  const pacing = new PacingRegistry({
    instanceId,
    clock,
    limits,
    // A vanished holder's lanes may each have had a request on the wire, plus one unmarked batch of accepted rows.
    unrecordedAfterCrash: { events: concurrency + MARK_DELIVERED_EVERY, profiles: concurrency + MARK_DELIVERED_EVERY, bulk: 1 },
  });
  const rows = new OutboxRows(clock, retryDelayMs);
  const failures = new FailurePolicy(clock, retryDelayMs, leases, rows);
  const kinds: OutboundWork[] = [eventWork(options.bulkThreshold ?? 50), profileWork()];
  const notifier = startWakeNotifier({ databaseUrl: settings.DATABASE_URL, channel: OUTBOX_CHANNEL, pollIntervalMs: options.pollIntervalMs ?? 1_000, signal: stopping.signal });

  const working = new Map<string, Promise<void>>();
  const leaseLost = new Set<string>();
  // Absent from PostgreSQL, this instance's leases are anyone's: stop sending for every account at once.
  presence.onLost(() => {
    for (const id of working.keys()) leaseLost.add(id);
  });
  const restingUntil = new Map<string, number>();

  async function workAccount(connection: LeasedAccount) {
    const stopHeartbeat = leases.keepAlive(connection, () => leaseLost.add(connection.id));
    try {
      const credentials = await credentialsFor(connection);
      if (!credentials) {
        restingUntil.set(connection.id, clock.now() + NO_CREDENTIALS_REST_MS);
        return;
      }
      const round: AccountRound = {
        connection,
        client: new KlaviyoClient({ baseUrl: klaviyoApiUrl, credentials, timeoutMs: settings.KLAVIYO_REQUEST_TIMEOUT_MS }),
        pacing: await pacing.forAccount(connection),
        rows,
        failures,
        isActive: () => !stopping.signal.aborted && !leaseLost.has(connection.id),
        signal: stopping.signal,
        concurrency,
      };
      while (round.isActive()) {
        let busy = false;
        for (const kind of kinds) {
          // After a pause, one row goes alone: if Klaviyo is still failing, the backlog is not poured after it.
          const probing = connection.pausedUntil !== null;
          const outcome = await kind.work(round, probing);
          if (outcome === "stop") return;
          if (outcome === "continue") busy = true;
          if (!round.isActive() || (probing && busy)) break;
        }
        if (!busy) return;
      }
    } catch (error) {
      // A stored secret that no longer decrypts, a database hiccup: logged once per rest, not once per poll.
      restingUntil.set(connection.id, clock.now() + NO_CREDENTIALS_REST_MS);
      throw error;
    } finally {
      stopHeartbeat();
      if (leaseLost.has(connection.id)) {
        pacing.forget(connection.id);
        leaseLost.delete(connection.id);
      } else {
        await leases.release(connection, stopping.signal.aborted).catch(() => undefined);
      }
    }
  }

  function excludedAccounts(): string[] {
    const now = clock.now();
    for (const [id, until] of restingUntil) if (until <= now) restingUntil.delete(id);
    return [...working.keys(), ...restingUntil.keys()];
  }

  async function loop() {
    while (!stopping.signal.aborted) {
      pacing.forgetIdle((id) => working.has(id));
      try {
        const claimed = presence.isPresent() ? await leases.claim(maxAccounts - working.size, excludedAccounts()) : [];
        for (const connection of claimed) {
          const work = workAccount(connection)
            .catch((error: unknown) => logger().error({ source: "klaviyo-delivery", accountId: connection.accountId, err: error }, (error as Error).message))
            .finally(() => {
              working.delete(connection.id);
              notifier.requestWake();
            });
          working.set(connection.id, work);
        }
      } catch (error) {
        if (!stopping.signal.aborted) logger().error({ source: "klaviyo-delivery", err: error }, (error as Error).message);
      }
      await notifier.waitForWake();
    }
  }

  const running = loop();
  return {
    async stop() {
      stopping.abort();
      await running;
      await Promise.allSettled(working.values());
      await notifier.closed;
      await leases.releaseAll().catch(() => undefined);
      if (!options.presence) await presence.stop();
    },
  };
}
