import { db } from "../db.server";
import { numericId } from "../shopify/ids";
import { forEachAdminNode } from "../shopify/admin-pages.server";
import { saveProduct } from "./products.server";

const PRODUCTS_PAGE = `#graphql
  query CatalogPage($first: Int!, $after: String) {
    products(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        handle
        title
        description
        vendor
        productType
        tags
        status
        publishedAt
        onlineStoreUrl
        updatedAt
        featuredImage { url }
        options { name values }
        variants(first: 100) {
          nodes { id title sku price compareAtPrice inventoryQuantity inventoryPolicy inventoryItem { tracked } position selectedOptions { value } }
        }
      }
    }
  }`;

interface ProductNode {
  id: string;
  handle: string;
  title: string;
  description: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  status: string;
  publishedAt: string | null;
  onlineStoreUrl: string | null;
  updatedAt: string;
  featuredImage: { url: string } | null;
  options: Array<{ name: string; values: string[] }>;
  variants: {
    nodes: Array<{
      id: string;
      title: string;
      sku: string | null;
      price: string;
      compareAtPrice: string | null;
      inventoryQuantity: number | null;
      inventoryPolicy: "DENY" | "CONTINUE";
      inventoryItem: { tracked: boolean };
      position: number;
      selectedOptions: Array<{ value: string }>;
    }>;
  };
}

/**
 * Mirrors the whole catalog through the Admin GraphQL API, page by page. Run after install (webhooks keep it
 * fresh afterwards); idempotent, so a rerun after a failure simply continues the mirror.
 */
export async function syncCatalog(shopDomain: string): Promise<number> {
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  return forEachAdminNode<ProductNode>(shopDomain, PRODUCTS_PAGE, "products", {}, (product) =>
    saveProduct(shop.id, {
      shopifyId: numericId(product.id),
      handle: product.handle,
      title: product.title,
      description: product.description,
      vendor: product.vendor,
      productType: product.productType,
      tags: product.tags,
      status: product.status,
      publishedAt: product.publishedAt ? new Date(product.publishedAt) : null,
      onlineStoreUrl: product.onlineStoreUrl,
      imageUrl: product.featuredImage?.url ?? null,
      options: product.options,
      updatedAt: new Date(product.updatedAt),
      variants: product.variants.nodes.map((variant) => ({
        shopifyId: numericId(variant.id),
        title: variant.title,
        sku: variant.sku || null,
        price: variant.price,
        compareAtPrice: variant.compareAtPrice,
        inventory: variant.inventoryItem.tracked ? variant.inventoryQuantity : null,
        inventoryPolicy: variant.inventoryPolicy === "CONTINUE" ? "continue" : "deny",
        position: variant.position,
        optionValues: variant.selectedOptions.map((option) => option.value),
      })),
    }),
  );
}
