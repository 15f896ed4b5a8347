import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { syncRecentOrders } from "../orders/sync.server";
import { buildDemoCatalog } from "../../fakes/shopify/catalog";
import { CATALOG_SHOP, CATALOG_SHOP_TOKEN } from "../../test/support/constants";
import { syncCatalog } from "./sync.server";

describe("initial sync through the Admin GraphQL API", () => {
  it("mirrors the whole catalog and recent orders, and a rerun changes nothing", async () => {
    const catalog = buildDemoCatalog(CATALOG_SHOP);
    const shop = await db().shop.create({ data: { domain: CATALOG_SHOP } });
    await db().session.create({
      data: { id: `offline_${CATALOG_SHOP}`, shop: CATALOG_SHOP, state: "", scope: "read_products,read_orders", accessToken: CATALOG_SHOP_TOKEN },
    });

    expect(await syncCatalog(CATALOG_SHOP)).toBe(catalog.products.length);
    const recentOrders = catalog.orders.filter((order) => Date.parse(order.createdAt) > Date.now() - 60 * 86_400_000).length;
    expect(await syncRecentOrders(CATALOG_SHOP)).toBe(recentOrders);
    await syncCatalog(CATALOG_SHOP);

    expect(await db().product.count({ where: { shopId: shop.id } })).toBe(catalog.products.length);
    const variants = await db().productVariant.count({ where: { product: { shopId: shop.id } } });
    expect(variants).toBe(catalog.products.reduce((sum, product) => sum + product.variants.length, 0));
    const product = await db().product.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: catalog.products[0]!.id.split("/").at(-1)! }, include: { variants: true } });
    expect(product).toMatchObject({ title: catalog.products[0]!.title, handle: catalog.products[0]!.handle });
    expect(product.imageUrl).toMatch(/^http:\/\/localhost:\d+\/images\/.+\.svg$/);
    expect(product.variants.map((variant) => variant.sku).sort()).toEqual(catalog.products[0]!.variants.map((variant) => variant.sku).sort());
    const order = await db().order.findFirstOrThrow({ where: { shopId: shop.id }, orderBy: { placedAt: "desc" } });
    expect(order.lineItems).not.toHaveLength(0);
  });
});
