import type { KlaviyoEventAttributes, KlaviyoProfileIdentifiers } from "./client.server";

/** Metric names and property keys are a contract: merchants' flows and segments are built on them. */
export const METRICS = {
  started: "Started Conversation",
  resolved: "Conversation Resolved",
  escalated: "Conversation Escalated",
  recommended: "Received Product Recommendation",
  not_purchased: "Recommendation Not Purchased",
} as const;

export type ChannelName = "web_chat" | "email" | "sms" | "whatsapp";

const CHANNEL_LABELS: Record<ChannelName, string> = {
  web_chat: "web chat",
  email: "email",
  sms: "SMS",
  whatsapp: "WhatsApp",
};

export const MAX_FIRST_MESSAGE_LENGTH = 1000;
export const MAX_RECOMMENDED_PRODUCTS = 20;

export interface ShopperIdentity {
  anonymousId: string;
  email?: string | null;
  phone?: string | null;
  shopifyCustomerId?: string | null;
  klaviyoExchangeId?: string | null;
}

export interface RecommendedProduct {
  id: string;
  title: string;
  sku: string | null;
  url: string;
  imageUrl: string | null;
  price: string;
}

interface FactBase {
  conversationId: string;
  channel: ChannelName;
  occurredAt: Date;
  shopper: ShopperIdentity;
}

export type ConversationFact =
  | (FactBase & { kind: "started"; firstMessage: string })
  | (FactBase & { kind: "resolved"; skill: string | null; tags: string[]; resolutionTimeSeconds: number })
  | (FactBase & { kind: "escalated"; reason: string; skill: string | null; tags: string[] })
  | (FactBase & { kind: "recommended"; recommendationId: string; products: RecommendedProduct[] })
  /** The window after a recommendation passed without an order; occurredAt is when it closed. */
  | (FactBase & { kind: "not_purchased"; recommendationId: string; products: RecommendedProduct[]; recommendedAt: Date; windowHours: number });

export interface BuiltKlaviyoEvent {
  metric: string;
  uniqueId: string;
  occurredAt: Date;
  attributes: KlaviyoEventAttributes;
}

/**
 * A phone number as E.164 when it can be read as one ("+1 (514) 555-0100", "0044 7700 900123"), else null:
 * Klaviyo rejects the whole event for a malformed phone_number, and without a country code we cannot guess one.
 */
function toE164(phone: string): string | null {
  const compact = phone.trim().replace(/[\s().\-/]/g, "").replace(/^00/, "+");
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : null;
}

function plausibleEmail(email: string): string | null {
  const trimmed = email.trim();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? trimmed : null;
}

/** Every identifier we know that Klaviyo can resolve a profile by (anonymous_id aside). */
export function knownProfileIdentifiers(shopper: ShopperIdentity): Omit<KlaviyoProfileIdentifiers, "anonymous_id"> {
  const attributes: KlaviyoProfileIdentifiers = {};
  const email = shopper.email ? plausibleEmail(shopper.email) : null;
  const phone = shopper.phone ? toE164(shopper.phone) : null;
  if (email) attributes.email = email;
  if (phone) attributes.phone_number = phone;
  if (shopper.shopifyCustomerId) attributes.external_id = shopper.shopifyCustomerId;
  if (shopper.klaviyoExchangeId) attributes._kx = shopper.klaviyoExchangeId;
  return attributes;
}

/** Every identifier we know, so Klaviyo merges the event into the right profile; anonymous_id when nothing else. */
function profileAttributes(shopper: ShopperIdentity): KlaviyoProfileIdentifiers {
  const attributes: KlaviyoProfileIdentifiers = knownProfileIdentifiers(shopper);
  if (Object.keys(attributes).length === 0) attributes.anonymous_id = shopper.anonymousId;
  return attributes;
}

function recommendedProducts(products: RecommendedProduct[]) {
  const shown = products.slice(0, MAX_RECOMMENDED_PRODUCTS);
  return {
    "Product IDs": shown.map((product) => product.id),
    SKUs: shown.map((product) => product.sku).filter((sku): sku is string => Boolean(sku)),
    Products: shown.map((product) => ({
      id: product.id,
      title: product.title,
      sku: product.sku,
      url: product.url,
      image_url: product.imageUrl,
      price: product.price,
    })),
  };
}

function properties(fact: ConversationFact): Record<string, unknown> {
  const common = { "Conversation ID": fact.conversationId, Channel: CHANNEL_LABELS[fact.channel] };
  switch (fact.kind) {
    case "started":
      // By code point, so a cut never leaves half an emoji (a lone surrogate) in the JSON.
      return { ...common, "First Message": Array.from(fact.firstMessage).slice(0, MAX_FIRST_MESSAGE_LENGTH).join("") };
    case "resolved":
      return { ...common, Skill: fact.skill, Tags: fact.tags, "Resolution Time Seconds": fact.resolutionTimeSeconds };
    case "escalated":
      return { ...common, "Escalation Reason": fact.reason, Skill: fact.skill, Tags: fact.tags };
    case "recommended":
      return { ...common, ...recommendedProducts(fact.products) };
    case "not_purchased":
      return { ...common, ...recommendedProducts(fact.products), "Recommended At": fact.recommendedAt.toISOString(), "Window Hours": fact.windowHours };
  }
}

/**
 * The same fact always yields the same unique_id, so a redelivery after a crash or timeout is recognised by
 * Klaviyo instead of counted twice. A conversation can be resolved or escalated again after reopening, so those
 * ids carry the moment; a start happens once per conversation; a recommendation has its own id.
 */
function uniqueIdOf(fact: ConversationFact): string {
  switch (fact.kind) {
    case "started":
      return `ca:${fact.conversationId}:started`;
    case "resolved":
    case "escalated":
      return `ca:${fact.conversationId}:${fact.kind}:${fact.occurredAt.getTime()}`;
    case "recommended":
      return `ca:${fact.recommendationId}:recommended`;
    case "not_purchased":
      return `ca:${fact.recommendationId}:not-purchased`;
  }
}

export function buildKlaviyoEvent(fact: ConversationFact): BuiltKlaviyoEvent {
  const metric = METRICS[fact.kind];
  const uniqueId = uniqueIdOf(fact);
  return {
    metric,
    uniqueId,
    occurredAt: fact.occurredAt,
    attributes: {
      properties: properties(fact),
      time: fact.occurredAt.toISOString(),
      unique_id: uniqueId,
      metric: { data: { type: "metric", attributes: { name: metric } } },
      profile: { data: { type: "profile", attributes: profileAttributes(fact.shopper) } },
    },
  };
}
