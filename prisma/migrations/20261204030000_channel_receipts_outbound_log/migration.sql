-- CreateTable
CREATE TABLE "ChannelReceipt" (
    "shopId" TEXT NOT NULL,
    "providerMessageId" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelReceipt_pkey" PRIMARY KEY ("shopId","providerMessageId")
);

-- Emails received before receipts existed were recognised by their thread rows: a provider's retry of one of them
-- must still be a duplicate.
INSERT INTO "ChannelReceipt" ("shopId", "providerMessageId", channel, "receivedAt")
SELECT "shopId", "rfcMessageId", 'email', "createdAt" FROM "EmailThreadMessage" WHERE direction = 'inbound'
ON CONFLICT DO NOTHING;

-- AddForeignKey
ALTER TABLE "ChannelReceipt" ADD CONSTRAINT "ChannelReceipt_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "ChannelMessage_shopId_createdAt_idx" ON "ChannelMessage"("shopId", "createdAt");
