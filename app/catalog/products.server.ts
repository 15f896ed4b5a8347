import { z } from "zod";
import { db } from "../db.server";

/** A product as the catalog mirror keeps it, whichever way it arrived (webhook or Admin API sync). */
export interface MirroredProduct {
  shopifyId: string;
  handle: string;
  title: string;
  description: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  status: string;
  imageUrl: string | null;
  updatedAt: Date | null;
  variants: Array<{ shopifyId: string; title: string; sku: string | null; price: string; inventory: number | null }>;
}

const id = z.union([z.number(), z.string()]).transform(String);
const money = z.union([z.string(), z.number()]).transform((value) => String(value));

const productWebhookPayload = z.object({
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

/**
 * Saves a product and exactly its current variants. Shopify does not guarantee delivery order, so a version older
 * than the stored one is ignored rather than rolling the product back.
 */
export async function saveProduct(shopId: string, product: MirroredProduct) {
  const key = { shopId_shopifyId: { shopId, shopifyId: product.shopifyId } };
  const existing = await db().product.findUnique({ where: key, select: { shopifyUpdatedAt: true } });
  if (existing?.shopifyUpdatedAt && product.updatedAt && existing.shopifyUpdatedAt > product.updatedAt) return;

  const prices = product.variants.map((variant) => Number(variant.price));
  const fields = {
    handle: product.handle,
    title: product.title,
    description: product.description,
    vendor: product.vendor,
    productType: product.productType,
    tags: product.tags,
    status: product.status.toLowerCase(),
    imageUrl: product.imageUrl,
    priceMin: String(prices.length ? Math.min(...prices) : 0),
    priceMax: String(prices.length ? Math.max(...prices) : 0),
    shopifyUpdatedAt: product.updatedAt,
  };
  await db().$transaction(async (tx) => {
    const saved = await tx.product.upsert({ where: key, create: { shopId, shopifyId: product.shopifyId, ...fields }, update: fields });
    await tx.productVariant.deleteMany({
      where: { productId: saved.id, shopifyId: { notIn: product.variants.map((variant) => variant.shopifyId) } },
    });
    for (const { shopifyId, ...variant } of product.variants) {
      await tx.productVariant.upsert({
        where: { productId_shopifyId: { productId: saved.id, shopifyId } },
        create: { productId: saved.id, shopifyId, ...variant },
        update: variant,
      });
    }
  });
}

/** products/create and products/update. */
export async function recordProduct(shopDomain: string, payload: unknown) {
  const product = productWebhookPayload.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return;
  await saveProduct(shop.id, {
    shopifyId: product.id,
    handle: product.handle,
    title: product.title,
    description: stripHtml(product.body_html ?? ""),
    vendor: product.vendor ?? null,
    productType: product.product_type ?? null,
    tags: product.tags,
    status: product.status,
    imageUrl: product.image?.src ?? product.images[0]?.src ?? null,
    updatedAt: product.updated_at ?? null,
    variants: product.variants.map((variant) => ({
      shopifyId: variant.id,
      title: variant.title,
      sku: variant.sku || null,
      price: variant.price,
      inventory: variant.inventory_quantity ?? null,
    })),
  });
}

export async function removeProduct(shopDomain: string, payload: unknown) {
  const { id: shopifyId } = deletedProductPayload.parse(payload);
  await db().product.deleteMany({ where: { shopifyId, shop: { domain: shopDomain } } });
}

function stripHtml(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}
