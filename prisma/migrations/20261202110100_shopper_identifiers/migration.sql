-- A shopper is keyed by identifiers (ADR 006); the Shopper columns stay as each kind's current best value.

-- CreateEnum
CREATE TYPE "ShopperIdentifierKind" AS ENUM ('anonymous', 'shopify_customer', 'email', 'phone', 'klaviyo_exchange');

-- CreateEnum
CREATE TYPE "ShopperIdentifierSource" AS ENUM ('storefront', 'app_proxy', 'chat', 'channel', 'migrated');

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "countryCode" TEXT;

-- Email, SMS and WhatsApp shoppers have no anonymous id; identifiers, not this column, find a shopper now.
DROP INDEX "Shopper_shopId_anonymousId_key";
ALTER TABLE "Shopper" ALTER COLUMN "anonymousId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ShopperIdentifier" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopperId" TEXT NOT NULL,
    "kind" "ShopperIdentifierKind" NOT NULL,
    "value" TEXT NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "source" "ShopperIdentifierSource" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopperIdentifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitWindow_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateIndex
CREATE INDEX "ShopperIdentifier_shopperId_idx" ON "ShopperIdentifier"("shopperId");

-- CreateIndex
CREATE UNIQUE INDEX "ShopperIdentifier_shopId_kind_value_key" ON "ShopperIdentifier"("shopId", "kind", "value");

-- CreateIndex
CREATE INDEX "RateLimitWindow_expiresAt_idx" ON "RateLimitWindow"("expiresAt");

-- AddForeignKey
ALTER TABLE "ShopperIdentifier" ADD CONSTRAINT "ShopperIdentifier_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopperIdentifier" ADD CONSTRAINT "ShopperIdentifier_shopperId_fkey" FOREIGN KEY ("shopperId") REFERENCES "Shopper"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Today's rows: every identifier a Shopper column holds becomes a row of its shopper. Before this table two
-- shoppers could share an email, phone or customer id; the one seen most recently keeps it (the others keep
-- their column values, so nothing they are linked to changes). Only the signed customer id was vouched for.
INSERT INTO "ShopperIdentifier" ("id", "shopId", "shopperId", "kind", "value", "verified", "source", "createdAt", "updatedAt")
SELECT gen_random_uuid()::text, s."shopId", s."id", i.kind, i.value, i.kind = 'shopify_customer', 'migrated', s."createdAt", s."updatedAt"
FROM "Shopper" s
CROSS JOIN LATERAL (VALUES
    ('anonymous'::"ShopperIdentifierKind", s."anonymousId"),
    ('shopify_customer'::"ShopperIdentifierKind", s."shopifyCustomerId"),
    ('email'::"ShopperIdentifierKind", s."email"),
    ('phone'::"ShopperIdentifierKind", s."phone"),
    ('klaviyo_exchange'::"ShopperIdentifierKind", s."klaviyoExchangeId")
) AS i(kind, value)
WHERE i.value IS NOT NULL AND i.value <> ''
ORDER BY s."updatedAt" DESC, s."id"
ON CONFLICT ("shopId", "kind", "value") DO NOTHING;
