import { normalizeEmail, normalizePhone } from "../identity/normalize";
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
  /** The storefront's anonymous id; email, SMS and WhatsApp shoppers have none. */
  anonymousId?: string | null;
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

/** Every identifier we know that Klaviyo can resolve a profile by (anonymous_id aside). */
export function knownProfileIdentifiers(shopper: ShopperIdentity): Omit<KlaviyoProfileIdentifiers, "anonymous_id"> {
  const attributes: KlaviyoProfileIdentifiers = {};
  const email = normalizeEmail(shopper.email);
  const phone = normalizePhone(shopper.phone);
  if (email) attributes.email = email;
  if (phone) attributes.phone_number = phone;
  if (shopper.shopifyCustomerId) attributes.external_id = shopper.shopifyCustomerId;
  if (shopper.klaviyoExchangeId) attributes._kx = shopper.klaviyoExchangeId;
  return attributes;
}

/**
 * Every identifier we know, so Klaviyo merges the event into the right profile. The anonymous id goes along with
 * the identifiers learnt later: Klaviyo then folds the profile it made for the anonymous visitor's first events into
 * the identified one instead of keeping two.
 */
function profileAttributes(shopper: ShopperIdentity): KlaviyoProfileIdentifiers {
  return { ...knownProfileIdentifiers(shopper), ...(shopper.anonymousId ? { anonymous_id: shopper.anonymousId } : {}) };
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
