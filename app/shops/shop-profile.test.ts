import { describe, expect, it } from "vitest";
import { DEMO_TEST_SHOPS } from "../../test/support/constants";
import { createDemoShop } from "../../test/support/shopify";
import { db } from "../db.server";
import { syncShopProfile } from "./shop-profile.server";

describe("syncShopProfile", () => {
  it("keeps the shop's billing country and time zone, so phones read as local numbers and the dashboard counts the merchant's days", async () => {
    const shop = await createDemoShop(DEMO_TEST_SHOPS.shopProfile);
    expect(await db().shop.findUniqueOrThrow({ where: { id: shop.id }, select: { ianaTimezone: true } })).toEqual({ ianaTimezone: "UTC" });
    expect(await syncShopProfile(shop.domain)).toEqual({ countryCode: "US", ianaTimezone: "America/New_York" });
    expect(await db().shop.findUniqueOrThrow({ where: { id: shop.id }, select: { countryCode: true, ianaTimezone: true } })).toEqual({
      countryCode: "US",
      ianaTimezone: "America/New_York",
    });
  });
});
