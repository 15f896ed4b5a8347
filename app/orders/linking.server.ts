import type { OrderLink, Shopper } from "@prisma/client";
import type { Transaction } from "../db.server";
import type { SavedOrder } from "./orders.server";

export interface OrderLinkResult {
  linkedBy: OrderLink;
  shoppers: Shopper[];
  /** The conversation named by the cart attribute, when it belongs to this shop. */
  cartConversationId: string | null;
}

/**
 * Who placed the order, by the most trustworthy evidence available: the conversation cart attribute (the very
 * browser that chatted), then the Shopify customer id, then email, then phone. The first kind of evidence that
 * matches decides; weaker kinds are not consulted. Identifiers are already normalised and absent when Shopify sent
 * "", so two guest orders never meet through an empty email.
 */
export async function linkOrderToShoppers(tx: Transaction, order: SavedOrder): Promise<OrderLinkResult | null> {
  if (order.cartConversationId) {
    const conversation = await tx.conversation.findFirst({
      where: { id: order.cartConversationId, shopId: order.shopId },
      include: { shopper: true },
    });
    if (conversation) return { linkedBy: "cart_attribute", shoppers: [conversation.shopper], cartConversationId: conversation.id };
  }
  const candidates: Array<[OrderLink, "shopifyCustomerId" | "email" | "phone", string | null]> = [
    ["customer_id", "shopifyCustomerId", order.shopifyCustomerId],
    ["email", "email", order.email],
    ["phone", "phone", order.phone],
  ];
  for (const [linkedBy, field, value] of candidates) {
    if (!value) continue;
    const shoppers = await tx.shopper.findMany({ where: { shopId: order.shopId, [field]: value }, orderBy: { updatedAt: "desc" } });
    if (shoppers.length > 0) return { linkedBy, shoppers, cartConversationId: null };
  }
  return null;
}
