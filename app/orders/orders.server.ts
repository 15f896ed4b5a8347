import { z } from "zod";
import { db } from "../db.server";

const money = z.union([z.string(), z.number()]).transform((value) => String(value));

const orderWebhookPayload = z.object({
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

/** An order as the mirror keeps it, whichever way it arrived (webhook or Admin API sync). */
export interface MirroredOrder {
  shopifyId: string;
  name: string;
  shopifyCustomerId: string | null;
  email: string | null;
  phone: string | null;
  totalPrice: string;
  currencyCode: string;
  financialStatus: string | null;
  lineItems: Array<{ productId: string | null; variantId: string | null; sku: string | null; title: string; quantity: number; price: string }>;
  placedAt: Date;
  updatedAt: Date;
}

/**
 * Saves an order. Shopify does not guarantee delivery order, so a version older than the stored one is ignored
 * rather than rolling the order back.
 */
export async function saveOrder(shopId: string, order: MirroredOrder) {
  const key = { shopId_shopifyId: { shopId, shopifyId: order.shopifyId } };
  const existing = await db().order.findUnique({ where: key, select: { shopifyUpdatedAt: true } });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > order.updatedAt) return;
  const { shopifyId, updatedAt, ...rest } = order;
  const fields = { ...rest, email: rest.email?.toLowerCase() || null, financialStatus: rest.financialStatus?.toLowerCase() ?? null, shopifyUpdatedAt: updatedAt };
  await db().order.upsert({ where: key, create: { shopId, shopifyId, ...fields }, update: fields });
}

/** orders/create and orders/updated. */
export async function recordOrder(shopDomain: string, payload: unknown) {
  const order = orderWebhookPayload.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return;
  await saveOrder(shop.id, {
    shopifyId: order.id,
    name: order.name,
    shopifyCustomerId: order.customer?.id ?? null,
    email: order.email ?? null,
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
    updatedAt: order.updated_at ?? order.created_at,
  });
}
