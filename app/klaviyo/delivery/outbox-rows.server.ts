import type { KlaviyoEvent, KlaviyoOutboxKind } from "@prisma/client";
import { db } from "../../db.server";
import { metrics } from "../../operations/metrics.server";
import type { KlaviyoApiError } from "../errors";
import type { Clock } from "../pacing";

/** The delivery engine's reads and writes of outbox rows. Rows only move pending → delivered or pending → failed. */
export class OutboxRows {
  constructor(
    private readonly clock: Clock,
    private readonly retryDelayMs: (attempt: number) => number,
  ) {}

  /** The account's due rows of one kind, oldest first; probing: the one pending row due soonest, due or not. */
  async next(shopId: string, kind: KlaviyoOutboxKind, probing: boolean, take: number): Promise<KlaviyoEvent[]> {
    if (kind === "profile") return this.nextProfileUpdates(shopId, probing, take);
    return db().klaviyoEvent.findMany({
      where: { shopId, kind, status: "pending", ...(probing ? {} : { nextAttemptAt: { lte: new Date(this.clock.now()) } }) },
      orderBy: [{ nextAttemptAt: "asc" }, { occurredAt: "asc" }],
      take: probing ? 1 : take,
    });
  }

  /**
   * Profile updates are not independent like events: a later one must land after an earlier one for the same
   * profile. So an update waits while an older pending update of its profile is backing off, and they go out
   * together (merged, oldest first) once it is due.
   */
  private async nextProfileUpdates(shopId: string, probing: boolean, take: number): Promise<KlaviyoEvent[]> {
    const now = new Date(this.clock.now());
    return db().$queryRaw<KlaviyoEvent[]>`
      SELECT e.* FROM "KlaviyoEvent" e
      WHERE e."shopId" = ${shopId} AND e.kind = 'profile' AND e.status = 'pending'
        AND (${probing} OR e."nextAttemptAt" <= ${now})
        AND NOT EXISTS (
          SELECT 1 FROM "KlaviyoEvent" older
          WHERE older."shopId" = e."shopId" AND older."profileKey" = e."profileKey" AND older.kind = 'profile'
            AND older.status = 'pending' AND older."occurredAt" < e."occurredAt" AND older."nextAttemptAt" > ${now}
            AND NOT ${probing}
        )
      ORDER BY e."occurredAt" ASC, e.id ASC
      LIMIT ${probing ? 1 : take}`;
  }

  async markDelivered(rows: KlaviyoEvent[], statusCode: number) {
    if (rows.length === 0) return;
    const now = new Date(this.clock.now());
    await db().klaviyoEvent.updateMany({
      where: { id: { in: rows.map((row) => row.id) }, status: "pending" },
      // nextAttemptAt keeps the time of the delivering attempt: through the (status, shopId, nextAttemptAt) index
      // it finds an account's last minute of deliveries when another instance takes the account over.
      data: { status: "delivered", deliveredAt: now, nextAttemptAt: now, attempts: { increment: 1 }, lastError: null, lastStatusCode: statusCode },
    });
    const { deliveryLag } = metrics();
    for (const row of rows) deliveryLag.observe({ kind: row.kind }, Math.max(0, now.getTime() - row.createdAt.getTime()) / 1000);
  }

  /** Rows retried together keep one retry time (a bulk chunk or a merged profile update goes out together again). */
  async markRetry(rows: KlaviyoEvent[], error: KlaviyoApiError) {
    const byAttempts = new Map<number, string[]>();
    for (const row of rows) byAttempts.set(row.attempts + 1, [...(byAttempts.get(row.attempts + 1) ?? []), row.id]);
    for (const [attempts, ids] of byAttempts) {
      await db().klaviyoEvent.updateMany({
        where: { id: { in: ids }, status: "pending" },
        data: {
          attempts,
          nextAttemptAt: new Date(this.clock.now() + this.retryDelayMs(attempts)),
          lastError: `${error.merchantMessage} (${error.message})`.slice(0, 2000),
          lastStatusCode: error.status,
        },
      });
    }
  }

  async markFailed(rows: KlaviyoEvent[], error: KlaviyoApiError) {
    await db().klaviyoEvent.updateMany({
      where: { id: { in: rows.map((row) => row.id) }, status: "pending" },
      data: { status: "failed", attempts: { increment: 1 }, lastError: error.detail.slice(0, 2000), lastStatusCode: error.status },
    });
  }

  /** After an outage, rows backed off by up to ten minutes are due at once. */
  async dueNow(shopId: string) {
    const now = new Date(this.clock.now());
    await db().klaviyoEvent.updateMany({ where: { shopId, status: "pending", attempts: { gt: 0 }, nextAttemptAt: { gt: now } }, data: { nextAttemptAt: now } });
  }
}
