import { attributeOrder } from "../attribution/attribution.server";
import type { Transaction } from "../db.server";
import { readShopSettings } from "../settings/settings.server";
import { linkOrderToShoppers } from "./linking.server";
import type { SavedOrder } from "./orders.server";
import { recordOrderedProperties, settleRecommendationsByOrder } from "./recommendation-outcome.server";

/**
 * What a new version of an order means, in the transaction that saved it: whose order it is, which conversation
 * it is attributed to, and which recommendations it settles as purchased. Re-running it for a later version of the
 * same order gives the same answers, so updates, cancellations and refunds only refine them.
 */
export async function afterOrderSaved(tx: Transaction, order: SavedOrder) {
  const link = await linkOrderToShoppers(tx, order);
  if (!link) return;
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: order.shopId }, select: { settings: true } });
  const settings = readShopSettings(shop.settings);
  const attribution = await attributeOrder(tx, order, link, settings.attributionWindowDays);
  await tx.order.update({
    where: { id: order.id },
    data: {
      shopperId: link.shoppers[0]!.id,
      linkedBy: link.linkedBy,
      conversationId: attribution?.conversationId ?? null,
      containsRecommendedProduct: attribution?.containsRecommendedProduct ?? false,
    },
  });
  // A cancelled order bought nothing: it neither settles a recommendation nor counts as ordering since one.
  if (order.cancelledAt) return;
  await settleRecommendationsByOrder(tx, order, link.shoppers);
  await recordOrderedProperties(tx, order, link.shoppers);
}
