-- Email, SMS and WhatsApp (issue 12): per-shop channel settings, the outbound queue, opt-outs.

-- CreateEnum
CREATE TYPE "ChannelMessageStatus" AS ENUM ('pending', 'sent', 'delivered', 'failed');

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "channelAddress" TEXT;

-- CreateTable
CREATE TABLE "ShopChannelSettings" (
    "shopId" TEXT NOT NULL,
    "twilioAccountSid" TEXT,
    "encryptedTwilioAuthToken" TEXT,
    "smsNumber" TEXT,
    "whatsappNumber" TEXT,
    "emailInboundToken" TEXT NOT NULL,
    "emailFromAddress" TEXT,
    "smtpHost" TEXT,
    "smtpPort" INTEGER,
    "smtpUser" TEXT,
    "encryptedSmtpPassword" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopChannelSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "ChannelMessage" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "conversationId" TEXT,
    "messageId" TEXT,
    "part" INTEGER NOT NULL DEFAULT 0,
    "channel" "Channel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "status" "ChannelMessageStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "providerMessageId" TEXT,
    "providerStatus" TEXT,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelOptOut" (
    "shopId" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "address" TEXT NOT NULL,
    "optedOutAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelOptOut_pkey" PRIMARY KEY ("shopId","channel","address")
);

-- CreateIndex
CREATE UNIQUE INDEX "ShopChannelSettings_emailInboundToken_key" ON "ShopChannelSettings"("emailInboundToken");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelMessage_messageId_part_key" ON "ChannelMessage"("messageId", "part");

-- CreateIndex
CREATE INDEX "ChannelMessage_status_nextAttemptAt_idx" ON "ChannelMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ChannelMessage_providerMessageId_idx" ON "ChannelMessage"("providerMessageId");

-- CreateIndex
CREATE INDEX "ChannelMessage_conversationId_createdAt_idx" ON "ChannelMessage"("conversationId", "createdAt");

-- AddForeignKey
ALTER TABLE "ShopChannelSettings" ADD CONSTRAINT "ShopChannelSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelMessage" ADD CONSTRAINT "ChannelMessage_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelMessage" ADD CONSTRAINT "ChannelMessage_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelOptOut" ADD CONSTRAINT "ChannelOptOut_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
