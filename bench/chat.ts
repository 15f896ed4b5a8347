import { randomBytes } from "node:crypto";
import path from "node:path";
import { buildDemoCatalog } from "../fakes/shopify/catalog";
import { startFakeShopify } from "../fakes/shopify/server";
import { freePort } from "../test/support/ports";
import { startAppInstance, stopAppInstance } from "./support/app-instance";
import { chatShopper, emptyChatResults, percentile } from "./support/chat-shoppers";
import { benchDatabase } from "./support/database";

/**
 * The storefront chat under load: the built server (NODE_ENV=production, background workers on) on its own
 * embedded PostgreSQL, a shop with 10,000 products, and 100 shoppers chatting through the signed app proxy API
 * for 60 s as the widget does: each sends a message, reads the agent's answer, polls the thread every 4 s while
 * open, and types the next message after a pause (2–6 s). A turn is timed from the shopper's POST to the agent's
 * reply being readable (in the POST's answer when the built-in brain answers inline, else on a later poll).
 * Last line: turns, p50_ms, p95_ms, p99_ms, errors, polls, products.
 * BENCH_CPU_PROF=1 writes the server's CPU profile to .data/bench-chat-*.cpuprofile.
 */
const SHOPPERS = 100;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const WARM_UP_S = 5;
const PRODUCTS = 10_000;
const THINK_MS: [number, number] = [2000, 6000];
const POLL_MS = 4000;
const SHOP = "bench-chat.myshopify.com";
const SECRET = "bench-secret";
const root = path.resolve(import.meta.dirname, "..");
const log = (message: string) => console.log(`[bench chat] ${message}`);


const embedded = await benchDatabase("chat");
log(process.env.DATABASE_URL ? "scratch database on the server in DATABASE_URL" : "embedded PostgreSQL started");

const catalog = buildDemoCatalog(SHOP);
const appPort = await freePort();
const appUrl = `http://127.0.0.1:${appPort}`;
const shopify = await startFakeShopify({ apiSecret: SECRET, appUrl, shops: [catalog], accessTokens: { [SHOP]: "shpat_bench" } });
Object.assign(process.env, {
  DATABASE_URL: embedded.url,
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: appUrl,
  SHOPIFY_ADMIN_API_ORIGIN: shopify.url,
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  WORKERS: "off",
});
const { closeDatabase, db, pool } = await import("../app/db.server");
const { syncCatalog } = await import("../app/catalog/sync.server");
const { stopJobQueue } = await import("../app/jobs/queue.server");

await db().shop.create({ data: { domain: SHOP, name: "Bench Chat" } });
await db().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, scope: "read_products,read_orders", accessToken: "shpat_bench" } });
await syncCatalog(SHOP);
// The demo catalog through the real mirror, then copies under other vendors until the shop has 10,000 products.
await pool().query(
  `WITH source AS (SELECT * FROM "Product" WHERE "shopId" = (SELECT id FROM "Shop" WHERE domain = $1)),
        copies AS (SELECT generate_series(1, CEIL(($2::int - (SELECT count(*) FROM source)) / (SELECT count(*) FROM source)::float)::int) AS copy),
        inserted AS (
          INSERT INTO "Product" (id, "shopId", "shopifyId", handle, title, description, vendor, "productType", tags, status, "imageUrl", "priceMin", "priceMax",
                                 "shopifyUpdatedAt", "updatedAt", "publishedAt", "onlineStoreUrl", options, "variantOptionValues", "variantSkus")
          SELECT gen_random_uuid()::text, s."shopId", s."shopifyId" || '-' || c.copy, s.handle || '-' || c.copy, s.title || ' ' || (ARRAY['Pro','Lite','Classic','Trail','Urban','Max'])[1 + c.copy % 6],
                 s.description, 'Vendor ' || (c.copy % 40), s."productType", s.tags, s.status, s."imageUrl", s."priceMin" + (c.copy % 30), s."priceMax" + (c.copy % 30),
                 s."shopifyUpdatedAt", s."updatedAt", s."publishedAt", s."onlineStoreUrl", s.options, s."variantOptionValues",
                 ARRAY(SELECT sku || '-' || c.copy FROM unnest(s."variantSkus") AS sku)
          FROM source s CROSS JOIN copies c
          RETURNING id, "shopifyId"
        )
   INSERT INTO "ProductVariant" (id, "productId", "shopifyId", title, sku, price, inventory, "compareAtPrice", "inventoryPolicy", position, "optionValues")
   SELECT gen_random_uuid()::text, i.id, v."shopifyId" || '-' || split_part(i."shopifyId", '-', 2), v.title, v.sku || '-' || split_part(i."shopifyId", '-', 2),
          v.price + split_part(i."shopifyId", '-', 2)::int % 30, v.inventory, v."compareAtPrice", v."inventoryPolicy", v.position, v."optionValues"
   FROM inserted i JOIN "Product" p ON p."shopifyId" = split_part(i."shopifyId", '-', 1) AND p."shopId" = (SELECT id FROM "Shop" WHERE domain = $1)
   JOIN "ProductVariant" v ON v."productId" = p.id`,
  [SHOP, PRODUCTS],
);
await pool().query(`DELETE FROM "Product" WHERE id IN (SELECT id FROM "Product" ORDER BY "shopifyId" DESC OFFSET $1)`, [PRODUCTS]);
await pool().query("ANALYZE");
const { rows } = await pool().query<{ count: string }>(`SELECT count(*) FROM "Product"`);
const products = Number(rows[0]!.count);
log(`catalog: ${products} products`);
await stopJobQueue();
await closeDatabase();

const profileDir = path.resolve(root, ".data");
const server = await startAppInstance({
  port: appPort,
  environment: { WORKERS: "on", LOG_LEVEL: "warn" },
  nodeArguments: process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-name=bench-chat-server.cpuprofile"] : [],
});
log(`built server on ${appUrl}; ${SHOPPERS} shoppers for ${DURATION_S} s (+${WARM_UP_S} s warm-up)`);

const measureFrom = Date.now() + WARM_UP_S * 1000;
const load = { appUrl, secret: SECRET, measureFrom, endAt: measureFrom + DURATION_S * 1000, thinkMs: THINK_MS, pollMs: POLL_MS };
const results = emptyChatResults();
await Promise.all(Array.from({ length: SHOPPERS }, () => chatShopper(load, SHOP, results, log)));

await stopAppInstance(server);
await shopify.close();
await embedded.stop();

const latencies = results.latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    turns: latencies.length,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    p99_ms: percentile(latencies, 99),
    errors: results.errors,
    polls: results.polls,
    products,
    p95_ms_by_message: Object.fromEntries(
      Object.entries(results.latenciesByMessage).map(([message, values]) => [message, percentile(values.sort((a, b) => a - b), 95)]),
    ),
    shoppers: SHOPPERS,
    duration_s: DURATION_S,
  }),
);
