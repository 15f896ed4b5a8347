import { beforeAll, describe, expect, it } from "vitest";
import { buildDemoCatalog, type DemoProduct } from "../../fakes/shopify/catalog";
import { DEMO_TEST_SHOPS } from "../../test/support/constants";
import { createDemoShop, type TestShop } from "../../test/support/shopify";
import { db } from "../db.server";
import { recordProduct } from "./products.server";
import { parseProductQuery, searchProducts, type ProductMatch } from "./search.server";
import { deleteSearchSynonym, saveSearchSynonym } from "./synonyms";
import { syncCatalog } from "./sync.server";

const catalog = buildDemoCatalog(DEMO_TEST_SHOPS.search.domain);
const byShopifyId = new Map(catalog.products.map((product) => [product.legacyResourceId, product]));
let shop: TestShop;

function demoProduct(match: ProductMatch): DemoProduct {
  return byShopifyId.get(match.shopifyProductId)!;
}

function types(matches: ProductMatch[]): string[] {
  return [...new Set(matches.map((match) => match.productType ?? ""))];
}

/** A products/update webhook payload for a demo product, as Shopify's REST shape carries it. */
function webhookPayload(product: DemoProduct, changes: Record<string, unknown> = {}, variantChanges: Record<string, unknown> = {}) {
  return {
    id: Number(product.legacyResourceId),
    title: product.title,
    handle: product.handle,
    body_html: `<p>${product.description}</p>`,
    vendor: product.vendor,
    product_type: product.productType,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    published_at: product.publishedAt,
    updated_at: new Date().toISOString(),
    options: product.options.map((option) => ({ name: option.name, values: option.values })),
    variants: product.variants.map((variant) => ({
      id: Number(variant.legacyResourceId),
      title: variant.title,
      sku: variant.sku,
      price: variant.price,
      compare_at_price: variant.compareAtPrice,
      inventory_quantity: variant.inventoryQuantity,
      inventory_policy: "deny",
      position: variant.position,
      option1: variant.selectedOptions[0]?.value ?? null,
      option2: variant.selectedOptions[1]?.value ?? null,
      option3: null,
      ...variantChanges,
    })),
    ...changes,
  };
}

beforeAll(async () => {
  shop = await createDemoShop(DEMO_TEST_SHOPS.search);
  await syncCatalog(shop.domain);
});

describe("searchProducts on the demo catalog", () => {
  it("answers with cards the widget can show and add to the cart: price from the database, variant id, absolute URL", async () => {
    const [match] = await searchProducts(shop.id, { text: "hoodie" });
    const product = demoProduct(match!);
    const variant = product.variants.find((candidate) => candidate.legacyResourceId === match!.defaultVariantId)!;
    expect(match).toMatchObject({
      title: product.title,
      handle: product.handle,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
      currencyCode: "USD",
      sku: variant.sku,
      productType: "Hoodies",
      vendor: product.vendor,
      tags: product.tags,
    });
    expect(match!.defaultVariantId).toMatch(/^\d+$/);
    expect(variant.inventoryQuantity).toBeGreaterThan(0);
    expect(match!.url).toMatch(new RegExp(`^http://localhost:\\d+/products/${product.handle}$`));
    expect(match!.imageUrl).toMatch(/^http:\/\/localhost:\d+\/images\/.+\.svg$/);
    expect(await db().product.findUnique({ where: { id: match!.productId } })).not.toBeNull();
  });

  it("returns 1 to 4 products by default, and up to the limit asked", async () => {
    expect(await searchProducts(shop.id, { text: "tee" })).toHaveLength(4);
    expect(await searchProducts(shop.id, { text: "tee", limit: 10 })).toHaveLength(10);
  });

  it("corrects typos against the shop's own words", async () => {
    expect(types(await searchProducts(shop.id, { text: "hoddie" }))).toEqual(["Hoodies"]);
    expect(types(await searchProducts(shop.id, { text: "candel" }))).toEqual(["Candles"]);
    expect(types(await searchProducts(shop.id, { text: "backpak" }))).toEqual(["Backpacks"]);
  });

  it("finds what shoppers call things by another name, in four languages", async () => {
    expect(types(await searchProducts(shop.id, { text: "trainers" }))).toEqual(["Running Shoes"]);
    expect(types(await searchProducts(shop.id, { text: "rucksack" }))).toEqual(["Backpacks"]);
    expect(types(await searchProducts(shop.id, { text: "fleece" }))).toEqual(["Hoodies"]);
    expect(types(await searchProducts(shop.id, { text: "sac à dos" }))).toEqual(["Backpacks"]);
    expect(types(await searchProducts(shop.id, { text: "una mochila" }))).toEqual(["Backpacks"]);
    expect(types(await searchProducts(shop.id, { text: "eine Kerze" }))).toEqual(["Candles"]);
  });

  it("lets the merchant add synonyms of their own", async () => {
    expect(await searchProducts(shop.id, { text: "cosy" })).toEqual([]);
    const synonym = await saveSearchSynonym(shop.id, "Cosy", ["candle", "soy candle"]);
    expect(types(await searchProducts(shop.id, { text: "cosy" }))).toEqual(["Candles"]);
    await deleteSearchSynonym(shop.id, synonym.id);
    expect(await searchProducts(shop.id, { text: "cosy" })).toEqual([]);
  });

  it("ignores accents on either side", async () => {
    expect(types(await searchProducts(shop.id, { text: "sérum" }))).toEqual(["Skincare"]);
    const product = catalog.products.find((candidate) => candidate.productType === "Skincare" && candidate.status === "ACTIVE")!;
    await recordProduct(shop.domain, webhookPayload(product, { title: "Crème Brûlée Lip Balm", handle: "creme-brulee-lip-balm" }));
    const [match] = await searchProducts(shop.id, { text: "creme brulee" });
    expect(match).toMatchObject({ title: "Crème Brûlée Lip Balm", handle: "creme-brulee-lip-balm" });
    expect((await searchProducts(shop.id, { text: "BRÛLÉE" }))[0]?.title).toBe("Crème Brûlée Lip Balm");
  });

  it("keeps to a price ceiling, a range and 'cheaper than'", async () => {
    const underThreeHundred = await searchProducts(shop.id, { text: "tent", maxPrice: 300, limit: 12 });
    expect(underThreeHundred.length).toBeGreaterThan(0);
    expect(types(underThreeHundred)).toEqual(["Tents"]);
    for (const match of underThreeHundred) expect(Number(match.price)).toBeLessThanOrEqual(300);

    const range = await searchProducts(shop.id, { text: "jacket", minPrice: 150, maxPrice: 250, limit: 12 });
    expect(range.length).toBeGreaterThan(0);
    for (const match of range) expect(Number(match.price)).toBeGreaterThanOrEqual(150);
    for (const match of range) expect(Number(match.price)).toBeLessThanOrEqual(250);

    const shown = (await searchProducts(shop.id, { text: "backpack", limit: 12 })).sort((a, b) => Number(b.price) - Number(a.price))[0];
    const cheaper = await searchProducts(shop.id, { text: "backpack", cheaperThan: Number(shown!.price), excludeProductIds: [shown!.productId] });
    expect(cheaper.length).toBeGreaterThan(0);
    for (const match of cheaper) expect(Number(match.price)).toBeLessThan(Number(shown!.price));
    expect(cheaper.map((match) => match.productId)).not.toContain(shown!.productId);
  });

  it("shows the variant that has the options asked for, a colour also finding its shades", async () => {
    const navyMedium = await searchProducts(shop.id, { text: "hoodie", options: ["M", "navy"], limit: 12 });
    expect(navyMedium.length).toBeGreaterThan(0);
    for (const match of navyMedium) {
      const variant = demoProduct(match).variants.find((candidate) => candidate.legacyResourceId === match.defaultVariantId)!;
      expect(variant.selectedOptions.map((option) => option.value)).toEqual(["M", "Navy"]);
      expect(match.price).toBe(variant.price);
    }
    const green = await searchProducts(shop.id, { text: "hoodie", options: ["green"], limit: 12 });
    expect(green.length).toBeGreaterThan(0);
    for (const match of green) expect(match.variantTitle).toMatch(/Forest|Sage|Olive|Green/);
    expect(await searchProducts(shop.id, { text: "hoodie", options: ["purple"] })).toEqual([]);
  });

  it("never recommends a draft, an archived or an unpublished product, nor one sold out", async () => {
    const hidden = catalog.products.filter((product) => product.status !== "ACTIVE");
    expect(hidden.length).toBeGreaterThan(0);
    for (const product of hidden) {
      const matches = await searchProducts(shop.id, { text: product.title, limit: 12 });
      expect(matches.map((match) => match.shopifyProductId)).not.toContain(product.legacyResourceId);
    }

    const product = catalog.products.find((candidate) => candidate.status === "ACTIVE" && candidate.productType === "Mugs" && candidate.variants.every((variant) => variant.inventoryQuantity > 0))!;
    const found = async () => (await searchProducts(shop.id, { text: product.title, limit: 12 })).some((match) => match.shopifyProductId === product.legacyResourceId);
    expect(await found()).toBe(true);
    await recordProduct(shop.domain, webhookPayload(product, { published_at: null }));
    expect(await found()).toBe(false);
    await recordProduct(shop.domain, webhookPayload(product, {}, { inventory_quantity: 0 }));
    expect(await found()).toBe(false);
    await recordProduct(shop.domain, webhookPayload(product, {}, { inventory_quantity: 0, inventory_policy: "continue" }));
    expect(await found()).toBe(true);
    await recordProduct(shop.domain, webhookPayload(product, { status: "draft" }));
    expect(await found()).toBe(false);
  });

  it("keeps the search document current when a product changes", async () => {
    const product = catalog.products.find((candidate) => candidate.status === "ACTIVE" && candidate.productType === "Socks")!;
    await recordProduct(shop.domain, webhookPayload(product, { title: "Zephyr Toe Warmer" }));
    expect((await searchProducts(shop.id, { text: "zephyr" }))[0]?.shopifyProductId).toBe(product.legacyResourceId);
    // A typo of the new word is corrected too: the vocabulary follows the catalog.
    expect((await searchProducts(shop.id, { text: "zephir" }))[0]?.shopifyProductId).toBe(product.legacyResourceId);
    const stored = await db().productVariant.findFirstOrThrow({ where: { product: { shopId: shop.id, shopifyId: product.legacyResourceId }, position: 1 } });
    expect(stored).toMatchObject({ inventoryPolicy: "deny", optionValues: product.variants[0]!.selectedOptions.map((option) => option.value).filter((value) => value !== "Default Title") });
  });

  it("finds products by SKU", async () => {
    const product = catalog.products.find((candidate) => candidate.status === "ACTIVE" && candidate.variants.every((variant) => variant.inventoryQuantity > 0) && candidate.productType === "Tents")!;
    const [match] = await searchProducts(shop.id, { text: product.variants[0]!.sku });
    expect(match?.shopifyProductId).toBe(product.legacyResourceId);
  });

  it("answers nothing for what the shop does not sell, and the filters alone when there are no words", async () => {
    expect(await searchProducts(shop.id, { text: "pizza" })).toEqual([]);
    const cheap = await searchProducts(shop.id, { text: "", maxPrice: 20, limit: 12 });
    expect(cheap.length).toBeGreaterThan(0);
    for (const match of cheap) expect(Number(match.price)).toBeLessThanOrEqual(20);
  });

  it("reads a shopper's message straight into a search", async () => {
    const matches = await searchProducts(shop.id, parseProductQuery("Je cherche une veste imperméable, moins de 200 €", "fr"));
    expect(matches.length).toBeGreaterThan(0);
    expect(types(matches)).toEqual(["Jackets"]);
    for (const match of matches) expect(Number(match.price)).toBeLessThanOrEqual(200);
  });

  it("is scoped to the shop", async () => {
    const other = await db().shop.create({ data: { domain: `other-${Date.now()}.myshopify.com` } });
    expect(await searchProducts(other.id, { text: "hoodie" })).toEqual([]);
  });
});
