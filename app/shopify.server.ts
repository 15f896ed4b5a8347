import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { db } from "./db.server";
import { routeAdminApiTo } from "./shopify/admin-api-origin.server";
import { CachedSessionStorage } from "./shopify/cached-session-storage.server";
import { shopifyLogger } from "./shopify/logger.server";
import { jobQueue, QUEUES } from "./jobs/queue.server";
import { recordInstall } from "./shops/shops.server";

export const SHOPIFY_API_VERSION = ApiVersion.October26;

const settings = config();
if (settings.SHOPIFY_ADMIN_API_ORIGIN) routeAdminApiTo(settings.SHOPIFY_ADMIN_API_ORIGIN);

const shopify = shopifyApp({
  apiKey: settings.SHOPIFY_API_KEY,
  apiSecretKey: settings.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: settings.SCOPES.split(","),
  appUrl: settings.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Through the app's logger at LOG_LEVEL: at warn (production) the per-request INFO lines are never even formatted.
  logger: shopifyLogger(settings.LOG_LEVEL),
  sessionStorage: new CachedSessionStorage(new PrismaSessionStorage(db())),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordInstall(session.shop);
      await (await jobQueue()).send(QUEUES.initialSync, { shop: session.shop }, { singletonKey: session.shop });
    },
  },
  ...(settings.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [settings.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
