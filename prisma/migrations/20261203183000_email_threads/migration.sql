-- CreateEnum
CREATE TYPE "EmailDirection" AS ENUM ('inbound', 'outbound');

-- CreateTable
CREATE TABLE "EmailThreadMessage" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT,
    "rfcMessageId" TEXT NOT NULL,
    "direction" "EmailDirection" NOT NULL,
    "subject" TEXT NOT NULL,
    "references" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailThreadMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmailThreadMessage_shopId_rfcMessageId_key" ON "EmailThreadMessage"("shopId", "rfcMessageId");

-- CreateIndex
CREATE INDEX "EmailThreadMessage_conversationId_direction_createdAt_idx" ON "EmailThreadMessage"("conversationId", "direction", "createdAt");

-- AddForeignKey
ALTER TABLE "EmailThreadMessage" ADD CONSTRAINT "EmailThreadMessage_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailThreadMessage" ADD CONSTRAINT "EmailThreadMessage_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
