import { syncCatalog } from "../app/catalog/sync.server";
import { readChannelSettings, saveChannelSettings } from "../app/channels/settings.server";
import { db } from "../app/db.server";
import { seedDemoHistory } from "../app/demo/demo-history.server";
import { DEMO_KLAVIYO_API_KEY, DEMO_SHOP_ACCESS_TOKEN, DEMO_TWILIO } from "../app/demo/demo-mode.server";
import { createFaqEntry, listFaqEntries } from "../app/knowledge/faq.server";
import { syncPolicies } from "../app/knowledge/policies.server";
import { connectWithApiKey } from "../app/klaviyo/connection.server";
import { syncRecentOrders } from "../app/orders/sync.server";
import { syncShopProfile } from "../app/shops/shop-profile.server";
import type { DemoCatalog } from "../fakes/shopify/catalog";
import { DEMO_FAQ } from "./demo-faq";

/**
 * Installs the demo shop the way a real install ends up: an offline session, the shop's country, the catalog, recent orders
 * and the shop's policies read through the Admin API (the fake), the merchant's FAQ written once, a few weeks of conversation
 * history (app/demo/demo-history.server.ts), and Klaviyo connected
 * through the real key check (the fake, unless KLAVIYO_API_URL names a real account, in which case the merchant
 * connects from the admin).
 */
export async function seedDemoShop(catalog: DemoCatalog, options: { connectKlaviyo: boolean; connectTwilio?: boolean }) {
  const domain = catalog.shop.myshopifyDomain;
  const shop = await db().shop.upsert({
    where: { domain },
    create: { domain, name: catalog.shop.name, email: catalog.shop.email, currencyCode: catalog.shop.currencyCode },
    update: { uninstalledAt: null },
  });
  await db().session.upsert({
    where: { id: `offline_${domain}` },
    create: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, scope: "read_products,read_orders,read_customers,read_themes,read_legal_policies", accessToken: DEMO_SHOP_ACCESS_TOKEN },
    update: { accessToken: DEMO_SHOP_ACCESS_TOKEN, scope: "read_products,read_orders,read_customers,read_themes,read_legal_policies" },
  });
  await syncShopProfile(domain);
  const products = await syncCatalog(domain);
  const orders = await syncRecentOrders(domain, 120);
  const policies = await syncPolicies(domain);
  if ((await listFaqEntries(shop.id)).length === 0) {
    for (const entry of DEMO_FAQ) await createFaqEntry(shop.id, entry);
  }
  // Four weeks of conversations, recommendations, escalations and orders, so the dashboard shows trends at once.
  await seedDemoHistory(shop.id, { days: 28 });
  if (options.connectKlaviyo && !(await db().klaviyoConnection.findUnique({ where: { shopId: shop.id } }))) {
    const result = await connectWithApiKey(shop.id, DEMO_KLAVIYO_API_KEY);
    if (!result.ok) throw new Error(`Demo Klaviyo connection failed: ${result.message}`);
  }
  // SMS and WhatsApp on the fake Twilio's demo account, set once, as a merchant would on the Channels page.
  if (options.connectTwilio && !(await readChannelSettings(shop.id))) {
    const result = await saveChannelSettings(shop.id, { twilioAccountSid: DEMO_TWILIO.accountSid, twilioAuthToken: DEMO_TWILIO.authToken, smsNumber: DEMO_TWILIO.smsNumber, whatsappNumber: DEMO_TWILIO.whatsappNumber });
    if (!result.ok) throw new Error(`Demo channel settings failed: ${JSON.stringify(result.errors)}`);
  }
  return { products, orders, policies };
}
