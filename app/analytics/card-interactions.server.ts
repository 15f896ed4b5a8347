import type { CardInteractionKind } from "@prisma/client";
import { pool } from "../db.server";

export const CARD_INTERACTION_KINDS = ["add_to_cart", "product_click"] as const satisfies readonly CardInteractionKind[];

export type CardInteractionOutcome = "recorded" | "already-recorded" | "unknown-conversation" | "unknown-card";

// One statement: the conversation must be this shopper's (its anonymous id), the product must be one of the cards the
// agent showed in it, and a repeat of the same conversation, product and kind inserts nothing (the unique key).
const RECORD_CARD_INTERACTION = `
  WITH owned AS (
    SELECT c.id FROM "Conversation" c
    JOIN "ShopperIdentifier" i ON i."shopperId" = c."shopperId" AND i."shopId" = $2 AND i.kind = 'anonymous' AND i.value = $3
    WHERE c.id = $1 AND c."shopId" = $2
  ), shown AS (
    SELECT 1 FROM "Message" m, jsonb_array_elements(m.parts) part
    WHERE m."conversationId" IN (SELECT id FROM owned) AND m.author = 'agent'
      AND part->>'type' = 'product' AND part->>'productId' = $4
    LIMIT 1
  ), inserted AS (
    INSERT INTO "CardInteraction" (id, "shopId", "conversationId", "productId", kind)
    SELECT gen_random_uuid()::text, $2, id, $4, $5::"CardInteractionKind" FROM owned WHERE EXISTS (SELECT 1 FROM shown)
    ON CONFLICT ("conversationId", "productId", kind) DO NOTHING
    RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM owned) AS owned, EXISTS (SELECT 1 FROM shown) AS shown, EXISTS (SELECT 1 FROM inserted) AS inserted`;

/**
 * Records that the shopper added a card's product to the cart or followed its link. Counted once per conversation,
 * product and kind: the dashboard's figures are "conversations whose cards led to an add to cart / a click".
 */
export async function recordCardInteraction(input: {
  shopId: string;
  conversationId: string;
  anonymousId: string;
  productId: string;
  kind: CardInteractionKind;
}): Promise<CardInteractionOutcome> {
  const { rows } = await pool().query<{ owned: boolean; shown: boolean; inserted: boolean }>(RECORD_CARD_INTERACTION, [
    input.conversationId,
    input.shopId,
    input.anonymousId,
    input.productId,
    input.kind,
  ]);
  const row = rows[0]!;
  if (!row.owned) return "unknown-conversation";
  if (!row.shown) return "unknown-card";
  return row.inserted ? "recorded" : "already-recorded";
}
