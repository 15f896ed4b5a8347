import { describe, expect, it } from "vitest";
import { buildKlaviyoEvent, MAX_FIRST_MESSAGE_LENGTH, MAX_RECOMMENDED_PRODUCTS, METRICS, type ConversationFact, type RecommendedProduct, type ShopperIdentity } from "./events";

const occurredAt = new Date("2026-11-24T10:15:00.000Z");
const base = { conversationId: "conv-1", channel: "web_chat" as const, occurredAt };

const identities: Record<string, ShopperIdentity> = {
  email: { anonymousId: "anon-1", email: "ada@example.com" },
  phone: { anonymousId: "anon-1", phone: "+15145550100" },
  "Shopify customer id": { anonymousId: "anon-1", shopifyCustomerId: "7001" },
  "Klaviyo exchange id": { anonymousId: "anon-1", klaviyoExchangeId: "01KXEXCH" },
  "anonymous id only": { anonymousId: "anon-1" },
};

const tee: RecommendedProduct = {
  id: "8000000001",
  title: "Alpine Tee",
  sku: "TEE-ALP-M",
  url: "https://shop.example/products/alpine-tee",
  imageUrl: "https://cdn.example/tee.png",
  price: "22.00",
};

const facts: Record<keyof typeof METRICS, (shopper: ShopperIdentity) => ConversationFact> = {
  started: (shopper) => ({ ...base, shopper, kind: "started", firstMessage: "Do you ship to Canada?" }),
  resolved: (shopper) => ({ ...base, shopper, kind: "resolved", skill: "shipping", tags: ["canada"], resolutionTimeSeconds: 95 }),
  escalated: (shopper) => ({ ...base, shopper, kind: "escalated", reason: "shopper-requested", skill: "returns", tags: ["refund"] }),
  recommended: (shopper) => ({
    ...base,
    shopper,
    kind: "recommended",
    recommendationId: "rec-1",
    products: [tee, { ...tee, id: "8000000002", title: "Gift card", sku: null, imageUrl: null, price: "50.00" }],
  }),
  not_purchased: (shopper) => ({
    ...base,
    shopper,
    kind: "not_purchased",
    recommendationId: "rec-1",
    products: [tee],
    recommendedAt: new Date("2026-11-23T10:15:00.000Z"),
    windowHours: 24,
  }),
};

describe("Klaviyo event builder", () => {
  for (const [kind, fact] of Object.entries(facts)) {
    for (const [identifier, shopper] of Object.entries(identities)) {
      it(`${METRICS[kind as keyof typeof METRICS]} for a shopper known by ${identifier}`, () => {
        expect(buildKlaviyoEvent(fact(shopper))).toMatchSnapshot();
      });
    }
  }

  it("uses exactly the metric names and property keys merchants' flows and segments rely on", () => {
    const keys = (kind: keyof typeof METRICS) => Object.keys(buildKlaviyoEvent(facts[kind](identities.email!)).attributes.properties).sort();
    expect(keys("started")).toEqual(["Channel", "Conversation ID", "First Message"]);
    expect(keys("resolved")).toEqual(["Channel", "Conversation ID", "Resolution Time Seconds", "Skill", "Tags"]);
    expect(keys("escalated")).toEqual(["Channel", "Conversation ID", "Escalation Reason", "Skill", "Tags"]);
    expect(keys("recommended")).toEqual(["Channel", "Conversation ID", "Product IDs", "Products", "SKUs"]);
    expect(keys("not_purchased")).toEqual(["Channel", "Conversation ID", "Product IDs", "Products", "Recommended At", "SKUs", "Window Hours"]);
    expect(METRICS).toEqual({
      started: "Started Conversation",
      resolved: "Conversation Resolved",
      escalated: "Conversation Escalated",
      recommended: "Received Product Recommendation",
      not_purchased: "Recommendation Not Purchased",
    });
  });

  it("labels each channel as Klaviyo segments expect", () => {
    const channelOf = (channel: ConversationFact["channel"]) => buildKlaviyoEvent({ ...facts.started(identities.email!), channel }).attributes.properties.Channel;
    expect([channelOf("web_chat"), channelOf("email"), channelOf("sms"), channelOf("whatsapp")]).toEqual(["web chat", "email", "SMS", "WhatsApp"]);
  });

  it("sends every identifier known with the anonymous id, so Klaviyo folds the visitor's earlier events into one profile", () => {
    const event = buildKlaviyoEvent(facts.started({ anonymousId: "a", email: "ada@example.com", phone: "+447911123456", shopifyCustomerId: "42", klaviyoExchangeId: "KX" }));
    expect(event.attributes.profile.data.attributes).toEqual({ email: "ada@example.com", phone_number: "+447911123456", external_id: "42", _kx: "KX", anonymous_id: "a" });
  });

  it("identifies an email, SMS or WhatsApp shopper, who has no anonymous id, by what the channel gave", () => {
    const event = buildKlaviyoEvent({ ...facts.started({ phone: "+15145550100" }), channel: "sms" });
    expect(event.attributes.profile.data.attributes).toEqual({ phone_number: "+15145550100" });
  });

  it("normalises a phone to E.164 when it can, and leaves it out (rather than fail the event) when it cannot", () => {
    const phoneOf = (phone: string) => buildKlaviyoEvent(facts.started({ anonymousId: "a", phone })).attributes.profile.data.attributes;
    expect(phoneOf("+1 (514) 555-0100")).toEqual({ phone_number: "+15145550100", anonymous_id: "a" });
    expect(phoneOf("0044 7911 123456")).toEqual({ phone_number: "+447911123456", anonymous_id: "a" });
    expect(phoneOf("514-555-0100")).toEqual({ anonymous_id: "a" });
    expect(phoneOf("+0 555")).toEqual({ anonymous_id: "a" });
    expect(buildKlaviyoEvent(facts.started({ anonymousId: "a", email: "not an email" })).attributes.profile.data.attributes).toEqual({ anonymous_id: "a" });
  });

  it("gives the same fact the same unique_id, and a later resolution or escalation of the same conversation a new one", () => {
    const shopper = identities.email!;
    for (const kind of ["resolved", "escalated"] as const) {
      const first = buildKlaviyoEvent(facts[kind](shopper));
      expect(buildKlaviyoEvent(facts[kind](shopper)).uniqueId).toBe(first.uniqueId);
      const later = buildKlaviyoEvent({ ...facts[kind](shopper), occurredAt: new Date(occurredAt.getTime() + 60_000) });
      expect(later.uniqueId).not.toBe(first.uniqueId);
    }
    expect(buildKlaviyoEvent(facts.started(shopper)).uniqueId).toBe("ca:conv-1:started");
    expect(buildKlaviyoEvent(facts.recommended(shopper)).uniqueId).toBe("ca:rec-1:recommended");
  });

  it("keeps a long first message and a long product list within Klaviyo's limits", () => {
    const longMessage = buildKlaviyoEvent({ ...base, kind: "started", firstMessage: `${"x".repeat(MAX_FIRST_MESSAGE_LENGTH - 1)}😀 and more`, shopper: identities.email! });
    expect(Array.from(String(longMessage.attributes.properties["First Message"]))).toHaveLength(MAX_FIRST_MESSAGE_LENGTH);
    expect(String(longMessage.attributes.properties["First Message"]).endsWith("😀")).toBe(true);

    const products = Array.from({ length: 50 }, (_, index) => ({ ...tee, id: String(index), sku: `SKU-${index}` }));
    const manyProducts = buildKlaviyoEvent({ ...base, kind: "recommended", recommendationId: "rec-2", products, shopper: identities.email! });
    expect(manyProducts.attributes.properties.Products).toHaveLength(MAX_RECOMMENDED_PRODUCTS);
    expect(manyProducts.attributes.properties["Product IDs"]).toHaveLength(MAX_RECOMMENDED_PRODUCTS);
  });
});
