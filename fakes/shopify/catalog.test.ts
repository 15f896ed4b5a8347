import { describe, expect, it } from "vitest";
import { buildDemoCatalog } from "./catalog";

const SHOP = "demo-outfitters.myshopify.com";
const NOW = new Date("2026-11-24T00:00:00Z");
const DAY = 86_400_000;
const catalog = buildDemoCatalog(SHOP, { now: NOW });
const variants = catalog.products.flatMap((product) => product.variants.map((variant) => ({ product, variant })));

function numericTail(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

describe("buildDemoCatalog", () => {
  it("is deterministic per shop, and different between shops", () => {
    expect(buildDemoCatalog(SHOP, { now: NOW })).toEqual(catalog);
    const other = buildDemoCatalog("another-store.myshopify.com", { now: NOW });
    expect(other.shop).toMatchObject({ name: "Another Store", myshopifyDomain: "another-store.myshopify.com", currencyCode: "USD" });
    expect(other.products.map((product) => product.variants.map((variant) => variant.price))).not.toEqual(catalog.products.map((product) => product.variants.map((variant) => variant.price)));
  });

  it("describes the shop", () => {
    expect(catalog.shop).toEqual({ id: expect.stringMatching(/^gid:\/\/shopify\/Shop\/\d+$/), name: "Demo Outfitters", email: `owner@${SHOP}`, myshopifyDomain: SHOP, currencyCode: "USD", countryCode: "US" });
  });

  it("has a realistic catalog: 220+ products of 10+ types, 1 to 6 variants each, unique handles and SKUs", () => {
    expect(catalog.products.length).toBeGreaterThanOrEqual(220);
    expect(new Set(catalog.products.map((product) => product.productType)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(catalog.products.map((product) => product.vendor)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(catalog.products.map((product) => product.handle)).size).toBe(catalog.products.length);
    expect(new Set(variants.map(({ variant }) => variant.sku)).size).toBe(variants.length);
    expect(new Set(variants.map(({ variant }) => variant.id)).size).toBe(variants.length);
    for (const product of catalog.products) {
      expect(product.variants.length).toBeGreaterThanOrEqual(1);
      expect(product.variants.length).toBeLessThanOrEqual(6);
      expect(product.handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(product.imageUrl).toBe(`/images/${product.handle}.svg`);
      expect(product.description.length).toBeGreaterThan(40);
      expect(numericTail(product.id)).toBe(product.legacyResourceId);
      for (const variant of product.variants) {
        expect(variant.price).toMatch(/^\d+\.\d{2}$/);
        expect(variant.inventoryQuantity).toBeGreaterThanOrEqual(0);
        expect(variant.selectedOptions.map((option) => option.name)).toEqual(product.options.map((option) => option.name));
        for (const option of variant.selectedOptions) expect(product.options.find((candidate) => candidate.name === option.name)!.values).toContain(option.value);
      }
    }
    expect(catalog.products.some((product) => product.variants.length === 6)).toBe(true);
    expect(catalog.products.some((product) => product.options.length === 2)).toBe(true);
    expect(catalog.products.filter((product) => product.status === "ACTIVE").length).toBeGreaterThan(200);
  });

  it("has about 60 customers with unique emails, E.164 phones for most, and mixed marketing consent", () => {
    expect(catalog.customers).toHaveLength(60);
    expect(new Set(catalog.customers.map((customer) => customer.email)).size).toBe(60);
    const phones = catalog.customers.flatMap((customer) => (customer.phone ? [customer.phone] : []));
    expect(phones.length).toBeGreaterThan(30);
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) expect(phone).toMatch(/^\+[1-9]\d{7,14}$/);
    const subscribed = catalog.customers.filter((customer) => customer.acceptsMarketing).length;
    expect(subscribed).toBeGreaterThan(10);
    expect(subscribed).toBeLessThan(50);
  });

  it("has 300 orders over the last 120 days, numbered in the order they were placed", () => {
    expect(catalog.orders).toHaveLength(300);
    for (const [index, order] of catalog.orders.entries()) {
      const placed = Date.parse(order.createdAt);
      expect(placed).toBeLessThanOrEqual(NOW.getTime());
      expect(placed).toBeGreaterThan(NOW.getTime() - 120 * DAY);
      expect(order.name).toBe(`#${1001 + index}`);
      if (index > 0) expect(order.createdAt >= catalog.orders[index - 1]!.createdAt).toBe(true);
      expect(Date.parse(order.updatedAt)).toBeGreaterThanOrEqual(placed);
    }
    expect(Date.parse(catalog.orders[0]!.createdAt)).toBeLessThan(NOW.getTime() - 100 * DAY);
  });

  it("bills real variants at their price, with totals that add up", () => {
    const variantsById = new Map(variants.map((entry) => [entry.variant.id, entry]));
    const customerIds = new Set(catalog.customers.map((customer) => customer.id));
    for (const order of catalog.orders) {
      expect(order.lineItems.length).toBeGreaterThan(0);
      for (const line of order.lineItems) {
        const entry = variantsById.get(line.variantId);
        expect(entry, `${order.name} bills an unknown variant`).toBeDefined();
        expect(line).toMatchObject({ sku: entry!.variant.sku, productId: entry!.product.id, title: entry!.product.title, price: entry!.variant.price });
        expect(entry!.product.status).toBe("ACTIVE");
      }
      const subtotal = order.lineItems.reduce((sum, line) => sum + Number(line.price) * line.quantity, 0);
      expect(order.subtotalPrice).toBe(subtotal.toFixed(2));
      expect(order.totalPrice).toBe((subtotal + Number(order.totalShippingPrice) + Number(order.totalTax)).toFixed(2));
      if (order.customerId) {
        expect(customerIds.has(order.customerId)).toBe(true);
        expect(order.email).toBe(catalog.customers.find((customer) => customer.id === order.customerId)!.email);
      }
    }
    expect(catalog.orders.some((order) => order.customerId === null)).toBe(true);
    expect(new Set(catalog.orders.map((order) => order.financialStatus)).size).toBeGreaterThan(2);
  });

  it("dates everything relative to now, so the demo's recent orders stay recent", () => {
    const later = buildDemoCatalog(SHOP, { now: new Date(NOW.getTime() + 30 * DAY) });
    expect(Date.parse(later.orders.at(-1)!.createdAt) - Date.parse(catalog.orders.at(-1)!.createdAt)).toBe(30 * DAY);
  });
});
