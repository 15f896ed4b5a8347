import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../app/database/embedded.server";
import { applyMigrations } from "../app/database/migrate.server";
import { startFakeKlaviyo } from "../fakes/klaviyo/server";
import { buildDemoCatalog } from "../fakes/shopify/catalog";
import { startFakeShopify } from "../fakes/shopify/server";
import { startAppServer } from "../server";
import { CATALOG_SHOP, CATALOG_SHOP_TOKEN, TEST_API_KEY, TEST_API_SECRET } from "./support/constants";

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
  await applyMigrations(databaseUrl);
  const isolatedDatabaseUrl = await createSiblingDatabase(new URL("/postgres", databaseUrl).toString(), `isolated_${randomBytes(4).toString("hex")}`, cleanups);
  await applyMigrations(isolatedDatabaseUrl);

  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const klaviyo = await startFakeKlaviyo();
  cleanups.push(() => klaviyo.close());
  const shopify = await startFakeShopify({
    apiSecret: TEST_API_SECRET,
    appUrl,
    shops: [buildDemoCatalog(CATALOG_SHOP)],
    accessTokens: { [CATALOG_SHOP]: CATALOG_SHOP_TOKEN },
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
  project.provide("isolatedDatabaseUrl", isolatedDatabaseUrl);

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}

/** DATABASE_URL names a server to borrow: the run gets its own database there and drops it afterwards. */
async function provideDatabase(cleanups: Array<() => Promise<void>>): Promise<string> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return createSiblingDatabase(serverUrl, randomBytes(4).toString("hex"), cleanups);
  // Under the git-ignored .data/, not created here: PostgreSQL runs as its own user and must own the directory.
  const directory = path.resolve(import.meta.dirname, `../.data/test-postgres-${randomBytes(4).toString("hex")}`);
  const database = await startEmbeddedPostgres({ directory, port: await freePort(), ephemeral: true });
  cleanups.push(async () => {
    await database.stop();
    await rm(directory, { recursive: true, force: true });
  });
  return database.url;
}

/**
 * A second database on the same server, with no app server attached: tests that run their own Klaviyo delivery
 * engines (with a simulated clock, or killed mid-batch) work there without the app's engine competing.
 */
async function createSiblingDatabase(serverUrl: string, suffix: string, cleanups: Array<() => Promise<void>>): Promise<string> {
  const name = `customer_agent_test_${suffix}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await run(`CREATE DATABASE ${name}`);
  cleanups.push(() => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
