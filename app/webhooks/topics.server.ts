import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { recordProduct, removeProduct } from "../catalog/products.server";
import { compileCustomerData, redactCustomer } from "../compliance/compliance.server";
import { db } from "../db.server";
import { recordOrder, recordRefund } from "../orders/orders.server";
import { eraseShopData } from "../shops/shops.server";

export type TopicHandler = (shopDomain: string, payload: unknown, deliveryId: string) => Promise<Prisma.InputJsonValue | void>;

interface TopicDefinition {
  handler: TopicHandler;
  /**
   * The shop the signed payload itself names, for topics that erase or hand over a shop's data. The HMAC covers
   * the body only, so the X-Shopify-Shop-Domain header alone must not decide whose data goes.
   */
  payloadShop?: (payload: unknown) => string | undefined;
}

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });
const compliancePayload = z.object({ shop_domain: z.string() });
const shopPayload = z.object({ myshopify_domain: z.string().optional(), domain: z.string().optional() });

const complianceShop = (payload: unknown) => compliancePayload.safeParse(payload).data?.shop_domain;
/** app/uninstalled carries the shop resource: its myshopify domain (`domain` may be a custom one). */
const uninstalledShop = (payload: unknown) => {
  const shop = shopPayload.safeParse(payload).data;
  return shop?.myshopify_domain ?? shop?.domain;
};
const eraseShop: TopicHandler = (shop, _payload, deliveryId) => eraseShopData(shop, { keepWebhookDeliveryId: deliveryId });

/** Every topic declared in shopify.app.toml, as Shopify names it (and as its endpoint, POST /webhooks/<topic>). */
export const WEBHOOK_TOPICS = {
  "app/uninstalled": { handler: eraseShop, payloadShop: uninstalledShop },
  "app/scopes_update": {
    handler: async (shop, payload) => {
      const { current } = scopesUpdatePayload.parse(payload);
      await db().session.updateMany({ where: { shop }, data: { scope: current.join(",") } });
    },
  },
  "shop/redact": { handler: eraseShop, payloadShop: complianceShop },
  "customers/data_request": { handler: compileCustomerData, payloadShop: complianceShop },
  "customers/redact": { handler: redactCustomer, payloadShop: complianceShop },
  "orders/create": { handler: recordOrder },
  "orders/updated": { handler: recordOrder },
  "orders/cancelled": { handler: recordOrder },
  "refunds/create": { handler: recordRefund },
  "products/create": { handler: recordProduct },
  "products/update": { handler: recordProduct },
  "products/delete": { handler: removeProduct },
} satisfies Record<string, TopicDefinition>;

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS;

export function isWebhookTopic(name: string): name is WebhookTopic {
  return Object.hasOwn(WEBHOOK_TOPICS, name);
}

/** How the delivery table stores a topic (as the Shopify library reports it): orders/create → ORDERS_CREATE. */
export function storedTopicName(topic: WebhookTopic): string {
  return topic.toUpperCase().replace(/\//g, "_");
}

const byStoredName = new Map<string, TopicDefinition>(
  Object.entries(WEBHOOK_TOPICS).map(([topic, definition]) => [storedTopicName(topic as WebhookTopic), definition]),
);

export function topicDefinition(storedName: string): TopicDefinition | undefined {
  return byStoredName.get(storedName);
}

export function definitionOf(topic: WebhookTopic): TopicDefinition {
  return WEBHOOK_TOPICS[topic];
}
