-- The instance that claimed a delivery last: while it is connected its claim stands until the claim lease runs out;
-- once it is gone (crashed) another instance claims the delivery at once.
ALTER TABLE "WebhookDelivery" ADD COLUMN "claimedBy" TEXT;
