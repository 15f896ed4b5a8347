import { z } from "zod";

export const LANGUAGES = ["en", "fr", "es", "de"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * What a shopper message is about. The first group routes to a skill; the second are the intents merchants
 * escalate on (escalation rules name them); the rest shape the conversation (resolution, greetings).
 */
export const INTENTS = [
  "product-search",
  "product-refine",
  "order-status",
  "returns",
  "shipping",
  "store-info",
  "handoff",
  "refund",
  "cancellation",
  "complaint",
  "damaged-item",
  "legal-threat",
  "chargeback",
  "thanks",
  "greeting",
  "unknown",
] as const;
export type Intent = (typeof INTENTS)[number];

/** The intents an escalation rule may name: each means a person should handle the conversation. */
export const ESCALATION_INTENTS = ["refund", "cancellation", "complaint", "damaged-item", "legal-threat", "chargeback"] as const;
export type EscalationIntent = (typeof ESCALATION_INTENTS)[number];

export const SKILL_NAMES = ["product-recommendations", "order-status", "store-knowledge", "handoff"] as const;
export type SkillName = (typeof SKILL_NAMES)[number];

export interface PriceFilter {
  minPrice?: number;
  maxPrice?: number;
}

/** What the built-in language understanding reads from one message; the engine checks rules against it. */
export interface Understanding {
  language: Language;
  intent: Intent;
  confidence: number;
  /** Every intent with a meaningful score, strongest first: a rule on "refund" fires even when "handoff" wins. */
  intents: Intent[];
  /** Negative below zero; from the language's sentiment lexicon. */
  sentiment: number;
  entities: {
    orderNumber?: string;
    email?: string;
    phone?: string;
    price: PriceFilter;
    cheaper: boolean;
    /** Option values named in the message, as the catalog spells them ("Navy", "M"). */
    options: string[];
    /** The product words, translated to the catalog's language, without filler ("rain jacket"). */
    productText: string;
  };
}

const productCard = z.object({
  type: z.literal("product"),
  productId: z.string(),
  title: z.string(),
  url: z.string(),
  imageUrl: z.string().nullable(),
  price: z.string(),
  compareAtPrice: z.string().nullable(),
  currencyCode: z.string(),
  variantId: z.string().nullable(),
});
const orderCard = z.object({
  type: z.literal("order"),
  name: z.string(),
  placedAt: z.string(),
  financialStatus: z.string().nullable(),
  fulfillmentStatus: z.string().nullable(),
  totalPrice: z.string(),
  currencyCode: z.string(),
  lineItems: z.array(z.object({ title: z.string(), quantity: z.number(), sku: z.string().nullable() })),
  tracking: z.array(z.object({ company: z.string().nullable(), number: z.string().nullable(), url: z.string().nullable() })),
  statusUrl: z.string().nullable(),
});
const knowledgeLink = z.object({ type: z.literal("link"), title: z.string(), url: z.string() });
/** `action` tells the agent what a press means whatever the label's language. */
export const QUICK_REPLY_ACTIONS = ["confirm-resolved", "handoff"] as const;
const quickReplies = z.object({
  type: z.literal("quick-replies"),
  replies: z.array(z.object({ label: z.string(), action: z.enum(QUICK_REPLY_ACTIONS) })),
});

/** Structured parts of an agent message; the text always says the same thing on its own. */
export const messagePart = z.discriminatedUnion("type", [productCard, orderCard, knowledgeLink, quickReplies]);
export type MessagePart = z.infer<typeof messagePart>;
export type ProductCardPart = z.infer<typeof productCard>;
export type OrderCardPart = z.infer<typeof orderCard>;
export type QuickReplyAction = (typeof QUICK_REPLY_ACTIONS)[number];

/** A successful answer ends with "Did that help?": the shopper can confirm, or the quiet time resolves it. */
export function asksForConfirmation(parts: unknown): boolean {
  return Array.isArray(parts) && parts.some((part) => part?.type === "quick-replies" && part.replies?.some((reply: { action?: string }) => reply.action === "confirm-resolved"));
}
