import { db } from "../db.server";
import { AdminApiError } from "../shopify/admin-pages.server";
import { unauthenticated } from "../shopify.server";

const SHOP_PROFILE = `#graphql
  query ShopProfile {
    shop { billingAddress { countryCodeV2 } }
  }`;

/**
 * Reads the facts about the shop the app works with from the Admin API: today its country (the billing
 * address's, which is where the merchant trades), so a phone number a shopper types without a country code is
 * read as local. Returns the country stored, null when Shopify has none.
 */
export async function syncShopProfile(shopDomain: string): Promise<string | null> {
  const { admin } = await unauthenticated.admin(shopDomain);
  const response = await admin.graphql(SHOP_PROFILE);
  const body = (await response.json()) as { data?: { shop?: { billingAddress?: { countryCodeV2?: string | null } } }; errors?: unknown };
  const shop = body.data?.shop;
  if (!shop) throw new AdminApiError(`Shopify refused the shop profile query: ${JSON.stringify(body.errors)}`);
  const countryCode = shop.billingAddress?.countryCodeV2 ?? null;
  await db().shop.update({ where: { domain: shopDomain }, data: { countryCode } });
  return countryCode;
}
