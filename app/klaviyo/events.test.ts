import { describe, expect, it } from "vitest";
import { buildKlaviyoEvent, type ConversationFact, type ShopperIdentity } from "./events";

const occurredAt = new Date("2026-11-24T10:15:00.000Z");
const base = { conversationId: "conv-1", channel: "web_chat" as const, occurredAt };

const identities: Record<string, { shopper: ShopperIdentity; profile: Record<string, string> }> = {
  email: { shopper: { anonymousId: "anon-1", email: "ada@example.com" }, profile: { email: "ada@example.com" } },
  phone: { shopper: { anonymousId: "anon-1", phone: "+15145550100" }, profile: { phone_number: "+15145550100" } },
  "Shopify customer": { shopper: { anonymousId: "anon-1", shopifyCustomerId: "7001" }, profile: { external_id: "7001" } },
  "Klaviyo exchange id": { shopper: { anonymousId: "anon-1", klaviyoExchangeId: "01KXEXCH" }, profile: { _kx: "01KXEXCH" } },
  "anonymous only": { shopper: { anonymousId: "anon-1" }, profile: { anonymous_id: "anon-1" } },
};

const facts: Record<string, (shopper: ShopperIdentity) => ConversationFact> = {
  "Started Conversation": (shopper) => ({ ...base, shopper, kind: "started", firstMessage: "Do you ship to Canada?" }),
  "Conversation Resolved": (shopper) => ({ ...base, shopper, kind: "resolved", skill: "shipping", tags: ["canada"], resolutionTimeSeconds: 95 }),
  "Conversation Escalated": (shopper) => ({ ...base, shopper, kind: "escalated", reason: "shopper-requested", skill: "returns", tags: ["refund"] }),
  "Received Product Recommendation": (shopper) => ({
    ...base,
    shopper,
    kind: "recommended",
    recommendationId: "rec-1",
    products: [{ id: "8000000001", title: "Alpine Tee", sku: "TEE-ALP-M", url: "https://shop.example/products/alpine-tee", imageUrl: "https://cdn.example/tee.png", price: "22.00" }],
  }),
};

describe("Klaviyo event builder", () => {
  it("builds each event with exactly the metric name and property keys merchants' flows rely on", () => {
    const shopper = identities.email!.shopper;
    expect(buildKlaviyoEvent(facts["Started Conversation"]!(shopper)).attributes.properties).toEqual({
      "Conversation ID": "conv-1",
      Channel: "web chat",
      "First Message": "Do you ship to Canada?",
    });
    expect(buildKlaviyoEvent(facts["Conversation Resolved"]!(shopper)).attributes.properties).toEqual({
      "Conversation ID": "conv-1",
      Channel: "web chat",
      Skill: "shipping",
      Tags: ["canada"],
      "Resolution Time Seconds": 95,
    });
    expect(buildKlaviyoEvent(facts["Conversation Escalated"]!(shopper)).attributes.properties).toEqual({
      "Conversation ID": "conv-1",
      Channel: "web chat",
      "Escalation Reason": "shopper-requested",
      Skill: "returns",
      Tags: ["refund"],
    });
    expect(buildKlaviyoEvent(facts["Received Product Recommendation"]!(shopper)).attributes.properties).toEqual({
      "Conversation ID": "conv-1",
      Channel: "web chat",
      "Product IDs": ["8000000001"],
      SKUs: ["TEE-ALP-M"],
      Products: [{ id: "8000000001", title: "Alpine Tee", sku: "TEE-ALP-M", url: "https://shop.example/products/alpine-tee", image_url: "https://cdn.example/tee.png", price: "22.00" }],
    });
  });

  for (const [metric, fact] of Object.entries(facts)) {
    for (const [kind, { shopper, profile }] of Object.entries(identities)) {
      it(`${metric} for a shopper known by ${kind}: JSON:API shape, profile, event time`, () => {
        const event = buildKlaviyoEvent(fact(shopper));
        expect(event.metric).toBe(metric);
        expect(event.attributes.metric).toEqual({ data: { type: "metric", attributes: { name: metric } } });
        expect(event.attributes.profile).toEqual({ data: { type: "profile", attributes: profile } });
        expect(event.attributes.time).toBe("2026-11-24T10:15:00.000Z");
        expect(event.attributes.unique_id).toBe(event.uniqueId);
      });
    }
  }

  it("sends every identifier known, and the channel's Klaviyo label", () => {
    const event = buildKlaviyoEvent({
      ...facts["Started Conversation"]!({ anonymousId: "a", email: "ada@example.com", phone: "+447700900123", shopifyCustomerId: "42", klaviyoExchangeId: "KX" }),
      channel: "whatsapp",
    });
    expect(event.attributes.profile.data.attributes).toEqual({ email: "ada@example.com", phone_number: "+447700900123", external_id: "42", _kx: "KX" });
    expect(event.attributes.properties.Channel).toBe("WhatsApp");
    expect(buildKlaviyoEvent({ ...facts["Started Conversation"]!({ anonymousId: "a" }), channel: "sms" }).attributes.properties.Channel).toBe("SMS");
  });

  it("gives the same fact the same unique_id, and a later resolution of the same conversation a new one", () => {
    const shopper = identities.email!.shopper;
    const first = buildKlaviyoEvent(facts["Conversation Resolved"]!(shopper));
    expect(buildKlaviyoEvent(facts["Conversation Resolved"]!(shopper)).uniqueId).toBe(first.uniqueId);
    const later = buildKlaviyoEvent({ ...facts["Conversation Resolved"]!(shopper), occurredAt: new Date(occurredAt.getTime() + 60_000) });
    expect(later.uniqueId).not.toBe(first.uniqueId);
    expect(buildKlaviyoEvent(facts["Started Conversation"]!(shopper)).uniqueId).toBe("ca:conv-1:started");
  });

  it("keeps a long first message within Klaviyo's limits and leaves out a phone that is not E.164", () => {
    const event = buildKlaviyoEvent({ ...base, kind: "started", firstMessage: "x".repeat(5000), shopper: { anonymousId: "a", phone: "555-0100" } });
    expect(String(event.attributes.properties["First Message"])).toHaveLength(1000);
    expect(event.attributes.profile.data.attributes).toEqual({ anonymous_id: "a" });
  });
});
