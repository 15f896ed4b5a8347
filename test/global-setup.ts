import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../app/database/embedded.server";
import { applyMigrations } from "../app/database/migrate.server";
import { createScratchDatabase } from "../app/database/scratch.server";
import { startFakeKlaviyo } from "../fakes/klaviyo/server";
import { buildDemoCatalog } from "../fakes/shopify/catalog";
import { startFakeShopify } from "../fakes/shopify/server";
import { startAppServer } from "../server";
import { CATALOG_SHOP, CATALOG_SHOP_TOKEN, DEMO_TEST_SHOPS, TEST_API_KEY, TEST_API_SECRET } from "./support/constants";
import { freePort } from "./support/ports";

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    databaseUrl: string;
    fakeKlaviyoUrl: string;
    fakeShopifyUrl: string;
    isolatedDatabaseUrl: string;
  }
}

/**
 * One app for the whole run, as it runs in production (the built server, real PostgreSQL, background workers),
 * talking to local fakes of Shopify and Klaviyo. Tests isolate by creating their own shop (and Klaviyo account),
 * which is how the app itself isolates merchants.
 */
export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<void>> = [];
  const databaseUrl = await provideDatabase(cleanups);
  // A second database with no app server attached (see test/support/isolated-database.ts).
  const isolated = await createScratchDatabase(databaseUrl, "customer_agent_test_isolated");
  cleanups.push(() => isolated.drop());

  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const klaviyo = await startFakeKlaviyo();
  cleanups.push(() => klaviyo.close());
  const shopify = await startFakeShopify({
    apiSecret: TEST_API_SECRET,
    appUrl,
    shops: [buildDemoCatalog(CATALOG_SHOP), ...Object.values(DEMO_TEST_SHOPS).map((shop) => buildDemoCatalog(shop.domain))],
    accessTokens: { [CATALOG_SHOP]: CATALOG_SHOP_TOKEN, ...Object.fromEntries(Object.values(DEMO_TEST_SHOPS).map((shop) => [shop.domain, shop.accessToken])) },
  });
  cleanups.push(() => shopify.close());

  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    KLAVIYO_API_URL: klaviyo.url,
    KLAVIYO_REQUEST_TIMEOUT_MS: "2000",
    SHOPIFY_ADMIN_API_ORIGIN: shopify.url,
    WORKERS: "on",
    DEMO_MODE: "true",
  });
  const app = await startAppServer({ port: appPort });
  cleanups.push(() => app.stop());

  project.provide("appUrl", appUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("fakeKlaviyoUrl", klaviyo.url);
  project.provide("fakeShopifyUrl", shopify.url);
  project.provide("isolatedDatabaseUrl", isolated.url);

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}

/** DATABASE_URL names a server to borrow: the run gets its own database there and drops it afterwards. */
async function provideDatabase(cleanups: Array<() => Promise<void>>): Promise<string> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl, "customer_agent_test");
    cleanups.push(() => scratch.drop());
    return scratch.url;
  }
  // Under the git-ignored .data/, not created here: PostgreSQL runs as its own user and must own the directory.
  const directory = path.resolve(import.meta.dirname, `../.data/test-postgres-${randomBytes(4).toString("hex")}`);
  const database = await startEmbeddedPostgres({ directory, port: await freePort(), ephemeral: true });
  cleanups.push(async () => {
    await database.stop();
    await rm(directory, { recursive: true, force: true });
  });
  await applyMigrations(database.url);
  return database.url;
}
