import type { Channel, ConversationStatus, Prisma } from "@prisma/client";
import { db } from "../db.server";
import { buildKlaviyoEvent, type ConversationFact, type RecommendedProduct } from "../klaviyo/events";
import { mirrorOrder } from "../orders/orders.server";

/**
 * A few weeks of conversations for the demo shop (and the admin's browser tests), so the dashboard shows trends on
 * first run: conversations on every channel, the agent's replies with their skill and product cards,
 * recommendations settled one way or the other, escalations with their reasons, staff replies, tags, card
 * interactions, a few Klaviyo events that Klaviyo refused (to retry), and orders placed after a recommendation. The
 * conversation rows are written as the app's modules leave them (the same columns and message parts); the orders go
 * through the app's own order mirror, so linking, attribution and recommendation outcomes are the app's.
 * Deterministic (a seeded generator), and written once per shop.
 */
const DEMO_HISTORY_PREFIX = "demo-history-";
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const TAGS = ["sizing", "returns", "shipping", "gift", "vip", "wholesale"];
const ESCALATION_REASONS = ["shopper-requested", "Refund request", "Damaged item", "Negative sentiment", "Order over $500"];
const KLAVIYO_REFUSALS = [
  { code: 400, error: "Invalid phone number format (Example of a valid format: +12345678901)" },
  { code: 400, error: "The email address is not valid" },
];

interface CardProduct extends RecommendedProduct {
  variantId: string | null;
}

/** mulberry32: the same history on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    chance: (probability: number) => next() < probability,
    between: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

async function cardProducts(shopId: string): Promise<CardProduct[]> {
  const products = await db().product.findMany({
    where: { shopId, status: "active" },
    orderBy: { title: "asc" },
    take: 24,
    include: { variants: { orderBy: { position: "asc" }, take: 1 } },
  });
  if (products.length > 0) {
    return products.map((product) => ({
      id: product.shopifyId.startsWith("gid://") ? product.shopifyId : `gid://shopify/Product/${product.shopifyId}`,
      title: product.title,
      sku: product.variants[0]?.sku ?? null,
      url: product.onlineStoreUrl ?? `/products/${product.handle}`,
      imageUrl: product.imageUrl,
      price: product.priceMin.toFixed(2),
      variantId: product.variants[0]?.shopifyId ?? null,
    }));
  }
  // A shop without a catalog (a test shop): a small made-up one.
  return ["Alpine Rain Shell", "Trail Runner", "Merino Beanie", "Summit Puffer", "Canvas Tote", "Harbor Fleece"].map((title, index) => ({
    id: `gid://shopify/Product/${8_100_000 + index}`,
    title,
    sku: `DEMO-${index + 1}`,
    url: `/products/${title.toLowerCase().replaceAll(" ", "-")}`,
    imageUrl: null,
    price: (39 + index * 22).toFixed(2),
    variantId: `gid://shopify/ProductVariant/${9_100_000 + index}`,
  }));
}

type Scenario = "products" | "order-status" | "store-knowledge" | "handoff";
const SCENARIOS: Record<Scenario, { intent: string; asks: string[]; answer: string; resolveChance: number; escalateChance: number }> = {
  products: { intent: "product-search", asks: ["I need a rain jacket for hiking", "Do you have a warm hat?", "Looking for a gift under $80", "Running shoes for trails?"], answer: "Here are a few picks:", resolveChance: 0.6, escalateChance: 0.05 },
  "order-status": { intent: "order-status", asks: ["Where is my order #1042?", "Has my parcel shipped?", "When will my order arrive?"], answer: "Your order is on its way; the tracking link is below.", resolveChance: 0.75, escalateChance: 0.15 },
  "store-knowledge": { intent: "returns", asks: ["What is your return policy?", "Do you ship to Canada?", "How long do refunds take?"], answer: "Our policy: returns within 30 days, free for exchanges.", resolveChance: 0.7, escalateChance: 0.1 },
  handoff: { intent: "complaint", asks: ["My jacket arrived torn, I want a refund", "This is the second late order, I am very unhappy", "Can I speak to a person?"], answer: "I am sorry about that. I am asking a person from our team to help you.", resolveChance: 0, escalateChance: 1 },
};
const SKILL_OF: Record<Scenario, string> = { products: "product-recommendations", "order-status": "order-status", "store-knowledge": "store-knowledge", handoff: "handoff" };
const CHANNELS: Array<[Channel, number]> = [["web_chat", 0.75], ["email", 0.15], ["sms", 0.07], ["whatsapp", 0.03]];

function channelFor(roll: number): Channel {
  let total = 0;
  for (const [channel, share] of CHANNELS) {
    total += share;
    if (roll < total) return channel;
  }
  return "web_chat";
}

async function hasDemoHistory(shopId: string) {
  return (await db().shopper.count({ where: { shopId, anonymousId: { startsWith: DEMO_HISTORY_PREFIX } } })) > 0;
}

/** Writes `days` days of history ending at `now`; a second call for the same shop writes nothing. */
export async function seedDemoHistory(shopId: string, options: { days?: number; now?: Date; seed?: number } = {}) {
  if (await hasDemoHistory(shopId)) return { conversations: 0, orders: 0 };
  const days = options.days ?? 28;
  const now = options.now ?? new Date();
  const random = generator(options.seed ?? 20261203);
  const products = await cardProducts(shopId);
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { currencyCode: true } });
  let conversations = 0;
  let orders = 0;
  let failedEvents = 0;

  for (let day = days - 1; day >= 0; day--) {
    // A gentle upward trend with a weekly rhythm.
    const perDay = Math.max(1, Math.round(3 + (days - day) * 0.25 + random.between(-1, 2)));
    for (let n = 0; n < perDay; n++) {
      const startedAt = new Date(now.getTime() - day * DAY_MS - random.between(30, 22 * 60) * MINUTE_MS);
      if (startedAt.getTime() > now.getTime() - 10 * MINUTE_MS) continue;
      const index = conversations++;
      const scenario = random.pick<Scenario>(["products", "products", "products", "order-status", "order-status", "store-knowledge", "handoff"]);
      const plan = SCENARIOS[scenario];
      const channel = channelFor(random.between(0, 99) / 100);
      const email = `shopper${random.between(1, 60)}@example.com`;
      const anonymousId = `${DEMO_HISTORY_PREFIX}${index}`;
      const recent = now.getTime() - startedAt.getTime() < 2 * DAY_MS;
      const escalated = random.chance(plan.escalateChance);
      const resolved = !escalated && random.chance(plan.resolveChance);
      // Escalations in the history were all answered and closed by the team: what waits for a person is the merchant's own.
      const status: ConversationStatus = escalated ? "closed" : resolved ? "resolved" : recent ? "open" : "closed";
      const minutes = (at: number) => new Date(startedAt.getTime() + at * MINUTE_MS);
      const resolvedAt = resolved ? minutes(random.between(2, 40)) : null;
      const escalatedAt = escalated ? minutes(random.between(1, 5)) : null;
      const reason = escalated ? (scenario === "handoff" ? random.pick(ESCALATION_REASONS.slice(1)) : "shopper-requested") : null;
      const tags = TAGS.filter(() => random.chance(0.18));
      const shown = scenario === "products" ? [random.pick(products), random.pick(products)].filter((product, i, all) => all.indexOf(product) === i) : [];

      const shopper = await db().shopper.create({
        data: {
          shopId,
          anonymousId,
          email,
          identifiers: {
            create: [
              { shopId, kind: "anonymous", value: anonymousId, source: "storefront", createdAt: startedAt },
            ],
          },
          createdAt: startedAt,
        },
      });
      const messages: Prisma.MessageCreateWithoutConversationInput[] = [
        { author: "shopper", body: random.pick(plan.asks), createdAt: startedAt },
        {
          author: "agent",
          body: shown.length ? `${plan.answer} ${shown.map((product) => `${product.title} (${product.price} ${shop.currencyCode})`).join(", ")}.` : plan.answer,
          skill: SKILL_OF[scenario],
          intent: plan.intent,
          tags,
          parts: shown.map((product) => ({
            type: "product", productId: product.id, title: product.title, url: product.url, imageUrl: product.imageUrl,
            price: product.price, compareAtPrice: null, currencyCode: shop.currencyCode, variantId: product.variantId,
          })),
          createdAt: minutes(0.1),
        },
      ];
      if (resolvedAt) messages.push({ author: "shopper", body: "Yes, that helped", createdAt: new Date(resolvedAt.getTime() - 1000) });
      if (escalatedAt) {
        messages.push({ author: "system", body: "A person from the team will answer here.", createdAt: escalatedAt });
        messages.push({ author: "staff", body: "Thanks for your patience. I have sent a replacement today.", createdAt: minutes(random.between(30, 300)) });
      }
      const lastMessageAt = messages.at(-1)!.createdAt as Date;
      const conversation = await db().conversation.create({
        data: {
          shopId, shopperId: shopper.id, channel, status, skill: SKILL_OF[scenario], tags, escalationReason: reason,
          startedAt, escalatedAt, resolvedAt, lastMessageAt, messages: { create: messages },
        },
      });

      const facts: ConversationFact[] = [{ kind: "started", conversationId: conversation.id, channel, occurredAt: startedAt, shopper: { anonymousId, email }, firstMessage: messages[0]!.body }];
      if (resolvedAt) facts.push({ kind: "resolved", conversationId: conversation.id, channel, occurredAt: resolvedAt, shopper: { anonymousId, email }, skill: SKILL_OF[scenario], tags, resolutionTimeSeconds: Math.round((resolvedAt.getTime() - startedAt.getTime()) / 1000) });
      if (escalatedAt) facts.push({ kind: "escalated", conversationId: conversation.id, channel, occurredAt: escalatedAt, shopper: { anonymousId, email }, reason: reason!, skill: SKILL_OF[scenario], tags });

      if (shown.length) {
        const recommendedAt = minutes(0.1);
        const recommendation = await db().productRecommendation.create({
          data: { shopId, conversationId: conversation.id, shopperId: shopper.id, products: shown.map(({ variantId: _variant, ...product }) => product) as unknown as Prisma.InputJsonValue, recommendedAt, windowHours: 24 },
        });
        facts.push({ kind: "recommended", conversationId: conversation.id, channel, occurredAt: recommendedAt, shopper: { anonymousId, email }, recommendationId: recommendation.id, products: shown.map(({ variantId: _variant, ...product }) => product) });
        const clicked = random.chance(0.45);
        const added = channel === "web_chat" && random.chance(0.3);
        const bought = random.chance(added ? 0.6 : 0.12);
        const product = shown[0]!;
        if (channel === "web_chat" && clicked) await db().cardInteraction.create({ data: { shopId, conversationId: conversation.id, productId: product.id, kind: "product_click", createdAt: minutes(1) } });
        if (added) await db().cardInteraction.create({ data: { shopId, conversationId: conversation.id, productId: product.id, kind: "add_to_cart", createdAt: minutes(2) } });
        const placedAt = minutes(random.between(5, 20 * 60));
        if (bought && placedAt < now) {
          const quantity = random.between(1, 2);
          const total = (Number(product.price) * quantity + random.between(0, 12)).toFixed(2);
          const shopifyId = String(8_800_000_000 + index);
          await mirrorOrder(shopId, {
            shopifyId, name: `#H${1000 + index}`, number: null, shopifyCustomerId: null, email, phone: null,
            totalPrice: total, subtotalPrice: total, totalTax: null, totalDiscounts: null, currencyCode: shop.currencyCode, financialStatus: "paid",
            lineItems: [{ productId: product.id.split("/").at(-1)!, variantId: product.variantId?.split("/").at(-1) ?? null, sku: product.sku, title: product.title, quantity, price: product.price }],
            placedAt, cancelledAt: null, cancelReason: null, refunds: {}, cartConversationId: channel === "web_chat" ? conversation.id : null, updatedAt: placedAt,
          });
          orders++;
        }
        // The delayed check's verdict once the window has passed without a purchase.
        if (recommendedAt.getTime() + DAY_MS < now.getTime()) {
          await db().productRecommendation.updateMany({ where: { id: recommendation.id, outcome: null }, data: { outcome: "not_purchased", settledAt: new Date(recommendedAt.getTime() + DAY_MS) } });
        }
      }

      // Klaviyo (the fake in the demo) never received this history, so no event is logged as delivered; a few recent
      // ones are logged as Klaviyo refused them, for the merchant to see why and retry.
      for (const fact of facts) {
        if (failedEvents >= KLAVIYO_REFUSALS.length + 1 || day >= 3 || fact.kind !== "escalated") continue;
        const event = buildKlaviyoEvent(fact);
        const refused = KLAVIYO_REFUSALS[failedEvents++ % KLAVIYO_REFUSALS.length]!;
        await db().klaviyoEvent.create({
          data: {
            shopId, conversationId: conversation.id, metric: event.metric, uniqueId: event.uniqueId, occurredAt: event.occurredAt,
            payload: event.attributes as unknown as Prisma.InputJsonValue,
            status: "failed", attempts: 1, lastStatusCode: refused.code, lastError: refused.error, createdAt: event.occurredAt, nextAttemptAt: event.occurredAt,
          },
        });
      }
    }
  }
  return { conversations, orders };
}
