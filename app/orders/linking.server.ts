import type { OrderLink, Shopper } from "@prisma/client";
import { sqlOf, type Transaction } from "../db.server";
import type { SavedOrder } from "./orders.server";

export interface OrderLinkResult {
  linkedBy: OrderLink;
  shoppers: Shopper[];
  /** The conversation named by the cart attribute, when it belongs to this shop. */
  cartConversationId: string | null;
}

type ShopperWithEvidence = Shopper & { evidenceKind: OrderLink; evidenceConversationId: string | null };

/**
 * Who placed the order, by the most trustworthy evidence available: the conversation cart attribute (the very
 * browser that chatted), then the Shopify customer id, then email, then phone. The first kind of evidence that
 * matches decides; weaker kinds are not consulted. Identifiers are already normalised and absent when Shopify sent
 * "", so two guest orders never meet through an empty email.
 *
 * One statement: every order of the shop asks, and most of them (guests who never chatted) find no one.
 */
export async function linkOrderToShoppers(tx: Transaction, order: SavedOrder): Promise<OrderLinkResult | null> {
  const rows = await sqlOf(tx).query<ShopperWithEvidence>(
    `WITH evidence AS (
       SELECT 1 AS strength, 'cart_attribute' AS kind, c."shopperId", c.id AS "conversationId"
         FROM "Conversation" c WHERE c.id = $2 AND c."shopId" = $1
       UNION ALL
       SELECT 2, 'customer_id', s.id, NULL FROM "Shopper" s WHERE s."shopId" = $1 AND s."shopifyCustomerId" = $3
       UNION ALL
       SELECT 3, 'email', s.id, NULL FROM "Shopper" s WHERE s."shopId" = $1 AND s.email = $4
       UNION ALL
       SELECT 4, 'phone', s.id, NULL FROM "Shopper" s WHERE s."shopId" = $1 AND s.phone = $5
     ), strongest AS (
       SELECT * FROM evidence WHERE strength = (SELECT min(strength) FROM evidence)
     )
     SELECT s.*, strongest.kind AS "evidenceKind", strongest."conversationId" AS "evidenceConversationId"
       FROM strongest JOIN "Shopper" s ON s.id = strongest."shopperId"
      ORDER BY s."updatedAt" DESC, s.id`,
    [order.shopId, order.cartConversationId, order.shopifyCustomerId, order.email, order.phone],
  );
  const strongest = rows[0];
  if (!strongest) return null;
  return {
    linkedBy: strongest.evidenceKind,
    shoppers: rows.map(({ evidenceKind: _kind, evidenceConversationId: _conversation, ...shopper }) => shopper),
    cartConversationId: strongest.evidenceConversationId,
  };
}
