import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../app/database/embedded.server";
import { applyMigrations } from "../app/database/migrate.server";
import { startFakeKlaviyo } from "../fakes/klaviyo/server";

/**
 * Klaviyo delivery under load, against the fake enforcing Klaviyo's real per-account limits.
 *
 * 1. lag: 20 accounts each start 10 conversations/s for 15 s through the app's own write path (below every
 *    limit); p95 of transaction commit → Klaviyo's 202.
 * 2. backlog: the rest of the 50,000 events land at once (2,350 per account); all must arrive once.
 * 3. ceiling: 2 accounts each get 4,500 events at once with bulk jobs off, so POST /api/events is saturated
 *    for over a minute; ceiling_ratio = the most events accepted for one account in any 60 s window ÷ 3,500
 *    (Klaviyo's steady limit). 1.0 means the engine runs exactly at the ceiling without tripping 429s.
 * Two engine instances share the database throughout, as two app servers would.
 */
const ACCOUNTS = 20;
const TOTAL_EVENTS = 50_000;
const LAG_RATE_PER_ACCOUNT = 10;
const LAG_SECONDS = 15;
const CEILING_ACCOUNTS = 2;
const CEILING_EVENTS_PER_ACCOUNT = 4_500;

const log = (message: string) => console.log(`[bench klaviyo] ${message}`);

const scratch = path.resolve(import.meta.dirname, `../.data/bench-postgres-${randomBytes(4).toString("hex")}`);
let stopDatabase = async () => {};
let databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  const name = `customer_agent_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const serverUrl = databaseUrl;
  stopDatabase = async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
  databaseUrl = url.toString();
} else {
  const embedded = await startEmbeddedPostgres({ directory: scratch, port: 54500 + Math.floor(Math.random() * 400), ephemeral: true });
  databaseUrl = embedded.url;
  stopDatabase = async () => {
    await embedded.stop();
    await rm(scratch, { recursive: true, force: true });
  };
}
await applyMigrations(databaseUrl);

const fake = await startFakeKlaviyo();
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: "bench",
  SHOPIFY_APP_URL: "http://localhost",
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  KLAVIYO_API_URL: fake.url,
});
const { db } = await import("../app/db.server");
const { encryptSecret } = await import("../app/crypto.server");
const { buildKlaviyoEvent } = await import("../app/klaviyo/events");
const { OUTBOX_CHANNEL } = await import("../app/klaviyo/outbox.server");
const { startConversation } = await import("../app/conversations/conversations.server");
const { startKlaviyoDelivery } = await import("../app/klaviyo/delivery.server");

async function connectedShops(count: number, prefix: string) {
  const shops: Array<{ shopId: string; accountId: string }> = [];
  for (let index = 0; index < count; index++) {
    const apiKey = `pk_bench_${prefix}_${index}_${randomBytes(6).toString("hex")}`;
    const accountId = fake.addAccount({ apiKey, accountId: `${prefix.toUpperCase()}${index}` });
    const shop = await db().shop.create({ data: { domain: `${prefix}-${index}-${randomBytes(3).toString("hex")}.myshopify.com` } });
    await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] } });
    shops.push({ shopId: shop.id, accountId });
  }
  return shops;
}

function fact(sequence: number) {
  const conversationId = randomUUID();
  return {
    kind: "started" as const,
    conversationId,
    channel: "web_chat" as const,
    firstMessage: `Bench question ${sequence}`,
    occurredAt: new Date(),
    shopper: { anonymousId: `anon-${conversationId}`, email: `shopper${sequence % 5000}@example.com` },
  };
}

async function backlog(shopId: string, count: number) {
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => {
      const event = buildKlaviyoEvent(fact(start + offset));
      return { shopId, metric: event.metric, uniqueId: event.uniqueId, occurredAt: event.occurredAt, payload: event.attributes as object };
    });
    await db().klaviyoEvent.createMany({ data: rows });
  }
  await db().$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${shopId})`;
}

async function waitUntilDelivered(shopIds: string[], expected: number, label: string) {
  const started = Date.now();
  for (;;) {
    const delivered = await db().klaviyoEvent.count({ where: { shopId: { in: shopIds }, status: "delivered" } });
    if (delivered >= expected) return (Date.now() - started) / 1000;
    if (Date.now() - started > 600_000) throw new Error(`${label}: only ${delivered}/${expected} delivered after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const engines = await Promise.all([1, 2].map((instance) => startKlaviyoDelivery({ instanceId: `bench-${instance}` })));
const shops = await connectedShops(ACCOUNTS, "bench");
const shopIds = shops.map((shop) => shop.shopId);

log(`phase 1: ${ACCOUNTS} accounts × ${LAG_RATE_PER_ACCOUNT} events/s for ${LAG_SECONDS} s`);
const committedAt = new Map<string, number>();
let sequence = 0;
for (let tick = 0; tick < LAG_SECONDS * LAG_RATE_PER_ACCOUNT; tick++) {
  const tickStart = Date.now();
  await Promise.all(
    shops.map(async ({ shopId }) => {
      const index = sequence++;
      const conversation = await startConversation({
        shopId,
        channel: "web_chat",
        shopper: { anonymousId: randomUUID(), email: `shopper${index}@example.com` },
        firstMessage: `Bench question ${index}`,
      });
      committedAt.set(`ca:${conversation.id}:started`, Date.now());
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / LAG_RATE_PER_ACCOUNT - (Date.now() - tickStart))));
}
const lagEvents = committedAt.size;
await waitUntilDelivered(shopIds, lagEvents, "lag phase");
const lags = fake
  .events()
  .filter((event) => event.uniqueId && committedAt.has(event.uniqueId))
  .map((event) => event.receivedAt - committedAt.get(event.uniqueId!)!)
  .sort((a, b) => a - b);
const p95Lag = lags[Math.floor(lags.length * 0.95)] ?? 0;
log(`phase 1: ${lagEvents} events, p95 lag ${p95Lag} ms`);

const backlogPerAccount = Math.floor((TOTAL_EVENTS - lagEvents) / ACCOUNTS);
log(`phase 2: ${backlogPerAccount * ACCOUNTS} events land at once`);
await Promise.all(shops.map(({ shopId }) => backlog(shopId, backlogPerAccount)));
const totalEvents = lagEvents + backlogPerAccount * ACCOUNTS;
const backlogSeconds = await waitUntilDelivered(shopIds, totalEvents, "backlog phase");
log(`phase 2: drained in ${backlogSeconds.toFixed(1)} s`);

log(`phase 3: ${CEILING_ACCOUNTS} accounts × ${CEILING_EVENTS_PER_ACCOUNT} events, single-event endpoint only`);
await Promise.all(engines.map((engine) => engine.stop()));
const singleEngines = await Promise.all([3, 4].map((instance) => startKlaviyoDelivery({ instanceId: `bench-${instance}`, bulkThreshold: Number.POSITIVE_INFINITY })));
const ceilingShops = await connectedShops(CEILING_ACCOUNTS, "ceiling");
const ceilingStart = Date.now();
await Promise.all(ceilingShops.map(({ shopId }) => backlog(shopId, CEILING_EVENTS_PER_ACCOUNT)));
await waitUntilDelivered(ceilingShops.map((shop) => shop.shopId), CEILING_ACCOUNTS * CEILING_EVENTS_PER_ACCOUNT, "ceiling phase");
const ceilingRatios = ceilingShops.map(({ accountId }) => {
  const times = fake.events(accountId).map((event) => event.receivedAt).sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= 60_000) first++;
    best = Math.max(best, last - first + 1);
  }
  return best / 3500;
});
const throttled = fake.requests().filter((request) => request.status === 429).length;
log(`phase 3: ${((Date.now() - ceilingStart) / 1000).toFixed(1)} s, busiest minute per account ${ceilingRatios.map((ratio) => Math.round(ratio * 3500)).join(", ")} events, ${throttled} 429s`);
await Promise.all(singleEngines.map((engine) => engine.stop()));

const allShopIds = [...shopIds, ...ceilingShops.map((shop) => shop.shopId)];
const stored = await db().klaviyoEvent.findMany({ where: { shopId: { in: allShopIds } }, select: { uniqueId: true } });
const acceptedCounts = new Map<string, number>();
for (const event of fake.events()) acceptedCounts.set(event.uniqueId!, (acceptedCounts.get(event.uniqueId!) ?? 0) + 1);
const lost = stored.filter((row) => !acceptedCounts.has(row.uniqueId)).length;
const duplicated = [...acceptedCounts.values()].filter((count) => count > 1).length;
const resent = [...shops, ...ceilingShops].reduce((sum, { accountId }) => sum + fake.duplicatesIgnored(accountId), 0);

await db().$disconnect();
await fake.close();
await stopDatabase();

console.log(
  JSON.stringify({
    events: totalEvents,
    accounts: ACCOUNTS,
    ceiling_ratio: Number(Math.min(...ceilingRatios).toFixed(3)),
    ceiling_events: CEILING_ACCOUNTS * CEILING_EVENTS_PER_ACCOUNT,
    p95_lag_ms: p95Lag,
    backlog_drain_s: Number(backlogSeconds.toFixed(1)),
    throttled_429: throttled,
    lost,
    duplicated,
    resent_and_deduped: resent,
  }),
);
process.exit(0);
