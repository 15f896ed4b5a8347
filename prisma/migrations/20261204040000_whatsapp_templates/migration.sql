-- A staff reply held until the shopper reopens WhatsApp's customer-service window.
ALTER TYPE "ChannelMessageStatus" ADD VALUE 'waiting';

-- The approved template that reopens the window, and the variable that takes the shop's name.
ALTER TABLE "ShopChannelSettings" ADD COLUMN "whatsappTemplateSid" TEXT,
ADD COLUMN "whatsappTemplateShopNameVariable" TEXT;
