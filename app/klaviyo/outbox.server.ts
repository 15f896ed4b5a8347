import type { KlaviyoEventStatus } from "@prisma/client";
import { db, sqlOf, type Sql, type Transaction } from "../db.server";
import { buildKlaviyoEvent, type ConversationFact, type ShopperIdentity } from "./events";
import { buildProfileUpdate, type ProfileFact } from "./profiles";

export const OUTBOX_CHANNEL = "klaviyo_outbox";
/** How profile updates are labelled in the delivery log, where events show their metric. */
export const PROFILE_UPDATE_LABEL = "Profile properties";
export const DELIVERY_LOG_PAGE_SIZE = 50;
const MAX_DELIVERY_LOG_PAGE_SIZE = 200;

const INSERT_OUTBOX_ROW = `
  WITH inserted AS (
    INSERT INTO "KlaviyoEvent" (id, kind, "shopId", "conversationId", metric, "uniqueId", "profileKey", "occurredAt", payload, "updatedAt")
    VALUES (gen_random_uuid()::text, $1::"KlaviyoOutboxKind", $2, $3, $4, $5, $6, $7, $8::jsonb, now())
    ON CONFLICT ("shopId", "uniqueId") DO NOTHING
    RETURNING 1
  )
  SELECT pg_notify('${OUTBOX_CHANNEL}', $2) FROM inserted`;

async function insertOutboxRow(
  sql: Sql,
  row: { kind: "event" | "profile"; shopId: string; conversationId: string | null; metric: string; uniqueId: string; profileKey: string | null; occurredAt: Date; payload: unknown },
) {
  await sql.execute(INSERT_OUTBOX_ROW, [row.kind, row.shopId, row.conversationId, row.metric, row.uniqueId, row.profileKey, row.occurredAt, JSON.stringify(row.payload)]);
}

/**
 * Writes the event in the caller's transaction (Prisma's, or a pg client's on the hot path), so it exists exactly
 * when the conversation change does; the NOTIFY is delivered on commit and wakes a delivery engine at once.
 * Recording the same fact twice is a no-op.
 */
export async function recordKlaviyoEvent(tx: Transaction | Sql, shopId: string, fact: ConversationFact): Promise<void> {
  const sql = sqlOf(tx);
  const event = buildKlaviyoEvent(fact);
  await insertOutboxRow(sql, {
    kind: "event",
    shopId,
    conversationId: fact.conversationId,
    metric: event.metric,
    uniqueId: event.uniqueId,
    profileKey: null,
    occurredAt: event.occurredAt,
    payload: event.attributes,
  });
  const profileFact = profileFactOf(fact);
  if (profileFact) await recordProfileUpdate(sql, shopId, fact.shopper, profileFact, fact.conversationId);
}

/** The conversation facts that also change the shopper's Customer Agent profile properties. */
function profileFactOf(fact: ConversationFact): ProfileFact | null {
  switch (fact.kind) {
    case "recommended":
      return { kind: "recommended", recommendationId: fact.recommendationId, occurredAt: fact.occurredAt };
    case "not_purchased":
      return { kind: "not_purchased", recommendationId: fact.recommendationId, occurredAt: fact.occurredAt };
    case "escalated":
      return { kind: "escalation_opened", conversationId: fact.conversationId, occurredAt: fact.occurredAt };
    case "resolved":
      return { kind: "escalation_closed", conversationId: fact.conversationId, occurredAt: fact.occurredAt };
    case "started":
      return null;
  }
}

/**
 * Writes a profile-import for the shopper in the caller's transaction; it goes through the same outbox, leases and
 * pacing as events (`kind = profile`). A shopper without an identifier profile-import accepts has no profile yet.
 */
export async function recordProfileUpdate(
  tx: Transaction | Sql,
  shopId: string,
  shopper: ShopperIdentity,
  fact: ProfileFact,
  conversationId: string | null = null,
): Promise<void> {
  const update = buildProfileUpdate(shopper, fact);
  if (!update) return;
  await insertOutboxRow(sqlOf(tx), {
    kind: "profile",
    shopId,
    conversationId,
    metric: PROFILE_UPDATE_LABEL,
    uniqueId: update.uniqueId,
    profileKey: update.profileKey,
    occurredAt: update.occurredAt,
    payload: update.attributes,
  });
}

/** The merchant's retry after fixing the cause: failed events go back to the queue, due now. */
export async function retryFailedEvents(shopId: string, eventIds?: string[]): Promise<number> {
  const { count } = await db().klaviyoEvent.updateMany({
    where: { shopId, status: "failed", ...(eventIds ? { id: { in: eventIds } } : {}) },
    data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null, lastStatusCode: null },
  });
  if (count > 0) await db().$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${shopId})`;
  return count;
}

export interface DeliveryLogFilters {
  status?: KlaviyoEventStatus;
  metric?: string;
  conversationId?: string;
  cursor?: string;
  take?: number;
}

/** The admin's event delivery log, newest first, one page at a time (cursor = the last event id of the previous page). */
export async function listDeliveryLog(shopId: string, options: DeliveryLogFilters = {}) {
  const take = Math.min(Math.max(1, options.take ?? DELIVERY_LOG_PAGE_SIZE), MAX_DELIVERY_LOG_PAGE_SIZE);
  const where = {
    shopId,
    ...(options.status ? { status: options.status } : {}),
    ...(options.metric ? { metric: options.metric } : {}),
    ...(options.conversationId ? { conversationId: options.conversationId } : {}),
  };
  // A cursor that is not one of this shop's events (a stale address) starts from the newest instead of an empty page.
  const cursor = options.cursor && (await db().klaviyoEvent.count({ where: { id: options.cursor, shopId } })) ? options.cursor : undefined;
  const rows = await db().klaviyoEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      metric: true,
      conversationId: true,
      status: true,
      attempts: true,
      occurredAt: true,
      deliveredAt: true,
      nextAttemptAt: true,
      lastError: true,
      lastStatusCode: true,
    },
  });
  const events = rows.slice(0, take);
  return { events, nextCursor: rows.length > take ? events.at(-1)!.id : null };
}

/** One logged event with what the app sends Klaviyo for it (the JSON:API attributes), for the log's preview. */
export async function deliveryLogEvent(shopId: string, eventId: string) {
  return db().klaviyoEvent.findFirst({
    where: { id: eventId, shopId },
    select: { id: true, kind: true, metric: true, status: true, uniqueId: true, payload: true, lastError: true, lastStatusCode: true },
  });
}

/** What the admin's home and delivery log summarise: events per status and how long the oldest has waited. */
export async function deliverySummary(shopId: string) {
  const [groups, oldestPending] = await Promise.all([
    db().klaviyoEvent.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db().klaviyoEvent.findFirst({ where: { shopId, status: "pending" }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
  ]);
  const counts: Record<KlaviyoEventStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const group of groups) counts[group.status] = group._count._all;
  const oldestPendingSince = oldestPending?.createdAt ?? null;
  return {
    counts,
    oldestPendingSince,
    oldestPendingAgeSeconds: oldestPendingSince ? Math.max(0, Math.round((Date.now() - oldestPendingSince.getTime()) / 1000)) : null,
  };
}
