import { Prisma, type KlaviyoConnection } from "@prisma/client";
import { db } from "../../db.server";
import { PRESENT_INSTANCES } from "../../jobs/instance-presence.server";
import type { Clock } from "../pacing";

/** A claimed account, and who held its lease before this claim (null: nobody, or handed back cleanly). */
export type LeasedAccount = KlaviyoConnection & { previousOwner: string | null };

export interface LeaseOptions {
  instanceId: string;
  clock: Clock;
  /** How long a claim or a heartbeat keeps the account; also how long a crashed holder blocks it. */
  leaseMs: number;
  /** How long an account stays with the instance that last worked it after it goes idle. */
  idleLeaseMs: number;
}

/**
 * Per-account leases in `KlaviyoConnection`: an instance sends for an account only while it holds the lease, so
 * the account's pacing lives in one place. Claims use FOR UPDATE SKIP LOCKED, so instances claiming at once never
 * wait on each other or take the same account; pauses (`pausedUntil`) are stored for every instance to honour.
 */
export class AccountLeases {
  constructor(private readonly options: LeaseOptions) {}

  /**
   * Claims up to `limit` accounts with work whose lease is free, lapsed, already ours, or held by an instance that
   * is no longer connected (it crashed: no need to wait for its lease to lapse). Work is a due outbox row, or any
   * pending row once a pause has ended: one of them probes whether Klaviyo is back.
   */
  async claim(limit: number, excluded: string[]): Promise<LeasedAccount[]> {
    if (limit <= 0) return [];
    const { instanceId, clock, leaseMs } = this.options;
    const now = new Date(clock.now());
    return db().$queryRaw<LeasedAccount[]>`
      WITH candidates AS (
        SELECT c.id, c."leaseOwner" AS "previousOwner" FROM "KlaviyoConnection" c
        WHERE c.status = 'connected'
          AND (c."leaseExpiresAt" IS NULL OR c."leaseExpiresAt" < ${now} OR c."leaseOwner" = ${instanceId}
               OR NOT (c."leaseOwner" = ANY (${Prisma.raw(PRESENT_INSTANCES)})))
          AND (c."pausedUntil" IS NULL OR c."pausedUntil" <= ${now})
          AND NOT (c.id = ANY(${excluded}::text[]))
          AND EXISTS (
            SELECT 1 FROM "KlaviyoEvent" e
            WHERE e."shopId" = c."shopId" AND e.status = 'pending' AND (e."nextAttemptAt" <= ${now} OR c."pausedUntil" IS NOT NULL)
          )
        ORDER BY c."leaseExpiresAt" ASC NULLS FIRST
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "KlaviyoConnection" k SET "leaseOwner" = ${instanceId}, "leaseExpiresAt" = ${new Date(now.getTime() + leaseMs)}
      FROM candidates WHERE k.id = candidates.id
      RETURNING k.*, candidates."previousOwner"`;
  }

  async renew(connection: KlaviyoConnection): Promise<boolean> {
    const { count } = await db().klaviyoConnection.updateMany({
      where: { id: connection.id, leaseOwner: this.options.instanceId },
      data: { leaseExpiresAt: new Date(this.options.clock.now() + this.options.leaseMs) },
    });
    return count === 1;
  }

  /**
   * Keeps the lease while the account is worked (waiting on the minute budget can outlast a lease); `onLost` is
   * called when it could not be renewed, after which the caller must stop sending. Returns the stop function.
   */
  keepAlive(connection: KlaviyoConnection, onLost: () => void): () => void {
    const heartbeat = setInterval(() => {
      this.renew(connection).then((held) => {
        if (!held) onLost();
      }, onLost);
    }, this.options.leaseMs / 3);
    return () => clearInterval(heartbeat);
  }

  /** Idle accounts stay ours for `idleLeaseMs`; on shutdown (`handBack`) they are released at once. */
  async release(connection: KlaviyoConnection, handBack: boolean) {
    await db().klaviyoConnection.updateMany({
      where: { id: connection.id, leaseOwner: this.options.instanceId },
      data: handBack ? { leaseOwner: null, leaseExpiresAt: null } : { leaseExpiresAt: new Date(this.options.clock.now() + this.options.idleLeaseMs) },
    });
  }

  async releaseAll() {
    await db().klaviyoConnection.updateMany({ where: { leaseOwner: this.options.instanceId }, data: { leaseOwner: null, leaseExpiresAt: null } });
  }

  /** No instance sends for the account before `ms` from now (a later pause already stored wins). */
  async pause(connection: KlaviyoConnection, ms: number) {
    const until = new Date(this.options.clock.now() + ms);
    connection.pausedUntil = until;
    await db().$executeRaw`UPDATE "KlaviyoConnection" SET "pausedUntil" = GREATEST("pausedUntil", ${until}) WHERE id = ${connection.id}`;
  }

  /** Klaviyo answered: the pause is over, unless a newer one was stored meanwhile. */
  async resume(connection: KlaviyoConnection) {
    if (connection.pausedUntil === null) return;
    connection.pausedUntil = null;
    await db().$executeRaw`UPDATE "KlaviyoConnection" SET "pausedUntil" = NULL WHERE id = ${connection.id} AND "pausedUntil" <= ${new Date(this.options.clock.now())}`;
  }

  /** 401/403: the merchant must reconnect; updateMany because they may have disconnected meanwhile. */
  async needsAttention(connection: KlaviyoConnection, detail: string) {
    await db().klaviyoConnection.updateMany({ where: { id: connection.id }, data: { status: "needs_attention", statusDetail: detail } });
  }
}
