-- What shoppers did with the agent's product cards (add to cart, product link click), reported by the widget
-- through the signed app proxy; one row per conversation, product and kind.
CREATE TYPE "CardInteractionKind" AS ENUM ('add_to_cart', 'product_click');

CREATE TABLE "CardInteraction" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "kind" "CardInteractionKind" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardInteraction_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "CardInteraction_conversationId_productId_kind_key" ON "CardInteraction"("conversationId", "productId", "kind");
CREATE INDEX "CardInteraction_shopId_createdAt_idx" ON "CardInteraction"("shopId", "createdAt");

ALTER TABLE "CardInteraction" ADD CONSTRAINT "CardInteraction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CardInteraction" ADD CONSTRAINT "CardInteraction_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
