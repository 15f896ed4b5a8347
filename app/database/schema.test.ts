import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";

/**
 * Writes every model with every field through Prisma against the database built from the SQL migrations and
 * reads it back: a field the schema has but the migration lacks (or types differently) fails here.
 */
describe("migrated schema", () => {
  const roundTrips: Record<Prisma.ModelName, () => Promise<void>> = {
    Session: async () => {
      const data = {
        id: `offline_${randomUUID()}.myshopify.com`, shop: "s.myshopify.com", state: "state", isOnline: true,
        scope: "read_products", expires: new Date("2027-01-01T00:00:00Z"), accessToken: "token", userId: 42n,
        firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", accountOwner: true, locale: "en",
        collaborator: false, emailVerified: true, refreshToken: "refresh", refreshTokenExpires: new Date("2027-02-01T00:00:00Z"),
      };
      await db().session.create({ data });
      expect(await db().session.findUniqueOrThrow({ where: { id: data.id } })).toEqual(data);
    },
    ShopperIdentifier: async () => {
      const shopper = await newShopper();
      const created = await db().shopperIdentifier.create({
        data: { shopId: shopper.shopId, shopperId: shopper.id, kind: "phone", value: "+447911123456", verified: true, source: "channel" },
      });
      expect(await db().shopperIdentifier.findUniqueOrThrow({ where: { id: created.id } })).toEqual(created);
    },
    RateLimitWindow: async () => {
      const created = await db().rateLimitWindow.create({ data: { key: `ip:${randomUUID()}`, windowStart: new Date(), count: 3, expiresAt: new Date() } });
      expect(await db().rateLimitWindow.findUniqueOrThrow({ where: { key_windowStart: { key: created.key, windowStart: created.windowStart } } })).toEqual(created);
    },
    Shop: async () => {
      const shop = await newShop();
      expect(await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).toEqual(shop);
    },
    KlaviyoConnection: async () => {
      const shop = await newShop();
      const created = await db().klaviyoConnection.create({
        data: {
          shopId: shop.id, authMethod: "oauth", status: "needs_attention", statusDetail: "Reconnect",
          encryptedApiKey: "v1:a", encryptedAccessToken: "v1:b", encryptedRefreshToken: "v1:c",
          accessTokenExpiresAt: new Date(), scopes: ["events:write", "profiles:write"], accountId: "ABC123",
          accountName: "Acme", publicApiKey: "PUB123", leaseOwner: "instance-1", leaseExpiresAt: new Date(), pausedUntil: new Date(),
        },
      });
      expect(await db().klaviyoConnection.findUniqueOrThrow({ where: { id: created.id } })).toEqual(created);
    },
    KlaviyoOAuthAttempt: async () => {
      const created = await db().klaviyoOAuthAttempt.create({ data: { state: randomUUID(), shopDomain: "s.myshopify.com", codeVerifier: "v" } });
      expect(await db().klaviyoOAuthAttempt.findUniqueOrThrow({ where: { state: created.state } })).toEqual(created);
    },
    Shopper: async () => {
      const shopper = await newShopper();
      expect(await db().shopper.findUniqueOrThrow({ where: { id: shopper.id } })).toEqual(shopper);
    },
    Conversation: async () => {
      const conversation = await newConversation();
      expect(await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toEqual(conversation);
    },
    ShopChannelSettings: async () => {
      const shop = await newShop();
      const created = await db().shopChannelSettings.create({
        data: {
          shopId: shop.id, twilioAccountSid: "AC0123456789abcdef0123456789abcdef", encryptedTwilioAuthToken: "v1:a:b:c",
          smsNumber: "+14155550100", whatsappNumber: "+14155550101", emailInboundToken: randomUUID(), emailFromAddress: "help@shop.example",
          smtpHost: "smtp.shop.example", smtpPort: 587, smtpUser: "mailer", encryptedSmtpPassword: "v1:d:e:f",
        },
      });
      expect(await db().shopChannelSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(created);
    },
    ChannelMessage: async () => {
      const conversation = await newConversation();
      const created = await db().channelMessage.create({
        data: {
          shopId: conversation.shopId, conversationId: conversation.id, messageId: randomUUID(), part: 1, channel: "whatsapp",
          recipient: "+447700900123", body: "Here you go", details: { subject: "Re: order" }, status: "sent", attempts: 2,
          nextAttemptAt: new Date(), claimedBy: "instance-1", providerMessageId: "SM123", providerStatus: "delivered",
          lastError: "503 from Twilio", sentAt: new Date(),
        },
      });
      expect(await db().channelMessage.findUniqueOrThrow({ where: { id: created.id } })).toEqual(created);
    },
    EmailThreadMessage: async () => {
      const conversation = await newConversation();
      const created = await db().emailThreadMessage.create({
        data: {
          shopId: conversation.shopId, conversationId: conversation.id, messageId: randomUUID(), rfcMessageId: `<${randomUUID()}@mail.example>`,
          direction: "inbound", subject: "Tents for two?", references: ["<root@mail.example>", "<ours@shop.example>"], createdAt: new Date(),
        },
      });
      expect(await db().emailThreadMessage.findUniqueOrThrow({ where: { id: created.id } })).toEqual(created);
    },
    ChannelOptOut: async () => {
      const shop = await newShop();
      const created = await db().channelOptOut.create({ data: { shopId: shop.id, channel: "sms", address: "+14155550123", optedOutAt: new Date() } });
      expect(await db().channelOptOut.findUniqueOrThrow({ where: { shopId_channel_address: { shopId: shop.id, channel: "sms", address: created.address } } })).toEqual(created);
    },
    ChannelReceipt: async () => {
      const shop = await newShop();
      const created = await db().channelReceipt.create({ data: { shopId: shop.id, providerMessageId: `SM${randomUUID().replaceAll("-", "")}`, channel: "whatsapp", receivedAt: new Date() } });
      expect(await db().channelReceipt.findUniqueOrThrow({ where: { shopId_providerMessageId: { shopId: shop.id, providerMessageId: created.providerMessageId } } })).toEqual(created);
    },
    Message: async () => {
      const conversation = await newConversation();
      const question = await db().message.create({ data: { conversationId: conversation.id, author: "shopper", body: "Hi 👋" } });
      const message = await db().message.create({
        data: {
          conversationId: conversation.id, author: "agent", body: "Try the Alpine Tee ($24.00): https://x/products/tee",
          skill: "product-recommendations", intent: "product-search", tags: ["product:t-shirts"],
          parts: [{ type: "quick-replies", replies: [{ label: "Yes, that helped", action: "confirm-resolved" }] }], replyToId: question.id,
        },
      });
      expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toEqual(message);
    },
    EscalationRule: async () => {
      const shop = await newShop();
      const rule = await db().escalationRule.create({
        data: { shopId: shop.id, name: "Refunds", condition: { kind: "intents", intents: ["refund"] }, enabled: false, position: 3 },
      });
      expect(await db().escalationRule.findUniqueOrThrow({ where: { id: rule.id } })).toEqual(rule);
    },
    ProductRecommendation: async () => {
      const conversation = await newConversation();
      const recommendation = await db().productRecommendation.create({
        data: {
          shopId: conversation.shopId, conversationId: conversation.id, shopperId: conversation.shopperId,
          products: [{ id: "gid://shopify/Product/1", title: "Tee", sku: "TEE-1", price: "20.00" }],
          windowHours: 48, outcome: "purchased", settledAt: new Date(), purchaseOrderId: randomUUID(),
        },
      });
      expect(await db().productRecommendation.findUniqueOrThrow({ where: { id: recommendation.id } })).toEqual(recommendation);
    },
    KlaviyoEvent: async () => {
      const conversation = await newConversation();
      const event = await db().klaviyoEvent.create({
        data: {
          kind: "profile", profileKey: "email:ada@example.com",
          shopId: conversation.shopId, conversationId: conversation.id, metric: "Started Conversation", uniqueId: randomUUID(),
          occurredAt: new Date(), payload: { properties: { "Conversation ID": conversation.id } }, status: "failed",
          attempts: 3, nextAttemptAt: new Date(), lastError: "invalid", lastStatusCode: 400, deliveredAt: new Date(),
        },
      });
      expect(await db().klaviyoEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
    },
    WebhookDelivery: async () => {
      const delivery = await db().webhookDelivery.create({
        data: {
          shopDomain: "s.myshopify.com", webhookId: randomUUID(), topic: "ORDERS_CREATE", apiVersion: "2026-10",
          triggeredAt: new Date(), payload: { id: 1 }, status: "failed", attempts: 2, error: "boom", result: { ok: true }, processedAt: new Date(),
          // Due in an hour, so the running app's webhook worker does not claim the row between the write and the read.
          nextAttemptAt: new Date(Date.now() + 3_600_000),
        },
      });
      expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toEqual(delivery);
    },
    Product: async () => {
      const product = await newProduct();
      expect(await db().product.findUniqueOrThrow({ where: { id: product.id } })).toEqual(product);
    },
    ProductVariant: async () => {
      const product = await newProduct();
      const variant = await db().productVariant.create({
        data: {
          productId: product.id, shopifyId: "gid://shopify/ProductVariant/1", title: "M / Black", sku: "TEE-BLK-M", price: "19.99",
          compareAtPrice: "24.99", inventory: 5, inventoryPolicy: "continue", position: 2, optionValues: ["M", "Black"],
        },
      });
      expect(await db().productVariant.findUniqueOrThrow({ where: { id: variant.id } })).toEqual(variant);
    },
    SearchSynonym: async () => {
      const shop = await newShop();
      const synonym = await db().searchSynonym.create({ data: { shopId: shop.id, term: "pullover", synonyms: ["hoodie", "sweatshirt"] } });
      expect(await db().searchSynonym.findUniqueOrThrow({ where: { id: synonym.id } })).toEqual(synonym);
    },
    SearchTerm: async () => {
      const shop = await newShop();
      const term = await db().searchTerm.create({ data: { shopId: shop.id, scope: "catalog", term: "hoodie" } });
      expect(await db().searchTerm.findUniqueOrThrow({ where: { shopId_scope_term: term } })).toEqual(term);
    },
    ShopPolicy: async () => {
      const shop = await newShop();
      const policy = await db().shopPolicy.create({
        data: { shopId: shop.id, shopifyId: "gid://shopify/ShopPolicy/1", type: "refund", title: "Refund policy", body: "30 days.", url: "https://s/policies/refund-policy", syncedAt: new Date() },
      });
      expect(await db().shopPolicy.findUniqueOrThrow({ where: { id: policy.id } })).toEqual(policy);
    },
    ShopPolicyPassage: async () => {
      const shop = await newShop();
      const policy = await db().shopPolicy.create({ data: { shopId: shop.id, shopifyId: "gid://shopify/ShopPolicy/2", type: "shipping", title: "Shipping policy", body: "Fast.", url: null, syncedAt: new Date() } });
      const passage = await db().shopPolicyPassage.create({ data: { shopId: shop.id, policyId: policy.id, position: 1, heading: "Rates", text: "Free over $75.", policyTitle: policy.title } });
      expect(await db().shopPolicyPassage.findUniqueOrThrow({ where: { id: passage.id } })).toEqual(passage);
    },
    FaqEntry: async () => {
      const shop = await newShop();
      const entry = await db().faqEntry.create({ data: { shopId: shop.id, question: "Gift wrap?", answer: "Yes, $5.", position: 1, enabled: false } });
      expect(await db().faqEntry.findUniqueOrThrow({ where: { id: entry.id } })).toEqual(entry);
    },
    Order: async () => {
      const conversation = await newConversation();
      const order = await db().order.create({
        data: {
          shopId: conversation.shopId, shopifyId: "1001", name: "#1001", number: 1001, shopifyCustomerId: "7", email: "a@example.com", phone: "+15145550100",
          totalPrice: "129.50", subtotalPrice: "120.00", totalTax: "14.50", totalDiscounts: "5.00", currencyCode: "CAD", financialStatus: "paid",
          lineItems: [{ sku: "TEE-1", quantity: 2 }], placedAt: new Date(), cancelledAt: new Date(), cancelReason: "customer",
          refunds: { "9001": "10.00" }, refundedAmount: "10.00", cartConversationId: conversation.id, shopperId: conversation.shopperId,
          linkedBy: "cart_attribute", conversationId: conversation.id, containsRecommendedProduct: true, shopifyUpdatedAt: new Date(),
        },
      });
      expect(await db().order.findUniqueOrThrow({ where: { id: order.id } })).toEqual(order);
    },
    CardInteraction: async () => {
      const conversation = await newConversation();
      const interaction = await db().cardInteraction.create({
        data: { shopId: conversation.shopId, conversationId: conversation.id, productId: "gid://shopify/Product/1", kind: "add_to_cart", createdAt: new Date("2026-12-01T10:00:00Z") },
      });
      expect(await db().cardInteraction.findUniqueOrThrow({ where: { id: interaction.id } })).toEqual(interaction);
    },
    KlaviyoResource: async () => {
      const shop = await newShop();
      const resource = await db().klaviyoResource.create({
        data: { shopId: shop.id, accountId: "ABC123", key: "segment:escalated", kind: "segment", name: "Escalated", klaviyoId: "XyZ12" },
      });
      expect(await db().klaviyoResource.findUniqueOrThrow({ where: { id: resource.id } })).toEqual(resource);
    },
  };

  it("has a round trip for every model", () => {
    expect(Object.keys(roundTrips).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  for (const [model, roundTrip] of Object.entries(roundTrips)) {
    it(`round-trips ${model}`, roundTrip);
  }
});

async function newShop() {
  return db().shop.create({
    data: {
      domain: `${randomUUID()}.myshopify.com`, name: "Shop", email: "owner@example.com", currencyCode: "EUR", countryCode: "FR",
      uninstalledAt: new Date(), settings: { widget: { accent: "#123456" } }, onboardingDoneAt: new Date(),
    },
  });
}

async function newShopper() {
  const shop = await newShop();
  return db().shopper.create({
    data: {
      shopId: shop.id, anonymousId: randomUUID(), shopifyCustomerId: "42", email: "ada@example.com", phone: "+447700900123",
      klaviyoExchangeId: "kx", marketingConsent: true, analyticsConsent: false,
    },
  });
}

async function newConversation() {
  const shopper = await newShopper();
  return db().conversation.create({
    data: {
      shopId: shopper.shopId, shopperId: shopper.id, channel: "whatsapp", status: "escalated", skill: "returns",
      tags: ["vip", "refund"], escalationReason: "shopper-requested", escalatedAt: new Date(), resolvedAt: new Date(),
      reopenedAt: new Date(), agentMemory: { language: "fr", failedProofs: 2 }, channelAddress: "+447700900123",
    },
  });
}

async function newProduct() {
  const shop = await newShop();
  return db().product.create({
    data: {
      shopId: shop.id, shopifyId: `gid://shopify/Product/${randomUUID()}`, handle: "tee", title: "Tee", description: "Soft",
      vendor: "Acme", productType: "Shirts", tags: ["cotton"], status: "draft", publishedAt: new Date(),
      onlineStoreUrl: "https://s.myshopify.com/products/tee", imageUrl: "https://x/y.png", priceMin: "10.00", priceMax: "12.50",
      options: [{ name: "Size", values: ["S", "M"] }], variantOptionValues: ["S", "M"], variantSkus: ["TEE-S", "TEE-M"],
      shopifyUpdatedAt: new Date(),
    },
  });
}
