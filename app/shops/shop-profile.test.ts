import { describe, expect, it } from "vitest";
import { DEMO_TEST_SHOPS } from "../../test/support/constants";
import { createDemoShop } from "../../test/support/shopify";
import { db } from "../db.server";
import { syncShopProfile } from "./shop-profile.server";

describe("syncShopProfile", () => {
  it("keeps the shop's billing country, so phones typed without a country code are read as local numbers", async () => {
    const shop = await createDemoShop(DEMO_TEST_SHOPS.shopProfile);
    expect(await syncShopProfile(shop.domain)).toBe("US");
    expect(await db().shop.findUniqueOrThrow({ where: { id: shop.id }, select: { countryCode: true } })).toEqual({ countryCode: "US" });
  });
});
