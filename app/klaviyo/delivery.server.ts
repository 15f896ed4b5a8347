import { randomUUID } from "node:crypto";
import type { KlaviyoConnection, KlaviyoEvent } from "@prisma/client";
import pg from "pg";
import { config } from "../config.server";
import { db } from "../db.server";
import { KlaviyoClient, MAX_BULK_EVENTS, type KlaviyoEventAttributes } from "./client.server";
import { credentialsFor } from "./connection.server";
import { KlaviyoApiError } from "./errors";
import { OUTBOX_CHANNEL } from "./outbox.server";
import { backoffDelayMs, RateLimiter, systemClock, type Clock } from "./pacing";

/** Klaviyo's published per-account limits for the two endpoints the outbox uses. */
export const EVENT_LIMITS = { burst: 350, steady: 3500 };
export const BULK_LIMITS = { burst: 10, steady: 150 };
/** Bulk bodies stay well under Klaviyo's 5 MB cap. */
const MAX_BULK_BYTES = 4_500_000;

export interface DeliveryOptions {
  instanceId?: string;
  clock?: Clock;
  /** A backlog at least this large goes out as bulk jobs of up to 1,000 events. */
  bulkThreshold?: number;
  /** Requests in flight per account: enough to reach the ceiling against real round-trip times. */
  concurrencyPerAccount?: number;
  maxAccounts?: number;
  leaseMs?: number;
  pollIntervalMs?: number;
  /** Defaults to KLAVIYO_API_URL; benchmarks point engines at their own fake. */
  klaviyoApiUrl?: string;
}

export interface KlaviyoDelivery {
  stop(): Promise<void>;
}

/**
 * Delivers the outbox to Klaviyo. Safe with any number of instances on one database: an instance works an
 * account only while it holds that account's lease, so the account's pacing lives in one place; a Retry-After is
 * stored on the account for every instance to honour. Rows only move pending → delivered (after Klaviyo's 202)
 * or pending → failed (permanent rejection), so a crash at any point resends at worst, and the deterministic
 * unique_id makes Klaviyo drop the resend.
 */
export async function startKlaviyoDelivery(options: DeliveryOptions = {}): Promise<KlaviyoDelivery> {
  const instanceId = options.instanceId ?? `instance-${randomUUID()}`;
  const clock = options.clock ?? systemClock;
  const bulkThreshold = options.bulkThreshold ?? 50;
  const concurrency = options.concurrencyPerAccount ?? 32;
  const maxAccounts = options.maxAccounts ?? 100;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const settings = config();

  const working = new Map<string, Promise<void>>();
  const leaseLost = new Set<string>();
  const limiters = new Map<string, { events: RateLimiter; bulk: RateLimiter }>();
  let stopping = false;
  let wake: (() => void) | null = null;

  const listener = new pg.Client({ connectionString: settings.DATABASE_URL });
  listener.on("error", () => undefined);
  await listener.connect();
  await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  listener.on("notification", () => wake?.());

  /**
   * Pacing lives with the lease holder. An instance taking an account over first counts what was delivered for it
   * in the last minute (by any instance), so a handover never restarts the account's minute budget from zero.
   */
  async function limitersFor(connection: KlaviyoConnection) {
    let pair = limiters.get(connection.id);
    if (!pair) {
      pair = { events: new RateLimiter(EVENT_LIMITS.burst, EVENT_LIMITS.steady, clock), bulk: new RateLimiter(BULK_LIMITS.burst, BULK_LIMITS.steady, clock) };
      const recent = await db().klaviyoEvent.findMany({
        where: { shopId: connection.shopId, status: "delivered", deliveredAt: { gt: new Date(clock.now() - 61_000) } },
        select: { deliveredAt: true },
        orderBy: { deliveredAt: "asc" },
      });
      pair.events.prime(recent.map((event) => event.deliveredAt!.getTime()));
      limiters.set(connection.id, pair);
    }
    return pair;
  }

  async function claimAccounts(): Promise<KlaviyoConnection[]> {
    const free = maxAccounts - working.size;
    if (free <= 0) return [];
    const now = new Date(clock.now());
    const leaseUntil = new Date(clock.now() + leaseMs);
    const busy = [...working.keys()];
    return db().$queryRaw<KlaviyoConnection[]>`
      UPDATE "KlaviyoConnection" SET "leaseOwner" = ${instanceId}, "leaseExpiresAt" = ${leaseUntil}
      WHERE id IN (
        SELECT c.id FROM "KlaviyoConnection" c
        WHERE c.status = 'connected'
          AND (c."leaseExpiresAt" IS NULL OR c."leaseExpiresAt" < ${now} OR c."leaseOwner" = ${instanceId})
          AND (c."pausedUntil" IS NULL OR c."pausedUntil" <= ${now})
          AND NOT (c.id = ANY(${busy}::text[]))
          AND EXISTS (
            SELECT 1 FROM "KlaviyoEvent" e
            WHERE e."shopId" = c."shopId" AND e.status = 'pending' AND e."nextAttemptAt" <= ${now}
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

  async function releaseLease(connection: KlaviyoConnection) {
    await db().klaviyoConnection.updateMany({
      where: { id: connection.id, leaseOwner: instanceId },
      data: { leaseOwner: null, leaseExpiresAt: null },
    });
  }

  async function dueEvents(shopId: string, take: number) {
    return db().klaviyoEvent.findMany({
      where: { shopId, status: "pending", nextAttemptAt: { lte: new Date(clock.now()) } },
      orderBy: [{ nextAttemptAt: "asc" }, { occurredAt: "asc" }],
      take,
    });
  }

  async function markDelivered(events: KlaviyoEvent[]) {
    await db().klaviyoEvent.updateMany({
      where: { id: { in: events.map((event) => event.id) }, status: "pending" },
      data: { status: "delivered", deliveredAt: new Date(clock.now()), attempts: { increment: 1 }, lastError: null, lastStatusCode: 202 },
    });
  }

  async function markRetry(events: KlaviyoEvent[], error: KlaviyoApiError) {
    for (const event of events) {
      const attempts = event.attempts + 1;
      await db().klaviyoEvent.updateMany({
        where: { id: event.id, status: "pending" },
        data: {
          attempts,
          nextAttemptAt: new Date(clock.now() + backoffDelayMs(attempts)),
          lastError: error.merchantMessage,
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

  /** What an error means for the whole account; returns true when the account must stop being worked now. */
  async function handleAccountError(connection: KlaviyoConnection, error: KlaviyoApiError): Promise<boolean> {
    if (error.kind === "rate_limited") {
      await db().klaviyoConnection.update({
        where: { id: connection.id },
        data: { pausedUntil: new Date(clock.now() + (error.retryAfterSeconds ?? 1) * 1000) },
      });
      return true;
    }
    if (error.kind === "unauthorized" || error.kind === "forbidden") {
      await db().klaviyoConnection.update({
        where: { id: connection.id },
        data: { status: "needs_attention", statusDetail: error.merchantMessage },
      });
      return true;
    }
    return false;
  }

  function bulkChunks(events: KlaviyoEvent[]): KlaviyoEvent[][] {
    const chunks: KlaviyoEvent[][] = [];
    let current: KlaviyoEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      const size = JSON.stringify(event.payload).length + 64;
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

  async function sendSingles(connection: KlaviyoConnection, client: KlaviyoClient, events: KlaviyoEvent[], limiter: RateLimiter) {
    let stopAccount = false;
    let next = 0;
    const delivered: KlaviyoEvent[] = [];
    const lane = async () => {
      while (!stopAccount && !stopping && !leaseLost.has(connection.id) && next < events.length) {
        const event = events[next++]!;
        await limiter.acquire();
        if (stopAccount || leaseLost.has(connection.id)) return;
        try {
          await client.createEvent(event.payload as unknown as KlaviyoEventAttributes);
          delivered.push(event);
          if (delivered.length >= 50) await markDelivered(delivered.splice(0));
        } catch (error) {
          if (!(error instanceof KlaviyoApiError)) throw error;
          if (await handleAccountError(connection, error)) {
            stopAccount = true;
          } else if (error.retryable) {
            await markRetry([event], error);
          } else {
            await markFailed(event, error);
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, events.length) }, lane));
    } finally {
      if (delivered.length) await markDelivered(delivered);
    }
    return !stopAccount;
  }

  async function sendBulk(connection: KlaviyoConnection, client: KlaviyoClient, events: KlaviyoEvent[], pacing: { events: RateLimiter; bulk: RateLimiter }) {
    for (const chunk of bulkChunks(events)) {
      if (stopping || leaseLost.has(connection.id)) return false;
      await pacing.bulk.acquire();
      try {
        await client.createEventBulkJob(chunk.map((event) => event.payload as unknown as KlaviyoEventAttributes));
        await markDelivered(chunk);
      } catch (error) {
        if (!(error instanceof KlaviyoApiError)) throw error;
        if (await handleAccountError(connection, error)) return false;
        if (error.retryable) {
          await markRetry(chunk, error);
        } else if (!(await sendSingles(connection, client, chunk, pacing.events))) {
          // One bad event rejects a whole job; sent one by one, only the bad ones fail.
          return false;
        }
      }
    }
    return true;
  }

  async function workAccount(connection: KlaviyoConnection) {
    try {
      const credentials = await credentialsFor(connection);
      if (!credentials) return;
      const client = new KlaviyoClient({ baseUrl: options.klaviyoApiUrl ?? settings.KLAVIYO_API_URL, credentials, timeoutMs: settings.KLAVIYO_REQUEST_TIMEOUT_MS });
      const pacing = await limitersFor(connection);
      // Waiting on the minute budget can outlast the lease; the heartbeat keeps it, and a lost lease stops sending.
      const heartbeat = setInterval(() => {
        renewLease(connection).then(
          (held) => {
            if (!held) leaseLost.add(connection.id);
          },
          () => leaseLost.add(connection.id),
        );
      }, leaseMs / 3);
      try {
        while (!stopping && !leaseLost.has(connection.id)) {
          const batch = await dueEvents(connection.shopId, MAX_BULK_EVENTS);
          if (batch.length === 0) return;
          const keepGoing =
            batch.length >= bulkThreshold ? await sendBulk(connection, client, batch, pacing) : await sendSingles(connection, client, batch, pacing.events);
          if (!keepGoing) return;
        }
      } finally {
        clearInterval(heartbeat);
      }
    } finally {
      leaseLost.delete(connection.id);
      limiters.delete(connection.id);
      await releaseLease(connection).catch(() => undefined);
    }
  }

  async function loop() {
    while (!stopping) {
      try {
        for (const connection of await claimAccounts()) {
          const work = workAccount(connection)
            .catch((error: unknown) => console.error("[klaviyo-delivery]", (error as Error).message))
            .finally(() => {
              working.delete(connection.id);
              wake?.();
            });
          working.set(connection.id, work);
        }
      } catch (error) {
        if (!stopping) console.error("[klaviyo-delivery]", (error as Error).message);
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      });
    }
  }

  const running = loop();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await running;
      await Promise.allSettled(working.values());
      await listener.end().catch(() => undefined);
    },
  };
}
