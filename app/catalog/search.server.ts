import { pool } from "../db.server";
import { searchConcepts, wantedCte } from "./full-text.server";
import type { ProductQuery } from "./query";
import { OPTION_FAMILIES, synonymTable } from "./synonyms";
import { foldText } from "./text";

export type { ProductQuery } from "./query";
export { parseProductQuery, type ParsedProductQuery } from "./query";

/** A product the agent may recommend, with the variant to show and add to the cart. */
export interface ProductMatch {
  /** Our Product row id. */
  productId: string;
  shopifyProductId: string;
  title: string;
  handle: string;
  url: string;
  imageUrl: string | null;
  /** The shown variant's price, a decimal string exactly as mirrored. */
  price: string;
  /** Only when higher than the price (what Shopify shows as a sale). */
  compareAtPrice: string | null;
  currencyCode: string;
  /** The variant's numeric id, as /cart/add.js takes it. */
  defaultVariantId: string;
  /** E.g. "M / Navy"; "Default Title" for a product without options. */
  variantTitle: string;
  sku: string | null;
  productType: string | null;
  tags: string[];
  vendor: string | null;
}

const DEFAULT_LIMIT = 4;
const MAX_LIMIT = 12;

interface Row {
  productId: string;
  shopifyProductId: string;
  title: string;
  handle: string;
  onlineStoreUrl: string | null;
  imageUrl: string | null;
  price: string;
  compareAtPrice: string | null;
  defaultVariantId: string;
  variantTitle: string;
  sku: string | null;
  productType: string | null;
  tags: string[];
  vendor: string | null;
  /** How many of the shopper's concepts the product matches, and how many its product type matches (bigint as text). */
  concepts: string;
  typeConcepts: string;
}

/**
 * Finds products a shopper can buy right now: active, published to the Online Store, with a variant in stock (or
 * sold on backorder, or untracked) that meets the price and option filters. Ranked by how many of the shopper's
 * concepts a product matches, then by how many its product type matches (a "rucksack" is a Backpack before it is
 * a "Backpacking Tent"), then by PostgreSQL's weighted full-text rank (title above type and tags, above vendor
 * and options, above description). Typos are corrected against the shop's vocabulary and synonyms
 * (built-in and the merchant's) widen each concept. With no searchable words, the filters alone decide.
 */
export async function searchProducts(shopId: string, query: ProductQuery): Promise<ProductMatch[]> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  // One round trip on the pool for what every search needs first (it runs on every product question).
  const { rows: shops } = await pool().query<{ domain: string; currencyCode: string; synonyms: Array<{ term: string; synonyms: string[] }> }>(
    `SELECT sh.domain, sh."currencyCode",
            COALESCE((SELECT json_agg(json_build_object('term', term, 'synonyms', synonyms)) FROM "SearchSynonym" WHERE "shopId" = sh.id), '[]'::json) AS synonyms
     FROM "Shop" sh WHERE sh.id = $1`,
    [shopId],
  );
  const shop = shops[0];
  if (!shop) throw new RangeError(`Shop ${shopId} not found`);
  const concepts = await searchConcepts(shopId, "catalog", query.text, synonymTable(shop.synonyms));
  // Each option asked for is one parameter of LIKE patterns, any of which satisfies it. The product's own option
  // text and price range are checked too, so that products no variant of which can match are ruled out before
  // their variants are read.
  const optionPatterns = (query.options ?? [])
    .map(optionAlternatives)
    .filter((alternatives) => alternatives.length > 0)
    .map((alternatives) => alternatives.map((value) => `% ${value} %`));
  const optionFilters = optionPatterns.map((_, index) => `$${8 + index}::text[]`);

  const { rows } = await pool().query<Row>(
    `WITH ${wantedCte("$2")}
     SELECT p."id" AS "productId", p."shopifyId" AS "shopifyProductId", p."title", p."handle", p."onlineStoreUrl", p."imageUrl",
            v."price"::text AS "price",
            CASE WHEN v."compareAtPrice" > v."price" THEN v."compareAtPrice"::text END AS "compareAtPrice",
            v."shopifyId" AS "defaultVariantId", v."title" AS "variantTitle", v."sku", p."productType", p."tags", p."vendor",
            matched."concepts", matched."typeConcepts"
       FROM wanted w
       JOIN "Product" p ON p."shopId" = $1 ${concepts.length ? `AND p."searchDocument" @@ w.query` : ""}
       JOIN LATERAL (
         SELECT v.* FROM "ProductVariant" v
          WHERE v."productId" = p."id"
            AND (v."inventory" IS NULL OR v."inventory" > 0 OR v."inventoryPolicy" = 'continue')
            AND ($3::numeric IS NULL OR v."price" >= $3)
            AND ($4::numeric IS NULL OR v."price" <= $4)
            AND ($5::numeric IS NULL OR v."price" < $5)
            ${optionFilters.map((parameter) => `AND v."optionText" LIKE ANY(${parameter})`).join(" ")}
          ORDER BY v."position", v."price"
          LIMIT 1
       ) v ON true
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE p."searchDocument" @@ concept.query) AS "concepts",
                count(*) FILTER (WHERE to_tsvector('english', search_fold(coalesce(p."productType", ''))) @@ concept.query) AS "typeConcepts"
           FROM unnest(w.concepts) AS concept(query)
       ) matched
      WHERE p."status" = 'active' AND p."publishedAt" IS NOT NULL AND NOT (p."id" = ANY($6::text[]))
            AND ($3::numeric IS NULL OR p."priceMax" >= $3)
            AND ($4::numeric IS NULL OR p."priceMin" <= $4)
            AND ($5::numeric IS NULL OR p."priceMin" < $5)
            ${optionFilters.map((parameter) => `AND p."optionText" LIKE ANY(${parameter})`).join(" ")}
      ORDER BY matched."concepts" DESC, matched."typeConcepts" DESC,
               CASE WHEN w.query IS NULL THEN 0 ELSE ts_rank('{0.1, 0.2, 0.4, 1.0}', p."searchDocument", w.query) END DESC,
               p."shopifyUpdatedAt" DESC NULLS LAST, p."id"
      LIMIT $7`,
    [
      shopId, JSON.stringify(concepts), query.minPrice ?? null, query.maxPrice ?? null, query.cheaperThan ?? null, query.excludeProductIds ?? [], limit,
      ...optionPatterns,
    ],
  );
  const storefront = `https://${shop.domain}`;
  // Fewer, better cards: a product that matches less of what was asked than the best match is left out.
  const best = rows[0];
  const relevant = rows.filter((row) => row.concepts === best!.concepts && Number(row.typeConcepts) >= Number(best!.typeConcepts));
  return relevant.map(({ onlineStoreUrl, concepts: _concepts, typeConcepts: _typeConcepts, ...row }) => ({
    ...row,
    url: new URL(`/products/${row.handle}`, onlineStoreUrl ?? storefront).toString(),
    currencyCode: shop.currencyCode,
  }));
}

/** "green" also accepts Forest, Sage and Olive; every alternative folded and spaced like the SQL folds values. */
function optionAlternatives(option: string): string[] {
  const folded = foldText(option).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  if (!folded) return [];
  return [...new Set([folded, ...(OPTION_FAMILIES[folded] ?? [])])];
}
