-- The dashboard counts days in the shop's own time zone (Shopify's IANA name, recorded by the shop profile sync).
-- Shops installed before it read as UTC, the dashboard's days until now, until their next sync.

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "ianaTimezone" TEXT NOT NULL DEFAULT 'UTC';
