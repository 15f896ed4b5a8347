-- CreateEnum
CREATE TYPE "RecommendationOutcome" AS ENUM ('purchased', 'not_purchased');

-- CreateEnum
CREATE TYPE "KlaviyoOutboxKind" AS ENUM ('event', 'profile');

-- CreateEnum
CREATE TYPE "OrderLink" AS ENUM ('cart_attribute', 'customer_id', 'email', 'phone');

-- CreateEnum
CREATE TYPE "KlaviyoResourceKind" AS ENUM ('segment', 'flow');

-- AlterTable
ALTER TABLE "ProductRecommendation" ADD COLUMN "windowHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN "outcome" "RecommendationOutcome",
ADD COLUMN "settledAt" TIMESTAMP(3),
ADD COLUMN "purchaseOrderId" TEXT;

-- AlterTable
ALTER TABLE "KlaviyoEvent" ADD COLUMN "kind" "KlaviyoOutboxKind" NOT NULL DEFAULT 'event',
ADD COLUMN "profileKey" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "number" INTEGER,
ADD COLUMN "subtotalPrice" DECIMAL(12,2),
ADD COLUMN "totalTax" DECIMAL(12,2),
ADD COLUMN "totalDiscounts" DECIMAL(12,2),
ADD COLUMN "cancelledAt" TIMESTAMP(3),
ADD COLUMN "cancelReason" TEXT,
ADD COLUMN "refunds" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "refundedAmount" DECIMAL(12,2) NOT NULL DEFAULT 0,
ADD COLUMN "cartConversationId" TEXT,
ADD COLUMN "shopperId" TEXT,
ADD COLUMN "linkedBy" "OrderLink",
ADD COLUMN "conversationId" TEXT,
ADD COLUMN "containsRecommendedProduct" BOOLEAN NOT NULL DEFAULT false;

-- Draft orders arrived with email "" and were stored as such: an empty string is no identifier.
UPDATE "Order" SET "email" = NULL WHERE "email" = '';
UPDATE "Order" SET "phone" = NULL WHERE "phone" = '';

-- CreateTable
CREATE TABLE "KlaviyoResource" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "KlaviyoResourceKind" NOT NULL,
    "name" TEXT NOT NULL,
    "klaviyoId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KlaviyoResource_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KlaviyoEvent_shopId_profileKey_status_idx" ON "KlaviyoEvent"("shopId", "profileKey", "status");

-- CreateIndex
CREATE INDEX "Order_shopId_phone_placedAt_idx" ON "Order"("shopId", "phone", "placedAt");

-- CreateIndex
CREATE INDEX "Order_shopId_conversationId_idx" ON "Order"("shopId", "conversationId");

-- CreateIndex
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");

-- CreateIndex
CREATE UNIQUE INDEX "KlaviyoResource_shopId_accountId_key_key" ON "KlaviyoResource"("shopId", "accountId", "key");

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_shopperId_fkey" FOREIGN KEY ("shopperId") REFERENCES "Shopper"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KlaviyoResource" ADD CONSTRAINT "KlaviyoResource_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
