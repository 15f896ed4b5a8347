import { Prisma, type Channel } from "@prisma/client";
import { db, type Transaction } from "../db.server";
import type { OrderLinkResult } from "../orders/linking.server";
import type { SavedOrder } from "../orders/orders.server";

const DAY_MS = 86_400_000;

export interface OrderAttribution {
  conversationId: string;
  containsRecommendedProduct: boolean;
}

/** Product ids as numbers: line items carry 632910392, recommendations may carry gid://shopify/Product/632910392. */
function productKey(id: string): string {
  return id.split("/").at(-1)!;
}

/**
 * The conversation an order is attributed to: the one its cart attribute names (exact), else the shopper's latest
 * conversation started before the order, provided the order came within the merchant's window after it.
 * Whether the order contains a product recommended in that conversation is what "AI-generated sales" counts.
 */
export async function attributeOrder(tx: Transaction, order: SavedOrder, link: OrderLinkResult, windowDays: number): Promise<OrderAttribution | null> {
  const earliest = new Date(order.placedAt.getTime() - windowDays * DAY_MS);
  const conversation = await tx.conversation.findFirst({
    where: {
      shopId: order.shopId,
      ...(link.cartConversationId ? { id: link.cartConversationId } : { shopperId: { in: link.shoppers.map((shopper) => shopper.id) } }),
      startedAt: { lte: order.placedAt, gte: earliest },
    },
    orderBy: { startedAt: "desc" },
    include: { recommendations: { select: { products: true } } },
  });
  if (!conversation) return null;
  const recommended = new Set(
    conversation.recommendations.flatMap((recommendation) => (recommendation.products as Array<{ id?: string }>).map((product) => productKey(String(product.id ?? "")))),
  );
  const lineItems = order.lineItems as Array<{ productId: string | null }>;
  return {
    conversationId: conversation.id,
    containsRecommendedProduct: lineItems.some((item) => item.productId !== null && recommended.has(productKey(item.productId))),
  };
}

export interface AttributionSummary {
  currency: string;
  conversations: number;
  attributedOrders: number;
  /** Net of refunds, cancelled orders excluded, in the shop's currency. */
  attributedRevenue: string;
  ordersWithRecommendedProduct: number;
  revenueWithRecommendedProduct: string;
  /** Attributed orders ÷ conversations started in the range. */
  conversionRate: number;
  averageOrderValue: string | null;
}

/**
 * What the dashboard shows for a date range: conversations started in it (of one channel, when given), and the
 * orders attributed to them.
 */
export async function attributionSummary(shopId: string, range: { from: Date; to: Date }, channel?: Channel): Promise<AttributionSummary> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { currencyCode: true } });
  const [conversations, [totals]] = await Promise.all([
    db().conversation.count({ where: { shopId, startedAt: { gte: range.from, lt: range.to }, ...(channel ? { channel } : {}) } }),
    db().$queryRaw<Array<{ orders: bigint; revenue: Prisma.Decimal | null; recommended_orders: bigint; recommended_revenue: Prisma.Decimal | null }>>`
      SELECT COUNT(*) AS orders,
             SUM(o."totalPrice" - o."refundedAmount") AS revenue,
             COUNT(*) FILTER (WHERE o."containsRecommendedProduct") AS recommended_orders,
             SUM(o."totalPrice" - o."refundedAmount") FILTER (WHERE o."containsRecommendedProduct") AS recommended_revenue
      FROM "Order" o JOIN "Conversation" c ON c.id = o."conversationId"
      WHERE o."shopId" = ${shopId} AND o."cancelledAt" IS NULL AND o."currencyCode" = ${shop.currencyCode}
        AND c."startedAt" >= ${range.from} AND c."startedAt" < ${range.to}
        AND (${channel ?? null}::text IS NULL OR c.channel::text = ${channel ?? null}::text)`,
  ]);
  const orders = Number(totals?.orders ?? 0);
  const revenue = new Prisma.Decimal(totals?.revenue ?? 0);
  return {
    currency: shop.currencyCode,
    conversations,
    attributedOrders: orders,
    attributedRevenue: revenue.toFixed(2),
    ordersWithRecommendedProduct: Number(totals?.recommended_orders ?? 0),
    revenueWithRecommendedProduct: new Prisma.Decimal(totals?.recommended_revenue ?? 0).toFixed(2),
    conversionRate: conversations === 0 ? 0 : orders / conversations,
    averageOrderValue: orders === 0 ? null : revenue.dividedBy(orders).toFixed(2),
  };
}

/** The attributed orders behind the summary, newest first. */
export async function attributedOrders(shopId: string, range: { from: Date; to: Date }, take = 50) {
  return db().order.findMany({
    where: { shopId, conversationId: { not: null }, conversation: { startedAt: { gte: range.from, lt: range.to } } },
    orderBy: { placedAt: "desc" },
    take: Math.min(Math.max(1, take), 200),
    select: {
      id: true, name: true, placedAt: true, totalPrice: true, refundedAmount: true, currencyCode: true, cancelledAt: true,
      containsRecommendedProduct: true, linkedBy: true, conversationId: true,
    },
  });
}
