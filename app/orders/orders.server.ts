import { z } from "zod";
import { db } from "../db.server";

const money = z.union([z.string(), z.number()]).transform((value) => String(value));

export const orderWebhookPayload = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  name: z.string(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  customer: z.object({ id: z.union([z.number(), z.string()]).transform(String) }).nullish(),
  total_price: money,
  currency: z.string(),
  financial_status: z.string().nullish(),
  created_at: z.coerce.date(),
  processed_at: z.coerce.date().nullish(),
  updated_at: z.coerce.date().nullish(),
  line_items: z
    .array(
      z.object({
        product_id: z.union([z.number(), z.string()]).nullish(),
        variant_id: z.union([z.number(), z.string()]).nullish(),
        sku: z.string().nullish(),
        title: z.string(),
        quantity: z.number(),
        price: money,
      }),
    )
    .default([]),
});

export type OrderWebhookPayload = z.infer<typeof orderWebhookPayload>;

/**
 * Mirrors an order from orders/create or orders/updated. Shopify does not guarantee delivery order, so an
 * update older than what is stored is ignored rather than rolling the order back.
 */
export async function recordOrder(shopDomain: string, payload: unknown) {
  const order = orderWebhookPayload.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return;
  const existing = await db().order.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.id } },
    select: { shopifyUpdatedAt: true },
  });
  const updatedAt = order.updated_at ?? order.created_at;
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > updatedAt) return;
  const fields = {
    name: order.name,
    shopifyCustomerId: order.customer?.id ?? null,
    email: order.email?.toLowerCase() || null,
    phone: order.phone || null,
    totalPrice: order.total_price,
    currencyCode: order.currency,
    financialStatus: order.financial_status ?? null,
    lineItems: order.line_items.map((item) => ({
      productId: item.product_id == null ? null : String(item.product_id),
      variantId: item.variant_id == null ? null : String(item.variant_id),
      sku: item.sku ?? null,
      title: item.title,
      quantity: item.quantity,
      price: item.price,
    })),
    placedAt: order.processed_at ?? order.created_at,
    shopifyUpdatedAt: updatedAt,
  };
  await db().order.upsert({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.id } },
    create: { shopId: shop.id, shopifyId: order.id, ...fields },
    update: fields,
  });
}
