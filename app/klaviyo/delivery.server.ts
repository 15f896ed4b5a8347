import { randomUUID } from "node:crypto";
import type { KlaviyoConnection, KlaviyoEvent } from "@prisma/client";
import pg from "pg";
import { config } from "../config.server";
import { db } from "../db.server";
import { KlaviyoClient, MAX_BULK_EVENTS, type KlaviyoCredentials, type KlaviyoEventAttributes } from "./client.server";
import { credentialsFor as storedCredentialsFor } from "./connection.server";
import { KlaviyoApiError } from "./errors";
import { OUTBOX_CHANNEL } from "./outbox.server";
import { backoffDelayMs, MINUTE_WINDOW_MS, RateLimiter, systemClock, type Clock, type RateLimit } from "./pacing";

/** Klaviyo's published per-account limits for the two endpoints the outbox uses. */
export const KLAVIYO_DELIVERY_LIMITS: DeliveryLimits = {
  events: { burst: 350, steady: 3500 },
  bulk: { burst: 10, steady: 150 },
};

/** Bulk bodies stay well under Klaviyo's 5 MB cap. */
const MAX_BULK_BYTES = 4_500_000;
/**
 * An account stays leased to the instance that last worked it for a while after it goes idle: longer than the
 * pacing window, so the requests that instance made in the last minute are never forgotten by a new holder.
 */
const IDLE_LEASE_MS = MINUTE_WINDOW_MS + 5_000;
/** An account is paused at most this long after Klaviyo failed without a Retry-After (shorter than IDLE_LEASE_MS). */
const MAX_ACCOUNT_PAUSE_MS = 60_000;
/** Retryable failures for this long without a success were an outage rather than one unlucky request. */
const OUTAGE_MS = 30_000;
/** How long an account whose credentials are unusable right now (e.g. an OAuth token being renewed) is left alone. */
const NO_CREDENTIALS_REST_MS = 30_000;
const MARK_DELIVERED_EVERY = 50;

export interface DeliveryLimits {
  events: RateLimit;
  bulk: RateLimit;
}

export interface DeliveryOptions {
  instanceId?: string;
  /** The seam for credentials: the default decrypts the stored key or OAuth token (renewing an expiring token). */
  credentialsFor?: (connection: KlaviyoConnection) => Promise<KlaviyoCredentials | null>;
  clock?: Clock;
  /** Wait before retry number `attempt` (1-based) of an event Klaviyo could not take; capped exponential + full jitter. */
  retryDelayMs?: (attempt: number) => number;
  limits?: DeliveryLimits;
  /** A backlog at least this large goes out as bulk jobs of up to 1,000 events. */
  bulkThreshold?: number;
  /** Requests in flight per account: enough to reach the ceiling against real round-trip times (100-300 ms). */
  concurrencyPerAccount?: number;
  maxAccounts?: number;
  leaseMs?: number;
  pollIntervalMs?: number;
  /** Defaults to KLAVIYO_API_URL. */
  klaviyoApiUrl?: string;
}

export interface KlaviyoDelivery {
  stop(): Promise<void>;
}

type RoundOutcome = "continue" | "stop";

interface AccountPacing {
  events: RateLimiter;
  bulk: RateLimiter;
}

interface AccountRound {
  connection: KlaviyoConnection;
  client: KlaviyoClient;
  pacing: AccountPacing;
}

/**
 * Delivers the outbox to Klaviyo. Safe with any number of instances on one database: an instance sends for an
 * account only while it holds the account's lease, so the account's pacing lives in one place; a Retry-After or
 * an outage pause is stored on the account for every instance to honour. Rows only move pending → delivered
 * (after Klaviyo's 202) or pending → failed (permanent rejection), so a crash at any point means at worst a
 * resend, which the deterministic unique_id makes Klaviyo drop.
 */
export async function startKlaviyoDelivery(options: DeliveryOptions = {}): Promise<KlaviyoDelivery> {
  const settings = config();
  const instanceId = options.instanceId ?? `instance-${randomUUID()}`;
  const credentialsFor = options.credentialsFor ?? storedCredentialsFor;
  const clock = options.clock ?? systemClock;
  const retryDelayMs = options.retryDelayMs ?? ((attempt: number) => backoffDelayMs(attempt));
  const limits = options.limits ?? KLAVIYO_DELIVERY_LIMITS;
  const bulkThreshold = options.bulkThreshold ?? 50;
  const concurrency = options.concurrencyPerAccount ?? 32;
  const maxAccounts = options.maxAccounts ?? 200;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const klaviyoApiUrl = options.klaviyoApiUrl ?? settings.KLAVIYO_API_URL;

  const stopping = new AbortController();
  const working = new Map<string, Promise<void>>();
  const leaseLost = new Set<string>();
  const pacingByAccount = new Map<string, AccountPacing>();
  const failingSince = new Map<string, { since: number; failures: number }>();
  const restingUntil = new Map<string, number>();

  let wakeRequested = false;
  let interruptWait: (() => void) | null = null;
  function requestWake() {
    wakeRequested = true;
    interruptWait?.();
  }

  const isActive = (connection: KlaviyoConnection) => !stopping.signal.aborted && !leaseLost.has(connection.id);
  const payloadOf = (event: KlaviyoEvent) => event.payload as unknown as KlaviyoEventAttributes;

  // ---- Leases -------------------------------------------------------------------------------------------------

  /**
   * Claims accounts with work whose lease is free (or already ours), skipping any another instance is claiming.
   * Work is a due event, or any pending event once a pause has ended: one of them probes whether Klaviyo is back.
   */
  async function claimAccounts(): Promise<KlaviyoConnection[]> {
    const free = maxAccounts - working.size;
    if (free <= 0) return [];
    const now = new Date(clock.now());
    const excluded = [...working.keys(), ...[...restingUntil].filter(([, until]) => until > now.getTime()).map(([id]) => id)];
    return db().$queryRaw<KlaviyoConnection[]>`
      UPDATE "KlaviyoConnection" SET "leaseOwner" = ${instanceId}, "leaseExpiresAt" = ${new Date(now.getTime() + leaseMs)}
      WHERE id IN (
        SELECT c.id FROM "KlaviyoConnection" c
        WHERE c.status = 'connected'
          AND (c."leaseExpiresAt" IS NULL OR c."leaseExpiresAt" < ${now} OR c."leaseOwner" = ${instanceId})
          AND (c."pausedUntil" IS NULL OR c."pausedUntil" <= ${now})
          AND NOT (c.id = ANY(${excluded}::text[]))
          AND EXISTS (
            SELECT 1 FROM "KlaviyoEvent" e
            WHERE e."shopId" = c."shopId" AND e.status = 'pending' AND (e."nextAttemptAt" <= ${now} OR c."pausedUntil" IS NOT NULL)
          )
        ORDER BY c."leaseExpiresAt" ASC NULLS FIRST
        LIMIT ${free}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *`;
  }

  async function renewLease(connection: KlaviyoConnection): Promise<boolean> {
    const { count } = await db().klaviyoConnection.updateMany({
      where: { id: connection.id, leaseOwner: instanceId },
      data: { leaseExpiresAt: new Date(clock.now() + leaseMs) },
    });
    return count === 1;
  }

  /** Idle accounts stay ours for IDLE_LEASE_MS (see there); on shutdown they are handed back at once. */
  async function releaseLease(connection: KlaviyoConnection) {
    await db().klaviyoConnection.updateMany({
      where: { id: connection.id, leaseOwner: instanceId },
      data: stopping.signal.aborted ? { leaseOwner: null, leaseExpiresAt: null } : { leaseExpiresAt: new Date(clock.now() + IDLE_LEASE_MS) },
    });
  }

  async function pauseAccount(connection: KlaviyoConnection, ms: number) {
    const until = new Date(clock.now() + ms);
    connection.pausedUntil = until;
    await db().$executeRaw`UPDATE "KlaviyoConnection" SET "pausedUntil" = GREATEST("pausedUntil", ${until}) WHERE id = ${connection.id}`;
  }

  // ---- Pacing -------------------------------------------------------------------------------------------------

  /**
   * The pacing an instance kept for an account it worked within the last minute is exact (its lease kept everyone
   * else away). Taking an account over, it counts the deliveries of the last minute instead, whoever made them;
   * bulk deliveries count too, which errs on the slow side for that minute.
   */
  async function pacingFor(connection: KlaviyoConnection): Promise<AccountPacing> {
    const kept = pacingByAccount.get(connection.id);
    if (kept && !isStale(kept)) return kept;
    const pacing = { events: new RateLimiter(limits.events, clock), bulk: new RateLimiter(limits.bulk, clock) };
    const since = new Date(clock.now() - MINUTE_WINDOW_MS);
    const recent = await db().klaviyoEvent.findMany({
      where: { shopId: connection.shopId, status: "delivered", nextAttemptAt: { gt: since } },
      select: { deliveredAt: true },
    });
    pacing.events.prime(recent.map((event) => event.deliveredAt!.getTime()));
    pacingByAccount.set(connection.id, pacing);
    return pacing;
  }

  function isStale(pacing: AccountPacing) {
    return Math.max(pacing.events.lastGrantedAt, pacing.bulk.lastGrantedAt) <= clock.now() - MINUTE_WINDOW_MS;
  }

  function forgetIdleAccounts() {
    const now = clock.now();
    for (const [id, pacing] of pacingByAccount) if (!working.has(id) && isStale(pacing)) pacingByAccount.delete(id);
    for (const [id, until] of restingUntil) if (until <= now) restingUntil.delete(id);
  }

  // ---- Outbox rows --------------------------------------------------------------------------------------------

  /** The account's next events: those due, or (probing) the one pending event due soonest, due or not. */
  async function nextEvents(shopId: string, probing: boolean) {
    return db().klaviyoEvent.findMany({
      where: { shopId, status: "pending", ...(probing ? {} : { nextAttemptAt: { lte: new Date(clock.now()) } }) },
      orderBy: [{ nextAttemptAt: "asc" }, { occurredAt: "asc" }],
      take: probing ? 1 : MAX_BULK_EVENTS,
    });
  }

  async function markDelivered(events: KlaviyoEvent[]) {
    const now = new Date(clock.now());
    await db().klaviyoEvent.updateMany({
      where: { id: { in: events.map((event) => event.id) }, status: "pending" },
      // nextAttemptAt keeps the time of the delivering attempt: through the (status, shopId, nextAttemptAt) index
      // it finds an account's last minute of deliveries when another instance takes the account over.
      data: { status: "delivered", deliveredAt: now, nextAttemptAt: now, attempts: { increment: 1 }, lastError: null, lastStatusCode: 202 },
    });
  }

  /** Events retried together keep one retry time (a bulk chunk goes out together again). */
  async function markRetry(events: KlaviyoEvent[], error: KlaviyoApiError) {
    const byAttempts = new Map<number, string[]>();
    for (const event of events) byAttempts.set(event.attempts + 1, [...(byAttempts.get(event.attempts + 1) ?? []), event.id]);
    for (const [attempts, ids] of byAttempts) {
      await db().klaviyoEvent.updateMany({
        where: { id: { in: ids }, status: "pending" },
        data: {
          attempts,
          nextAttemptAt: new Date(clock.now() + retryDelayMs(attempts)),
          lastError: `${error.merchantMessage} (${error.message})`.slice(0, 2000),
          lastStatusCode: error.status,
        },
      });
    }
  }

  async function markFailed(event: KlaviyoEvent, error: KlaviyoApiError) {
    await db().klaviyoEvent.updateMany({
      where: { id: event.id, status: "pending" },
      data: { status: "failed", attempts: { increment: 1 }, lastError: error.detail.slice(0, 2000), lastStatusCode: error.status },
    });
  }

  // ---- Outcomes -----------------------------------------------------------------------------------------------

  /**
   * What a failed request means. "rejected": Klaviyo refused these events for good. "stop": nothing more goes to
   * this account now (throttled, paused after a retryable failure, or its credentials no longer work).
   */
  async function handleFailure(round: AccountRound, events: KlaviyoEvent[], error: unknown): Promise<"rejected" | "stop"> {
    if (!(error instanceof KlaviyoApiError)) throw error;
    const { connection } = round;
    switch (error.kind) {
      case "rejected":
        return "rejected";
      case "rate_limited":
        // Not the events' fault: no attempt is counted, the account waits as long as Klaviyo asked.
        await pauseAccount(connection, (error.retryAfterSeconds ?? 1) * 1000);
        return "stop";
      case "unauthorized":
      case "forbidden":
        // updateMany: the merchant may have disconnected (row deleted) while this round was in flight.
        await db().klaviyoConnection.updateMany({ where: { id: connection.id }, data: { status: "needs_attention", statusDetail: error.merchantMessage } });
        return "stop";
      default: {
        await markRetry(events, error);
        const streak = failingSince.get(connection.id) ?? { since: clock.now(), failures: 0 };
        streak.failures++;
        failingSince.set(connection.id, streak);
        const pauseMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : Math.min(retryDelayMs(streak.failures), MAX_ACCOUNT_PAUSE_MS);
        await pauseAccount(connection, pauseMs);
        return "stop";
      }
    }
  }

  /**
   * Klaviyo answered (accepted, or refused on the merits): the account's pause is over. After an outage, events
   * would wait out backoffs of up to ten minutes; they are due at once instead. After a short streak of failures
   * their own backoff stands, so an event that keeps failing is not hammered.
   */
  async function handleAnswered(round: AccountRound) {
    const { connection } = round;
    const now = new Date(clock.now());
    if (connection.pausedUntil !== null) {
      connection.pausedUntil = null;
      await db().$executeRaw`UPDATE "KlaviyoConnection" SET "pausedUntil" = NULL WHERE id = ${connection.id} AND "pausedUntil" <= ${now}`;
    }
    const streak = failingSince.get(connection.id);
    if (!streak) return;
    failingSince.delete(connection.id);
    if (now.getTime() - streak.since < OUTAGE_MS) return;
    await db().klaviyoEvent.updateMany({
      where: { shopId: connection.shopId, status: "pending", attempts: { gt: 0 }, nextAttemptAt: { gt: now } },
      data: { nextAttemptAt: now },
    });
  }

  // ---- Sending ------------------------------------------------------------------------------------------------

  function bulkChunks(events: KlaviyoEvent[]): KlaviyoEvent[][] {
    // (shopId, uniqueId) is unique in the outbox, so a chunk never repeats a unique_id (which fails a whole job).
    const chunks: KlaviyoEvent[][] = [];
    let current: KlaviyoEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      const size = Buffer.byteLength(JSON.stringify(event.payload)) + 64;
      if (current.length === MAX_BULK_EVENTS || (current.length > 0 && bytes + size > MAX_BULK_BYTES)) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(event);
      bytes += size;
    }
    if (current.length) chunks.push(current);
    return chunks;
  }

  /** One POST /api/events per event, `concurrency` in flight, each paced by the account's events limiter. */
  async function sendSingles(round: AccountRound, events: KlaviyoEvent[]): Promise<RoundOutcome> {
    let stopRound = false;
    let next = 0;
    const delivered: KlaviyoEvent[] = [];
    const lane = async () => {
      while (!stopRound && next < events.length && isActive(round.connection)) {
        const event = events[next++]!;
        if (!(await round.pacing.events.acquire(stopping.signal)) || stopRound || !isActive(round.connection)) return;
        try {
          await round.client.createEvent(payloadOf(event));
        } catch (error) {
          try {
            if ((await handleFailure(round, [event], error)) === "stop") {
              stopRound = true;
            } else {
              await markFailed(event, error as KlaviyoApiError);
              await handleAnswered(round);
            }
          } catch (unexpected) {
            stopRound = true;
            throw unexpected;
          }
          continue;
        }
        delivered.push(event);
        await handleAnswered(round);
        if (delivered.length >= MARK_DELIVERED_EVERY) await markDelivered(delivered.splice(0));
      }
    };
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, events.length) }, lane));
    if (delivered.length) await markDelivered(delivered);
    const crashed = lanes.find((lane) => lane.status === "rejected");
    if (crashed) throw crashed.reason;
    return stopRound ? "stop" : "continue";
  }

  /** Bulk jobs of up to 1,000 events, paced by the account's bulk limiter. */
  async function sendBulk(round: AccountRound, events: KlaviyoEvent[]): Promise<RoundOutcome> {
    for (const chunk of bulkChunks(events)) {
      if (!isActive(round.connection) || !(await round.pacing.bulk.acquire(stopping.signal))) return "stop";
      try {
        await round.client.createEventBulkJob(chunk.map(payloadOf));
      } catch (error) {
        if ((await handleFailure(round, chunk, error)) === "stop") return "stop";
        // One bad event rejects a whole job; sent one by one, only the bad ones fail.
        if ((await sendSingles(round, chunk)) === "stop") return "stop";
        continue;
      }
      await markDelivered(chunk);
      await handleAnswered(round);
    }
    return "continue";
  }

  async function workAccount(connection: KlaviyoConnection) {
    // Waiting on the minute budget can outlast the lease: the heartbeat keeps it, and a lost lease stops sending.
    const heartbeat = setInterval(() => {
      renewLease(connection).then(
        (held) => {
          if (!held) leaseLost.add(connection.id);
        },
        () => leaseLost.add(connection.id),
      );
    }, leaseMs / 3);
    try {
      const credentials = await credentialsFor(connection);
      if (!credentials) {
        restingUntil.set(connection.id, clock.now() + NO_CREDENTIALS_REST_MS);
        return;
      }
      const round: AccountRound = {
        connection,
        client: new KlaviyoClient({ baseUrl: klaviyoApiUrl, credentials, timeoutMs: settings.KLAVIYO_REQUEST_TIMEOUT_MS }),
        pacing: await pacingFor(connection),
      };
      while (isActive(connection)) {
        // After a pause, one event goes alone: if Klaviyo is still failing, the backlog is not poured after it.
        const probing = connection.pausedUntil !== null;
        const batch = await nextEvents(connection.shopId, probing);
        if (batch.length === 0) return;
        const outcome = batch.length >= bulkThreshold ? await sendBulk(round, batch) : await sendSingles(round, batch);
        if (outcome === "stop") return;
      }
    } catch (error) {
      // A stored secret that no longer decrypts, a database hiccup: logged once per rest, not once per poll.
      restingUntil.set(connection.id, clock.now() + NO_CREDENTIALS_REST_MS);
      throw error;
    } finally {
      clearInterval(heartbeat);
      if (leaseLost.has(connection.id)) {
        // Someone else may be sending for this account now: what we counted no longer describes it.
        pacingByAccount.delete(connection.id);
        leaseLost.delete(connection.id);
      } else {
        await releaseLease(connection).catch(() => undefined);
      }
    }
  }

  // ---- Wake-ups -----------------------------------------------------------------------------------------------

  /** LISTEN on a dedicated connection, reconnecting with backoff; the poll covers any gap. */
  async function listen() {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const client = new pg.Client({ connectionString: settings.DATABASE_URL });
      let onStop = () => {};
      const closed = new Promise<void>((resolve) => {
        onStop = resolve;
        client.on("error", () => resolve());
        client.on("end", () => resolve());
      });
      stopping.signal.addEventListener("abort", onStop, { once: true });
      client.on("notification", requestWake);
      try {
        await client.connect();
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        failures = 0;
        // Anything committed while nobody was listening is due now.
        requestWake();
        await closed;
      } catch {
        failures++;
      } finally {
        stopping.signal.removeEventListener("abort", onStop);
        await client.end().catch(() => undefined);
      }
      await systemClock.sleep(Math.min(30_000, 250 * 2 ** failures), stopping.signal);
    }
  }

  async function waitForWake() {
    if (wakeRequested || stopping.signal.aborted) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, pollIntervalMs);
      function finish() {
        clearTimeout(timer);
        interruptWait = null;
        resolve();
      }
      interruptWait = finish;
    });
  }

  async function loop() {
    while (!stopping.signal.aborted) {
      wakeRequested = false;
      forgetIdleAccounts();
      try {
        for (const connection of await claimAccounts()) {
          const work = workAccount(connection)
            .catch((error: unknown) => console.error("[klaviyo-delivery]", `account ${connection.accountId}:`, (error as Error).message))
            .finally(() => {
              working.delete(connection.id);
              requestWake();
            });
          working.set(connection.id, work);
        }
      } catch (error) {
        if (!stopping.signal.aborted) console.error("[klaviyo-delivery]", (error as Error).message);
      }
      await waitForWake();
    }
  }

  const listening = listen();
  const running = loop();
  return {
    async stop() {
      stopping.abort();
      interruptWait?.();
      await running;
      await Promise.allSettled(working.values());
      await listening;
      await db()
        .klaviyoConnection.updateMany({ where: { leaseOwner: instanceId }, data: { leaseOwner: null, leaseExpiresAt: null } })
        .catch(() => undefined);
    },
  };
}
