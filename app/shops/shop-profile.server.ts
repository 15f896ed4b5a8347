import { db } from "../db.server";
import { logger } from "../logger.server";
import { AdminApiError } from "../shopify/admin-pages.server";
import { unauthenticated } from "../shopify.server";

const SHOP_PROFILE = `#graphql
  query ShopProfile {
    shop { ianaTimezone billingAddress { countryCodeV2 } }
  }`;

export interface ShopProfile {
  countryCode: string | null;
  ianaTimezone: string;
}

/** A zone this runtime does not know would break every date the dashboard computes, so it reads as UTC instead. */
function knownTimeZone(name: string | null | undefined, shopDomain: string): string {
  if (!name) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return name;
  } catch {
    logger().warn({ shop: shopDomain, ianaTimezone: name }, "Shopify gave a time zone this runtime does not know; the dashboard counts in UTC");
    return "UTC";
  }
}

/**
 * Reads the facts about the shop the app works with from the Admin API: its country (the billing address's, which
 * is where the merchant trades), so a phone number a shopper types without a country code is read as local, and
 * its time zone, so the dashboard's days are the merchant's days. Returns what was stored.
 */
export async function syncShopProfile(shopDomain: string): Promise<ShopProfile> {
  const { admin } = await unauthenticated.admin(shopDomain);
  const response = await admin.graphql(SHOP_PROFILE);
  const body = (await response.json()) as {
    data?: { shop?: { ianaTimezone?: string | null; billingAddress?: { countryCodeV2?: string | null } } };
    errors?: unknown;
  };
  const shop = body.data?.shop;
  if (!shop) throw new AdminApiError(`Shopify refused the shop profile query: ${JSON.stringify(body.errors)}`);
  const profile = { countryCode: shop.billingAddress?.countryCodeV2 ?? null, ianaTimezone: knownTimeZone(shop.ianaTimezone, shopDomain) };
  await db().shop.update({ where: { domain: shopDomain }, data: profile });
  return profile;
}
