export { API_KEY as TEST_API_KEY, API_SECRET_KEY as TEST_API_SECRET } from "@shopify/shopify-api/test-helpers";

/**
 * Headless Chrome and Node's fetch announce themselves in their user agents, and the Shopify library turns bots
 * away from admin pages (410 Gone); the tests present the desktop browser a merchant would use.
 */
export const MERCHANT_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/** The one shop the test run's fake Shopify serves a full demo catalog for (Admin API sync tests). */
export const CATALOG_SHOP = "catalog-sync-test.myshopify.com";
export const CATALOG_SHOP_TOKEN = "shpat_catalog_sync_test";

/** Shops with a full demo catalog in the fake Shopify, one per test file that reads it through the Admin API. */
export const DEMO_TEST_SHOPS = {
  search: { domain: "catalog-search-test.myshopify.com", accessToken: "shpat_catalog_search_test" },
  knowledge: { domain: "knowledge-test.myshopify.com", accessToken: "shpat_knowledge_test" },
  orderLookup: { domain: "order-lookup-test.myshopify.com", accessToken: "shpat_order_lookup_test" },
  agentTools: { domain: "agent-tools-test.myshopify.com", accessToken: "shpat_agent_tools_test" },
  conversationFlow: { domain: "conversation-flow-test.myshopify.com", accessToken: "shpat_conversation_flow_test" },
  shopProfile: { domain: "shop-profile-test.myshopify.com", accessToken: "shpat_shop_profile_test" },
  emailChannel: { domain: "email-channel-test.myshopify.com", accessToken: "shpat_email_channel_test" },
} as const;

/** A shopper whose Customer Privacy choices allow Klaviyo to hear about their conversations. */
export const CONSENT_GIVEN = { analytics: true, marketing: true } as const;
