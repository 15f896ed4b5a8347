import type { Shopper } from "@prisma/client";
import type { Transaction } from "../db.server";
import type { SavedOrder } from "./orders.server";

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
