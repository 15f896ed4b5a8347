import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { buildDemoCatalog } from "../fakes/shopify/catalog";
import { signAppProxyQuery, startFakeShopify } from "../fakes/shopify/server";
import { freePort } from "../test/support/ports";
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

// What shoppers ask, in order; after the last one the conversation is resolved and the next starts afresh.
const SCRIPT = [
  "Hi! Do you have a rain jacket under $200?",
  "anything cheaper?",
  "do you have hoodies in navy",
  "What is your return policy?",
  "thanks, that's all",
];

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
          v.price, v.inventory, v."compareAtPrice", v."inventoryPolicy", v.position, v."optionValues"
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
const server = spawn(
  process.execPath,
  [...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-name=bench-chat-server.cpuprofile"] : []), "--import", "tsx", "server.ts"],
  {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: String(appPort), WORKERS: "on", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
await new Promise<void>((resolve, reject) => {
  server.stdout!.on("data", (chunk: Buffer) => {
    if (chunk.toString().includes("listening")) resolve();
  });
  server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
});
log(`built server on ${appUrl}; ${SHOPPERS} shoppers for ${DURATION_S} s (+${WARM_UP_S} s warm-up)`);

function proxyUrl(pathname: string, extra: Record<string, string> = {}): string {
  const url = new URL(`/proxy${pathname}`, appUrl);
  const params = { shop: SHOP, path_prefix: "/apps/customer-agent", timestamp: String(Math.floor(Date.now() / 1000)), logged_in_customer_id: "", ...extra };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set("signature", signAppProxyQuery(url.searchParams, SECRET));
  return url.toString();
}

interface View {
  conversationId: string;
  agentTyping: boolean;
  messages: Array<{ author: string }>;
}

const latencies: number[] = [];
let errors = 0;
let polls = 0;
const measureFrom = Date.now() + WARM_UP_S * 1000;
const endAt = measureFrom + DURATION_S * 1000;
const random = (low: number, high: number) => low + Math.random() * (high - low);

async function call(url: string, body?: object): Promise<View> {
  const response = await fetch(url, {
    method: body ? "POST" : "GET",
    headers: { "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as View;
}

async function shopper() {
  const anonymousId = randomUUID();
  const consent = { analytics: true, marketing: true };
  let conversationId: string | null = null;
  let step = 0;
  let nextPoll = Date.now() + POLL_MS;
  await sleep(random(0, THINK_MS[1]));
  while (Date.now() < endAt) {
    const message = SCRIPT[step % SCRIPT.length]!;
    const sentAt = Date.now();
    try {
      let view: View = conversationId
        ? await call(proxyUrl(`/conversations/${conversationId}/messages`), { anonymousId, message, consent })
        : await call(proxyUrl("/conversations"), { anonymousId, message, consent });
      conversationId = view.conversationId;
      while (view.agentTyping && Date.now() < endAt + 30_000) {
        await sleep(100);
        view = await call(proxyUrl(`/conversations/${conversationId}`, { anonymousId }));
      }
      if (view.messages.at(-1)?.author !== "agent") throw new Error("no agent reply");
      if (sentAt >= measureFrom && Date.now() <= endAt) latencies.push(Date.now() - sentAt);
    } catch (error) {
      if (sentAt >= measureFrom) errors++;
      if (errors <= 5) log(`error: ${(error as Error).message.slice(0, 200)}`);
    }
    step++;
    if (step % SCRIPT.length === 0) conversationId = null;
    // The widget keeps polling while the shopper reads and types.
    const typeUntil = Date.now() + random(...THINK_MS);
    while (Date.now() < typeUntil && Date.now() < endAt) {
      const wait = Math.min(typeUntil, nextPoll) - Date.now();
      if (wait > 0) await sleep(wait);
      if (Date.now() >= nextPoll && conversationId) {
        nextPoll = Date.now() + POLL_MS;
        await call(proxyUrl(`/conversations/${conversationId}`, { anonymousId })).then(() => polls++, () => errors++);
      } else if (Date.now() >= nextPoll) nextPoll = Date.now() + POLL_MS;
    }
  }
}

await Promise.all(Array.from({ length: SHOPPERS }, () => shopper()));

const stopped = new Promise((resolve) => server.once("exit", resolve));
server.kill("SIGTERM");
await stopped;
await shopify.close();
await embedded.stop();

latencies.sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
console.log(
  JSON.stringify({
    turns: latencies.length,
    p50_ms: percentile(50),
    p95_ms: percentile(95),
    p99_ms: percentile(99),
    errors,
    polls,
    products,
    shoppers: SHOPPERS,
    duration_s: DURATION_S,
  }),
);
