import { beforeAll, describe, expect, it } from "vitest";
import { buildDemoCatalog, type DemoOrder } from "../../fakes/shopify/catalog";
import { DEMO_TEST_SHOPS } from "../../test/support/constants";
import { createDemoShop, type TestShop } from "../../test/support/shopify";
import { db } from "../db.server";
import shopify from "../shopify.server";
import { numericId } from "../shopify/ids";
import { lookupOrder } from "./lookup.server";
import { syncRecentOrders } from "./sync.server";

const catalog = buildDemoCatalog(DEMO_TEST_SHOPS.orderLookup.domain);
const recent = [...catalog.orders].reverse();
/** A shipped order with tracking, placed by a customer who gave a phone number. */
const shipped = recent.find((order) => order.fulfillments.length > 0 && order.phone && order.customerId)!;
const other = recent.find((order) => order.email !== shipped.email && order.customerId && order.customerId !== shipped.customerId)!;
let shop: TestShop;

function number(order: DemoOrder): string {
  return String(order.number);
}

beforeAll(async () => {
  shop = await createDemoShop(DEMO_TEST_SHOPS.orderLookup);
  await syncRecentOrders(shop.domain, 200);
});

describe("lookupOrder", () => {
  it("shows the order, live from the Admin API, to a shopper who gives its number and its email", async () => {
    const lookup = await lookupOrder(shop.id, { orderNumber: `#${shipped.number}`, email: `  ${shipped.email.toUpperCase()} ` });
    const tracking = shipped.fulfillments[0]!.trackingInfo[0]!;
    expect(lookup).toEqual({
      found: true,
      order: {
        name: shipped.name,
        placedAt: shipped.processedAt,
        financialStatus: shipped.financialStatus,
        fulfillmentStatus: "FULFILLED",
        totalPrice: expect.any(String),
        currencyCode: "USD",
        lineItems: shipped.lineItems.map((item) => ({ title: item.title, quantity: item.quantity, sku: item.sku })),
        tracking: [{ company: tracking.company, number: tracking.number, url: tracking.url }],
        statusUrl: expect.stringMatching(/^http:\/\/localhost:\d+\/\d+\/orders\/[0-9a-f]{32}\/authenticate\?key=[0-9a-f]{32}$/),
      },
    });
    // Shopify's Decimal drops trailing zeros ("214.0"): the amount, not the spelling, is what the shopper reads.
    expect(lookup.found && Number(lookup.order.totalPrice)).toBe(Number(shipped.totalPrice));
  });

  it("accepts the order's phone in any usual format", async () => {
    const spaced = shipped.phone!.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "+1 ($1) $2-$3").replace(/^\+(\d{2})(\d+)$/, "00$1 $2");
    const lookup = await lookupOrder(shop.id, { orderNumber: number(shipped), phone: spaced });
    expect(lookup).toMatchObject({ found: true, order: { name: shipped.name } });
  });

  it("reads a phone given without its country code in the shop's country", async () => {
    const american = recent.find((order) => order.phone?.startsWith("+1"))!;
    const national = american.phone!.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "($1) $2-$3");
    expect(await lookupOrder(shop.id, { orderNumber: number(american), phone: national })).toEqual({ found: false });
    await db().shop.update({ where: { id: shop.id }, data: { countryCode: "US" } });
    try {
      expect(await lookupOrder(shop.id, { orderNumber: number(american), phone: national })).toMatchObject({ found: true, order: { name: american.name } });
    } finally {
      await db().shop.update({ where: { id: shop.id }, data: { countryCode: null } });
    }
  });

  it("answers a wrong email and an unknown order number identically, revealing nothing", async () => {
    const wrongEmail = await lookupOrder(shop.id, { orderNumber: number(shipped), email: other.email });
    const unknownNumber = await lookupOrder(shop.id, { orderNumber: "999999", email: shipped.email });
    const wrongPhone = await lookupOrder(shop.id, { orderNumber: number(shipped), phone: "+15555550199" });
    expect(wrongEmail).toEqual({ found: false });
    expect(unknownNumber).toEqual(wrongEmail);
    expect(wrongPhone).toEqual(wrongEmail);
    expect(await lookupOrder(shop.id, { orderNumber: number(shipped) })).toEqual({ found: false });
    expect(await lookupOrder(shop.id, { email: shipped.email })).toEqual({ found: false });
    expect(await lookupOrder(shop.id, { orderNumber: "10'; DROP TABLE", email: shipped.email })).toEqual({ found: false });
  });

  it("shows a logged-in customer their latest order, or the one they name, and never someone else's", async () => {
    const customerId = numericId(shipped.customerId!);
    const latest = recent.find((order) => order.customerId === shipped.customerId)!;
    expect(await lookupOrder(shop.id, { shopifyCustomerId: customerId })).toMatchObject({ found: true, order: { name: latest.name } });
    expect(await lookupOrder(shop.id, { shopifyCustomerId: customerId, orderNumber: number(shipped) })).toMatchObject({ found: true, order: { name: shipped.name } });
    expect(await lookupOrder(shop.id, { shopifyCustomerId: customerId, orderNumber: number(other) })).toEqual({ found: false });
  });

  it("falls back to the mirror when the Admin API fails, with the same proofs and without guessing fulfilment", async () => {
    const session = (await shopify.sessionStorage.loadSession(`offline_${shop.domain}`))!;
    const token = session.accessToken;
    // A revoked token: Shopify answers 401 to every Admin API call. Stored through the library's session storage,
    // as the app itself stores sessions (it remembers offline sessions for a few seconds).
    session.accessToken = "shpat_revoked";
    await shopify.sessionStorage.storeSession(session);
    try {
      const lookup = await lookupOrder(shop.id, { orderNumber: number(shipped), email: shipped.email });
      expect(lookup).toMatchObject({
        found: true,
        order: { name: shipped.name, financialStatus: shipped.financialStatus.toLowerCase(), fulfillmentStatus: null, tracking: [], statusUrl: null, totalPrice: shipped.totalPrice },
      });
      if (!lookup.found) throw new Error("expected the mirrored order");
      expect(lookup.order.lineItems).toEqual(shipped.lineItems.map((item) => ({ title: item.title, quantity: item.quantity, sku: item.sku })));
      expect(await lookupOrder(shop.id, { orderNumber: number(shipped), email: other.email })).toEqual({ found: false });
      expect(await lookupOrder(shop.id, { orderNumber: "999999", email: shipped.email })).toEqual({ found: false });
    } finally {
      session.accessToken = token;
      await shopify.sessionStorage.storeSession(session);
    }
  });
});
