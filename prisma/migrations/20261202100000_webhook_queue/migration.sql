-- The delivery table is the processing queue (ADR 005): a delivery is due when "nextAttemptAt" has passed; a worker
-- claims it by moving "nextAttemptAt" a lease ahead, and a failure moves it to the retry's backoff.
ALTER TABLE "WebhookDelivery" ADD COLUMN "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Only unprocessed deliveries are in the index, so claiming the next due ones stays an index scan of the backlog,
-- however many processed deliveries the table keeps (Prisma's schema cannot express a partial index).
CREATE INDEX "WebhookDelivery_due_idx" ON "WebhookDelivery"("nextAttemptAt") WHERE "status" <> 'processed';

-- The retention job deletes processed deliveries by age.
CREATE INDEX "WebhookDelivery_processedAt_idx" ON "WebhookDelivery"("processedAt");

-- The retention job deletes delivered outbox rows by age.
CREATE INDEX "KlaviyoEvent_deliveredAt_idx" ON "KlaviyoEvent"("deliveredAt");
