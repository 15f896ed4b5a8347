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
  /** When the product was published to the Online Store; null when shoppers cannot see it. */
  publishedAt: Date | null;
  /** Only the Admin API knows it; undefined keeps the stored one (webhooks). */
  onlineStoreUrl?: string | null;
  imageUrl: string | null;
  options: ProductOption[];
  updatedAt: Date | null;
  variants: MirroredVariant[];
}

export interface ProductOption {
  name: string;
  values: string[];
}

export interface MirroredVariant {
  shopifyId: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  /** Null when Shopify does not track the variant's inventory: it is always available. */
  inventory: number | null;
  inventoryPolicy: "deny" | "continue";
  position: number;
  /** In the order of the product's options. */
  optionValues: string[];
}

/** Shopify's placeholder for a product without options; never something a shopper asks for. */
const DEFAULT_OPTION_VALUE = "Default Title";

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
  published_at: z.coerce.date().nullish(),
  updated_at: z.coerce.date().nullish(),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()).default([]) })).default([]),
  variants: z
    .array(
      z.object({
        id,
        title: z.string(),
        sku: z.string().nullish(),
        price: money,
        compare_at_price: z
          .union([z.string(), z.number()])
          .nullish()
          .transform((value) => (value == null || value === "" ? null : String(value))),
        inventory_quantity: z.number().nullish(),
        /** Absent from newer payloads; an explicit null means Shopify does not track this variant's stock. */
        inventory_management: z.string().nullish(),
        inventory_policy: z.string().nullish(),
        position: z.number().nullish(),
        option1: z.string().nullish(),
        option2: z.string().nullish(),
        option3: z.string().nullish(),
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
  const optionValues = (variant: Pick<MirroredVariant, "optionValues">) => variant.optionValues.filter((value) => value !== DEFAULT_OPTION_VALUE);
  const fields = {
    handle: product.handle,
    title: product.title,
    description: product.description,
    vendor: product.vendor,
    productType: product.productType,
    tags: product.tags,
    status: product.status.toLowerCase(),
    publishedAt: product.publishedAt,
    ...(product.onlineStoreUrl === undefined ? {} : { onlineStoreUrl: product.onlineStoreUrl }),
    imageUrl: product.imageUrl,
    priceMin: String(prices.length ? Math.min(...prices) : 0),
    priceMax: String(prices.length ? Math.max(...prices) : 0),
    options: product.options.filter((option) => !option.values.every((value) => value === DEFAULT_OPTION_VALUE)).map(({ name, values }) => ({ name, values })),
    variantOptionValues: [...new Set(product.variants.flatMap(optionValues))],
    variantSkus: product.variants.flatMap((variant) => (variant.sku ? [variant.sku] : [])),
    shopifyUpdatedAt: product.updatedAt,
  };
  await db().$transaction(async (tx) => {
    const saved = await tx.product.upsert({ where: key, create: { shopId, shopifyId: product.shopifyId, ...fields }, update: fields });
    await tx.productVariant.deleteMany({
      where: { productId: saved.id, shopifyId: { notIn: product.variants.map((variant) => variant.shopifyId) } },
    });
    for (const { shopifyId, ...rest } of product.variants) {
      const variant = { ...rest, optionValues: optionValues(rest) };
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
    publishedAt: product.published_at ?? null,
    imageUrl: product.image?.src ?? product.images[0]?.src ?? null,
    options: product.options,
    updatedAt: product.updated_at ?? null,
    variants: product.variants.map((variant, index) => ({
      shopifyId: variant.id,
      title: variant.title,
      sku: variant.sku || null,
      price: variant.price,
      compareAtPrice: variant.compare_at_price,
      inventory: variant.inventory_management === null ? null : (variant.inventory_quantity ?? null),
      inventoryPolicy: variant.inventory_policy?.toLowerCase() === "continue" ? "continue" : "deny",
      position: variant.position ?? index + 1,
      optionValues: [variant.option1, variant.option2, variant.option3].filter((value): value is string => Boolean(value)),
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
