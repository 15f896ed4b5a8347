import type { Channel, ProductRecommendation, Shopper } from "@prisma/client";
import { db, type Sql, type Transaction } from "../db.server";
import { mayShareWithKlaviyo } from "../identity/identity.server";
import { shopperIdentity } from "../identity/shopper-identity";
import { jobQueue, QUEUES } from "../jobs/queue.server";
import type { RecommendedProduct } from "../klaviyo/events";
import { recordKlaviyoEvent, recordProfileUpdate } from "../klaviyo/outbox.server";
import type { SavedOrder } from "./orders.server";

const HOUR_MS = 3_600_000;
/**
 * The check runs this long after the window closes, so an order placed inside the window whose webhook Shopify
 * delivers a few minutes late still cancels the trigger. (Later than that, the event has gone; the order still
 * sets "Ordered Since Recommendation", which the flow's filter re-checks before each message.)
 */
export const LATE_ORDER_GRACE_MS = 10 * 60_000;

export interface RecommendationCheckJob {
  recommendationId: string;
}

export function windowEnd(recommendation: Pick<ProductRecommendation, "recommendedAt" | "windowHours">): Date {
  return new Date(recommendation.recommendedAt.getTime() + recommendation.windowHours * HOUR_MS);
}

/**
 * Called in the transaction that records a recommendation, with its window already fixed from the merchant's
 * setting: enqueues the delayed check in the same transaction, so the check exists exactly when the
 * recommendation does.
 */
export async function scheduleRecommendationCheck(sql: Sql, recommendation: Pick<ProductRecommendation, "id" | "recommendedAt" | "windowHours">) {
  const checkAt = new Date(windowEnd(recommendation).getTime() + LATE_ORDER_GRACE_MS);
  const boss = await jobQueue();
  await boss.send(QUEUES.recommendationCheck, { recommendationId: recommendation.id } satisfies RecommendationCheckJob, {
    db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: await sql.query(text, values) }) },
    startAfter: checkAt,
    singletonKey: recommendation.id,
  });
}

/**
 * An order placed inside a recommendation's window settles it as purchased, once: the conditional update only
 * touches recommendations nobody has settled yet, so an order delivered twice, late, or racing the delayed
 * check settles each recommendation exactly one way.
 */
export async function settleRecommendationsByOrder(tx: Transaction, order: SavedOrder, shoppers: Shopper[]): Promise<number> {
  return tx.$executeRaw`
    UPDATE "ProductRecommendation"
    SET outcome = 'purchased', "settledAt" = now(), "purchaseOrderId" = ${order.id}
    WHERE "shopId" = ${order.shopId}
      AND "shopperId" = ANY(${shoppers.map((shopper) => shopper.id)}::text[])
      AND outcome IS NULL
      AND "recommendedAt" <= ${order.placedAt}
      AND "recommendedAt" + "windowHours" * interval '1 hour' >= ${order.placedAt}`;
}

/**
 * "Customer Agent Last Order At", and "Ordered Since Recommendation" = true when the order came after the shopper's
 * latest recommendation (an old order arriving late does not undo a newer recommendation's false).
 */
export async function recordOrderedProperties(tx: Transaction, order: SavedOrder, shoppers: Shopper[]) {
  for (const shopper of shoppers) {
    if (!mayShareWithKlaviyo(shopper)) continue;
    const latest = await tx.productRecommendation.findFirst({ where: { shopperId: shopper.id }, orderBy: { recommendedAt: "desc" }, select: { recommendedAt: true } });
    const sinceRecommendation = latest !== null && latest.recommendedAt <= order.placedAt;
    await recordProfileUpdate(tx, order.shopId, shopperIdentity(shopper), { kind: "ordered", orderId: order.id, occurredAt: order.placedAt, sinceRecommendation });
  }
}

/** An order by the shopper (by any identifier the linking trusts) placed inside the window, not cancelled. */
async function orderInWindow(tx: Transaction, recommendation: ProductRecommendation & { shopper: Shopper }) {
  const { shopper } = recommendation;
  const identifiers = [
    { shopperId: shopper.id },
    ...(shopper.shopifyCustomerId ? [{ shopifyCustomerId: shopper.shopifyCustomerId }] : []),
    ...(shopper.email ? [{ email: shopper.email }] : []),
    ...(shopper.phone ? [{ phone: shopper.phone }] : []),
  ];
  return tx.order.findFirst({
    where: { shopId: recommendation.shopId, cancelledAt: null, placedAt: { gte: recommendation.recommendedAt, lte: windowEnd(recommendation) }, OR: identifiers },
    select: { id: true },
  });
}

export type CheckResult = "not_purchased" | "purchased" | "already_settled" | "not_due" | "gone";

/**
 * The delayed check (pg-boss job): once the window and the grace have passed, settles the recommendation. With no
 * order in the window it emits one `Recommendation Not Purchased` and sets the profile property false, in one
 * transaction with the settlement, so a retried or duplicated job emits nothing twice.
 */
export async function checkRecommendation(recommendationId: string, now = new Date()): Promise<CheckResult> {
  const result = await db().$transaction(async (tx) => {
    const recommendation = await tx.productRecommendation.findUnique({
      where: { id: recommendationId },
      include: { shopper: true, conversation: { select: { channel: true } } },
    });
    if (!recommendation) return "gone" as const;
    if (recommendation.outcome) return "already_settled" as const;
    if (now.getTime() < windowEnd(recommendation).getTime() + LATE_ORDER_GRACE_MS) return "not_due" as const;

    const order = await orderInWindow(tx, recommendation);
    if (order) {
      await tx.productRecommendation.updateMany({ where: { id: recommendation.id, outcome: null }, data: { outcome: "purchased", settledAt: now, purchaseOrderId: order.id } });
      return "purchased" as const;
    }
    const { count } = await tx.productRecommendation.updateMany({ where: { id: recommendation.id, outcome: null }, data: { outcome: "not_purchased", settledAt: now } });
    if (count === 0) return "already_settled" as const;
    if (mayShareWithKlaviyo(recommendation.shopper)) {
      await recordKlaviyoEvent(tx, recommendation.shopId, {
        kind: "not_purchased",
        conversationId: recommendation.conversationId,
        recommendationId: recommendation.id,
        channel: recommendation.conversation.channel as Channel,
        products: recommendation.products as unknown as RecommendedProduct[],
        recommendedAt: recommendation.recommendedAt,
        windowHours: recommendation.windowHours,
        occurredAt: windowEnd(recommendation),
        shopper: shopperIdentity(recommendation.shopper),
      });
    }
    return "not_purchased" as const;
  });
  if (result === "not_due") await rescheduleCheck(recommendationId);
  return result;
}

/** A check that ran early (clock skew between instances, a manual retry) comes back when it is due. */
async function rescheduleCheck(recommendationId: string) {
  const recommendation = await db().productRecommendation.findUnique({ where: { id: recommendationId } });
  if (!recommendation) return;
  const boss = await jobQueue();
  await boss.send(QUEUES.recommendationCheck, { recommendationId } satisfies RecommendationCheckJob, {
    startAfter: new Date(windowEnd(recommendation).getTime() + LATE_ORDER_GRACE_MS),
  });
}
