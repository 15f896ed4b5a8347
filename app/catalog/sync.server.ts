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
        updatedAt
        featuredImage { url }
        variants(first: 100) { nodes { id title sku price inventoryQuantity } }
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
  updatedAt: string;
  featuredImage: { url: string } | null;
  variants: { nodes: Array<{ id: string; title: string; sku: string | null; price: string; inventoryQuantity: number | null }> };
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
      imageUrl: product.featuredImage?.url ?? null,
      updatedAt: new Date(product.updatedAt),
      variants: product.variants.nodes.map((variant) => ({
        shopifyId: numericId(variant.id),
        title: variant.title,
        sku: variant.sku || null,
        price: variant.price,
        inventory: variant.inventoryQuantity,
      })),
    }),
  );
}
