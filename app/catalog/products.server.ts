import { z } from "zod";
import { db } from "../db.server";

const id = z.union([z.number(), z.string()]).transform(String);
const money = z.union([z.string(), z.number()]).transform((value) => String(value));

export const productWebhookPayload = z.object({
  id,
  title: z.string(),
  handle: z.string(),
  body_html: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  status: z.string().default("active"),
  tags: z
    .union([z.string(), z.array(z.string())])
    .nullish()
    .transform((tags) =>
      (Array.isArray(tags) ? tags : (tags ?? "").split(",")).map((tag) => tag.trim()).filter(Boolean),
    ),
  image: z.object({ src: z.string() }).nullish(),
  images: z.array(z.object({ src: z.string() })).default([]),
  updated_at: z.coerce.date().nullish(),
  variants: z
    .array(
      z.object({
        id,
        title: z.string(),
        sku: z.string().nullish(),
        price: money,
        inventory_quantity: z.number().nullish(),
      }),
    )
    .default([]),
});

const deletedProductPayload = z.object({ id });

/** Keeps the catalog mirror the agent recommends from in step with products/create and products/update. */
export async function recordProduct(shopDomain: string, payload: unknown) {
  const product = productWebhookPayload.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return;
  const key = { shopId_shopifyId: { shopId: shop.id, shopifyId: product.id } };
  const existing = await db().product.findUnique({ where: key, select: { shopifyUpdatedAt: true } });
  if (existing?.shopifyUpdatedAt && product.updated_at && existing.shopifyUpdatedAt > product.updated_at) return;

  const prices = product.variants.map((variant) => Number(variant.price));
  const fields = {
    handle: product.handle,
    title: product.title,
    description: stripHtml(product.body_html ?? ""),
    vendor: product.vendor ?? null,
    productType: product.product_type ?? null,
    tags: product.tags,
    status: product.status,
    imageUrl: product.image?.src ?? product.images[0]?.src ?? null,
    priceMin: String(prices.length ? Math.min(...prices) : 0),
    priceMax: String(prices.length ? Math.max(...prices) : 0),
    shopifyUpdatedAt: product.updated_at ?? null,
  };
  await db().$transaction(async (tx) => {
    const saved = await tx.product.upsert({
      where: key,
      create: { shopId: shop.id, shopifyId: product.id, ...fields },
      update: fields,
    });
    await tx.productVariant.deleteMany({
      where: { productId: saved.id, shopifyId: { notIn: product.variants.map((variant) => variant.id) } },
    });
    for (const variant of product.variants) {
      const variantFields = {
        title: variant.title,
        sku: variant.sku || null,
        price: variant.price,
        inventory: variant.inventory_quantity ?? null,
      };
      await tx.productVariant.upsert({
        where: { productId_shopifyId: { productId: saved.id, shopifyId: variant.id } },
        create: { productId: saved.id, shopifyId: variant.id, ...variantFields },
        update: variantFields,
      });
    }
  });
}

export async function removeProduct(shopDomain: string, payload: unknown) {
  const { id: shopifyId } = deletedProductPayload.parse(payload);
  await db().product.deleteMany({ where: { shopifyId, shop: { domain: shopDomain } } });
}

function stripHtml(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}
