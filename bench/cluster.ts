import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { startFakeKlaviyo } from "../fakes/klaviyo/server";
import { buildDemoCatalog } from "../fakes/shopify/catalog";
import { startFakeShopify } from "../fakes/shopify/server";
import { freePort } from "../test/support/ports";
import { startAppInstance, stopAppInstance } from "./support/app-instance";
import { chatShopper, emptyChatResults, percentile } from "./support/chat-shoppers";
import { benchDatabase } from "./support/database";
import { deliverOrderWebhook, orderWebhookBody } from "./support/order-webhooks";
import { startRoundRobinProxy } from "./support/round-robin-proxy";

/**
 * Three app instances (the built server, workers on) on one PostgreSQL behind a local round-robin load balancer that
 * health-checks /readyz, with the fake Shopify and the fake Klaviyo. For 60 s at once: shoppers chatting through the
 * signed app proxy (built-in brain, consent given, so their conversations go to Klaviyo), signed orders/create
 * webhooks offered open loop (a delivery not acknowledged is sent again after a second with the same webhook id, as
 * Shopify retries), and the outbox delivering to Klaviyo. One instance is SIGKILLed at 20 s, a new one starts at 40 s.
 *
 * lost = webhooks never acknowledged or acknowledged and not processed + outbox rows Klaviyo never accepted +
 * shopper messages left without an answer; duplicated = Klaviyo acceptances beyond one per stored event + orders
 * stored twice; errors_5xx = 5xx answers the shoppers and Shopify saw (errors_5xx_in_flight_on_killed: the
 * balancer's 502s for requests the killed instance had received); recovery_s = from the kill until no Klaviyo
 * account is leased to the killed instance any more (every shop keeps chatting, so each account it held has work
 * again within seconds, idle or not), no webhook delivery it claimed is unprocessed and no pg-boss job started before
 * the kill is still active.
 * BENCH_SHOPPERS (24), BENCH_WEBHOOK_RATE (20 per second), BENCH_SHOPS (4).
 */
const INSTANCES = 3;
const DURATION_S = 60;
const KILL_AT_S = 20;
const RESTART_AT_S = 40;
const SHOPS = Number(process.env.BENCH_SHOPS ?? 4);
const SHOPPERS = Number(process.env.BENCH_SHOPPERS ?? 24);
const WEBHOOK_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 20);
const SECRET = "bench-secret";
const log = (message: string) => console.log(`[bench cluster] ${message}`);

const benchDb = await benchDatabase("cluster");
log(process.env.DATABASE_URL ? "scratch database on the server in DATABASE_URL" : "embedded PostgreSQL started");
const klaviyo = await startFakeKlaviyo();
const proxyPort = await freePort();
const appUrl = `http://127.0.0.1:${proxyPort}`;
const domains = Array.from({ length: SHOPS }, (_, index) => `bench-cluster-${index}-${randomBytes(3).toString("hex")}.myshopify.com`);
const shopify = await startFakeShopify({
  apiSecret: SECRET,
  appUrl,
  shops: domains.map((domain) => buildDemoCatalog(domain)),
  accessTokens: Object.fromEntries(domains.map((domain, index) => [domain, `shpat_cluster_${index}`])),
});
const environment = {
  DATABASE_URL: benchDb.url,
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: appUrl,
  SHOPIFY_ADMIN_API_ORIGIN: shopify.url,
  KLAVIYO_API_URL: klaviyo.url,
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  // Three instances on one server: a small pool each, as on a managed PostgreSQL's connection limit.
  DATABASE_POOL_SIZE: "5",
  WORKERS: "on",
};
Object.assign(process.env, { ...environment, WORKERS: "off" });
const { closeDatabase, db } = await import("../app/db.server");
const { encryptSecret } = await import("../app/crypto.server");
const { syncCatalog } = await import("../app/catalog/sync.server");
const { stopJobQueue } = await import("../app/jobs/queue.server");

// Installed shops with the demo catalog mirrored through the real sync, each connected to its own Klaviyo account.
const accountIds: string[] = [];
for (const [index, domain] of domains.entries()) {
  const shop = await db().shop.create({ data: { domain, name: `Cluster ${index}` } });
  await db().session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, scope: "read_products,read_orders", accessToken: `shpat_cluster_${index}` } });
  await syncCatalog(domain);
  const apiKey = `pk_cluster_${index}_${randomBytes(8).toString("hex")}`;
  const accountId = klaviyo.addAccount({ apiKey, accountId: `CLUSTER${index}` });
  await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] } });
  accountIds.push(accountId);
}
await stopJobQueue();
await closeDatabase();
log(`${SHOPS} shops with the demo catalog, each with its own Klaviyo account`);

const proxy = await startRoundRobinProxy({ port: proxyPort });
const instances: Array<{ process: ChildProcess; url: string }> = [];
async function addInstance() {
  const port = await freePort();
  const instance = await startAppInstance({ port, environment });
  instances.push({ process: instance, url: `http://127.0.0.1:${port}` });
  proxy.add(`http://127.0.0.1:${port}`);
  return instance;
}
await Promise.all(Array.from({ length: INSTANCES }, () => addInstance()));
const database = new pg.Pool({ connectionString: benchDb.url, max: 2 });
database.on("error", () => undefined);
await sleep(1500);
log(`${INSTANCES} instances behind the balancer on ${appUrl}; ${SHOPPERS} shoppers and ${WEBHOOK_RATE} orders/s for ${DURATION_S} s`);

const startedAt = Date.now();
const endAt = startedAt + DURATION_S * 1000;
const chat = emptyChatResults();
const chatLoad = { appUrl, secret: SECRET, measureFrom: startedAt, endAt, thinkMs: [2000, 6000] as [number, number], pollMs: 4000 };
const shoppers = Promise.all(Array.from({ length: SHOPPERS }, (_, index) => chatShopper(chatLoad, domains[index % SHOPS]!, chat, log)));

interface Delivery {
  shop: string;
  webhookId: string;
  orderId: number;
  body: string;
  scheduledAt: number;
  statuses: number[];
  ackMs?: number;
}
const deliveries: Delivery[] = [];
const webhooksSent = (async () => {
  const total = WEBHOOK_RATE * DURATION_S;
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const scheduledAt = startedAt + (index * 1000) / WEBHOOK_RATE;
    const wait = scheduledAt - Date.now();
    if (wait > 1) await sleep(wait);
    const number = index + 1;
    const delivery: Delivery = {
      shop: domains[index % SHOPS]!,
      webhookId: randomUUID(),
      orderId: 8_000_000_000 + number,
      body: orderWebhookBody({ id: 8_000_000_000 + number, number: 1000 + number, email: `buyer${number}@cluster.example`, customerId: 9_100_000 + number }),
      scheduledAt,
      statuses: [],
    };
    deliveries.push(delivery);
    inFlight.push(
      (async () => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const status = await deliverOrderWebhook(appUrl, SECRET, { shop: delivery.shop, webhookId: delivery.webhookId, body: delivery.body, triggeredAt: scheduledAt });
          delivery.statuses.push(status);
          if (status === 200) {
            if (attempt === 0) delivery.ackMs = Date.now() - scheduledAt;
            return;
          }
          await sleep(1000);
        }
      })(),
    );
  }
  await Promise.all(inFlight);
})();

// The fault: one instance SIGKILLed at 20 s, a new one at 40 s. What it held is watched until others have it.
let recoverySeconds: number | null = null;
let heldAtKill = { accounts: 0, webhooks: 0, jobs: 0 };
const faults = (async () => {
  await sleep(startedAt + KILL_AT_S * 1000 - Date.now());
  const victim = instances[1]!.process;
  const { rows } = await database.query<{ name: string }>(
    `SELECT application_name AS name FROM pg_stat_activity WHERE application_name LIKE $1 LIMIT 1`,
    [`instance-${victim.pid}-%`],
  );
  const victimId = rows[0]?.name ?? "";
  victim.kill("SIGKILL");
  const killedAt = new Date();
  log(`killed instance ${victimId} at ${KILL_AT_S} s`);
  const held = async () => {
    const { rows: counts } = await database.query<{ accounts: number; webhooks: number; jobs: number }>(
      `SELECT (SELECT count(*)::int FROM "KlaviyoConnection" WHERE "leaseOwner" = $1) AS accounts,
              (SELECT count(*)::int FROM "WebhookDelivery" WHERE "claimedBy" = $1 AND status <> 'processed') AS webhooks,
              (SELECT count(*)::int FROM pgboss.job WHERE state = 'active' AND started_on < $2) AS jobs`,
      [victimId, killedAt],
    );
    return counts[0]!;
  };
  heldAtKill = await held();
  for (;;) {
    const now = await held();
    if (now.accounts === 0 && now.webhooks === 0 && now.jobs === 0) break;
    await sleep(100);
  }
  recoverySeconds = (Date.now() - killedAt.getTime()) / 1000;
  log(`recovered ${recoverySeconds.toFixed(1)} s after the kill (held then: ${JSON.stringify(heldAtKill)})`);
  await sleep(startedAt + RESTART_AT_S * 1000 - Date.now());
  await addInstance();
  log(`a new instance started at ${RESTART_AT_S} s listens from ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
})();

await Promise.all([shoppers, webhooksSent, faults]);
log(`load done: ${chat.latencies.length} turns, ${deliveries.length} webhooks offered; draining`);

// Drain: every webhook processed, every outbox row delivered, every shopper message answered (bounded).
const drainStarted = Date.now();
for (;;) {
  const { rows } = await database.query<{ webhooks: number; outbox: number; unanswered: number }>(
    `SELECT (SELECT count(*)::int FROM "WebhookDelivery" WHERE status <> 'processed') AS webhooks,
            (SELECT count(*)::int FROM "KlaviyoEvent" WHERE status = 'pending') AS outbox,
            (SELECT count(*)::int FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
              WHERE m.author = 'shopper' AND c.status <> 'escalated'
                AND NOT EXISTS (SELECT 1 FROM "Message" r WHERE r."replyToId" = m.id)) AS unanswered`,
  );
  const left = rows[0]!;
  if ((left.webhooks === 0 && left.outbox === 0 && left.unanswered === 0) || Date.now() - drainStarted > 120_000) break;
  await sleep(500);
}
log(`drained in ${((Date.now() - drainStarted) / 1000).toFixed(1)} s`);

const { rows: processed } = await database.query<{ shopDomain: string; webhookId: string }>(`SELECT "shopDomain", "webhookId" FROM "WebhookDelivery" WHERE status = 'processed'`);
const { rows: orders } = await database.query<{ shopifyId: string; copies: number }>(`SELECT "shopifyId", count(*)::int AS copies FROM "Order" GROUP BY 1`);
const { rows: stored } = await database.query<{ uniqueId: string; kind: string; status: string }>(`SELECT "uniqueId", kind::text, status::text FROM "KlaviyoEvent"`);
const { rows: unansweredRows } = await database.query<{ count: number }>(
  `SELECT count(*)::int FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
    WHERE m.author = 'shopper' AND c.status <> 'escalated' AND NOT EXISTS (SELECT 1 FROM "Message" r WHERE r."replyToId" = m.id)`,
);
const processedIds = new Set(processed.map((row) => `${row.shopDomain}|${row.webhookId}`));
const orderCopies = new Map(orders.map((row) => [row.shopifyId, row.copies]));
const webhooksLost = deliveries.filter((delivery) => !processedIds.has(`${delivery.shop}|${delivery.webhookId}`) || !orderCopies.has(String(delivery.orderId))).length;
const accepted = new Map<string, number>();
for (const event of klaviyo.events()) accepted.set(event.uniqueId!, (accepted.get(event.uniqueId!) ?? 0) + 1);
const storedEvents = stored.filter((row) => row.kind === "event");
const eventsLost = storedEvents.filter((row) => !accepted.has(row.uniqueId)).length + stored.filter((row) => row.kind === "profile" && row.status !== "delivered").length;
const eventsDuplicated = klaviyo.events().length - storedEvents.filter((row) => accepted.has(row.uniqueId)).length;
const ordersDuplicated = orders.filter((row) => row.copies > 1).length;
const unanswered = unansweredRows[0]!.count;

const webhookFailures = deliveries.flatMap((delivery) => delivery.statuses.filter((status) => status !== 200));
const errors5xx = chat.failures.filter((failure) => failure.status >= 500).length + webhookFailures.filter((status) => status >= 500).length;
const ackTimes = deliveries.flatMap((delivery) => (delivery.ackMs === undefined ? [] : [delivery.ackMs])).sort((a, b) => a - b);
const latencies = chat.latencies.sort((a, b) => a - b);

for (const instance of instances) await stopAppInstance(instance.process);
await proxy.close();
await database.end();
await shopify.close();
await klaviyo.close();
await benchDb.stop();

console.log(
  JSON.stringify({
    instances: INSTANCES,
    chat_turns: latencies.length,
    chat_p95_ms: percentile(latencies, 95),
    webhooks: deliveries.length,
    webhook_ack_p99_ms: percentile(ackTimes, 99),
    events_delivered: klaviyo.events().length,
    lost: webhooksLost + eventsLost + unanswered,
    duplicated: eventsDuplicated + ordersDuplicated,
    errors_5xx: errors5xx,
    recovery_s: recoverySeconds === null ? null : Number((recoverySeconds as number).toFixed(1)),
    errors_5xx_in_flight_on_killed: proxy.stats.badGateway.length,
    retried_on_another_instance: proxy.stats.retriedElsewhere,
    held_by_killed: heldAtKill,
    lost_detail: { webhooks: webhooksLost, outbox: eventsLost, unanswered_messages: unanswered },
    duplicated_detail: { klaviyo_events: eventsDuplicated, orders: ordersDuplicated },
    chat_errors: chat.errors,
    webhook_retries: webhookFailures.length,
    resent_and_deduped: accountIds.reduce((sum, accountId) => sum + klaviyo.duplicatesIgnored(accountId), 0),
    duration_s: DURATION_S,
  }),
);
process.exit(0);
