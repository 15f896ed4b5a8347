import { setPriority } from "node:os";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { startAppInstance, stopAppInstance } from "./support/app-instance";
import { benchDatabase } from "./support/database";
import { orderWebhookBody, postOrderWebhook, signedOrderWebhookHeaders } from "./support/order-webhooks";

/**
 * Webhook intake under Shopify-like load: the built server (its own process, as in production, with its background
 * workers) on embedded PostgreSQL, signed `orders/create` deliveries offered at a fixed rate for a fixed time, open
 * loop: each request leaves at its scheduled time whether or not earlier ones were answered, and its ack time counts
 * from that schedule, so a stalled server cannot hide its queueing (no coordinated omission).
 *
 * Behind the acks the real order processing runs (mirror upsert, linking to a shopper, attribution, profile outbox
 * rows): a fifth of the orders belong to shoppers who chatted, so linking finds them. 1 % of deliveries are sent a
 * second time with the same webhook id, as Shopify does.
 *
 * lost = acknowledged deliveries with no stored row, or processed without their order mirrored; still_queued_after_drain
 * = acknowledged and stored but not yet processed when the bench stops waiting (3 minutes after the last ack);
 * processed_twice = deliveries claimed again without a failure recorded (an expired lease) or orders stored twice;
 * processing_lag_p95_ms = acknowledged → processedAt.
 *
 * The offer begins with BENCH_WARM_UP_S (5) seconds at the same rate whose acks are printed apart
 * (`warm_up_ack_p99_ms`: a freshly started process, its code not yet optimised), as the chat bench warms up.
 * Every delivery, warm-up included, counts for lost and processed twice.
 *
 * BENCH_RATE (default 500), BENCH_SECONDS (60), BENCH_SHOPS (10); BENCH_CPU_PROF=dir writes the server's CPU profile.
 */
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARM_UP_MS = Number(process.env.BENCH_WARM_UP_S ?? 5) * 1000;
const SHOPS = Number(process.env.BENCH_SHOPS ?? 10);
const SHOPPERS_PER_SHOP = 200;
const REPLAY_SHARE = 0.01;
const SECRET = "bench-secret";

const log = (message: string) => console.log(`[bench webhooks] ${message}`);

const benchDb = await benchDatabase("bench");
const databaseUrl = benchDb.url;
const stopDatabase = () => benchDb.stop();
log(process.env.DATABASE_URL ? "scratch database on the server in DATABASE_URL" : "embedded PostgreSQL started");
const database = new pg.Pool({ connectionString: databaseUrl, max: 4 });
// The database stops before this pool's idle connections notice; that is not the bench's failure.
database.on("error", () => undefined);

// Installed shops (an offline session each, as after OAuth) and the shoppers who chatted with the agent.
const shops: string[] = [];
const shopperEmails: string[][] = [];
for (let index = 0; index < SHOPS; index++) {
  const domain = `bench-${index}-${randomBytes(3).toString("hex")}.myshopify.com`;
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO "Shop" (id, domain, "updatedAt") VALUES ($1, $2, now()) RETURNING id`,
    [randomUUID(), domain],
  );
  await database.query(
    `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, '', false, 'read_orders', $3)`,
    [`offline_${domain}`, domain, `shpat_${randomBytes(16).toString("hex")}`],
  );
  const emails = Array.from({ length: SHOPPERS_PER_SHOP }, (_, shopper) => `shopper${shopper}@bench-${index}.example`);
  await database.query(
    `INSERT INTO "Shopper" (id, "shopId", "anonymousId", email, "updatedAt")
     SELECT gen_random_uuid()::text, $1, gen_random_uuid()::text, email, now() FROM unnest($2::text[]) AS email`,
    [rows[0]!.id, emails],
  );
  shops.push(domain);
  shopperEmails.push(emails);
}

const port = 43000 + Math.floor(Math.random() * 2000);
const appUrl = `http://127.0.0.1:${port}`;
const cpuProfile = process.env.BENCH_CPU_PROF;
// BENCH_TOPOLOGY=split (the default) runs the production topology for bursts: a web instance that only
// acknowledges (WORKERS=off) and a worker instance that processes, both on the same database; "single" runs one
// instance doing both, so the order processing competes with the acknowledgements for one JavaScript thread.
const topology = process.env.BENCH_TOPOLOGY ?? "split";
function startInstance(instancePort: number, workers: "on" | "off", profile: boolean) {
  return startAppInstance({
    port: instancePort,
    environment: {
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: appUrl,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      WORKERS: workers,
    },
    nodeArguments: profile && cpuProfile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(cpuProfile)}`] : [],
  });
}
// BENCH_WORKERS=off measures the intake alone (nothing is processed, so everything counts as lost).
const processing = process.env.BENCH_WORKERS !== "off";
const server = await startInstance(port, topology === "single" && processing ? "on" : "off", true);
const worker = topology === "split" && processing ? await startInstance(port + 1, "on", false) : null;
// On one host the worker instance runs at a lower CPU priority (BENCH_WORKER_NICE, default 10; 0 for none), as a
// deployment gives web and worker instances CPU of their own: its processing is behind by tens of seconds in a
// burst anyway, and it otherwise takes the core an acknowledgement is waiting for (ADR 005).
const workerNice = worker ? Number(process.env.BENCH_WORKER_NICE ?? 10) : 0;
if (worker && workerNice) setPriority(worker.pid!, workerNice);
log(`server up on ${appUrl} (${topology === "split" && processing ? "web instance + worker instance" : "one instance"})`);

let orderSequence = 0;
function orderBody(shopIndex: number) {
  const number = ++orderSequence;
  const linked = number % 5 === 0;
  const email = linked ? shopperEmails[shopIndex]![number % SHOPPERS_PER_SHOP]! : `guest${number}@bench.example`;
  return orderWebhookBody({ id: 7_000_000_000 + number, number: 1000 + number, email, customerId: 9_000_000 + (number % 5000) });
}

interface Sent {
  webhookId: string;
  shop: string;
  orderId: number;
  body: string;
  /** When it is due to leave, from the start of the offer. */
  offsetMs: number;
  headers: Record<string, string>;
  ackedAt?: number;
  status?: number;
}

// What the database's sessions are doing, sampled every 100 ms during the offer: where the time goes when the app
// waits on PostgreSQL (the profile behind docs/decisions/005-webhook-intake.md).
const waitSamples = new Map<string, number>();
let sampling = true;
const sampler = (async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  while (sampling) {
    const { rows } = await client.query<{ sample: string }>(
      `SELECT concat_ws(' | ', state, wait_event_type || ':' || wait_event, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 70)) AS sample
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    for (const { sample } of rows) waitSamples.set(sample, (waitSamples.get(sample) ?? 0) + 1);
    await sleep(100);
  }
  await client.end();
})();

// Every delivery is built and signed before the clock starts, so the generator, on the same cores as the server,
// does no more per request than send it and time the answer.
const originals: Sent[] = [];
const replays: Sent[] = [];
const total = (RATE * (WARM_UP_MS + SECONDS * 1000)) / 1000;
const plan: Sent[] = [];
for (let index = 0; index < total; index++) {
  const replayOf = index > 100 && Math.random() < REPLAY_SHARE ? originals[Math.floor(Math.random() * originals.length)] : undefined;
  const shopIndex = index % SHOPS;
  const body = replayOf?.body ?? orderBody(shopIndex);
  const offsetMs = (index * 1000) / RATE;
  const delivery = {
    webhookId: replayOf?.webhookId ?? randomUUID(),
    shop: replayOf?.shop ?? shops[shopIndex]!,
    orderId: replayOf?.orderId ?? (JSON.parse(body) as { id: number }).id,
    body,
  };
  const sent: Sent = { ...delivery, offsetMs, headers: signedOrderWebhookHeaders(SECRET, { ...delivery, triggeredAt: Date.now() + offsetMs }) };
  (replayOf ? replays : originals).push(sent);
  plan.push(sent);
}

// Open loop: request i leaves at start + i / RATE.
log(`offering ${RATE} orders/create per second for ${WARM_UP_MS / 1000} + ${SECONDS} s across ${SHOPS} shops`);
const inFlight: Promise<void>[] = [];
const departureDelays: number[] = [];
const start = performance.now() + 100;
const wallStart = Date.now() + 100;
for (const sent of plan) {
  const due = start + sent.offsetMs;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
  // How late the generator itself sent this request (its own event loop or GC stalling, or no core for it): that
  // lateness counts in the ack time, as it must for open loop, but it is the generator's, not the server's.
  departureDelays.push(performance.now() - due);
  inFlight.push(
    postOrderWebhook(appUrl, sent.headers, sent.body).then((status) => {
      sent.status = status;
      sent.ackedAt = Date.now();
    }),
  );
}
const offeredSeconds = (Date.now() - wallStart) / 1000;
await Promise.all(inFlight);
sampling = false;
await sampler;
const sampleTotal = [...waitSamples.values()].reduce((sum, count) => sum + count, 0);
log("database sessions during the offer (share of samples):");
for (const [sample, count] of [...waitSamples].sort((a, b) => b[1] - a[1]).slice(0, 8)) log(`  ${((100 * count) / sampleTotal).toFixed(1)}%  ${sample}`);
// Accepted per second over the time it took to answer them all: a server that falls behind scores below the offer.
const answeredSeconds = (Date.now() - wallStart) / 1000;

const everything = [...originals, ...replays];
const acked = everything.filter((sent) => sent.status === 200);
const failedStatuses = new Map<number, number>();
for (const sent of everything) if (sent.status !== 200) failedStatuses.set(sent.status!, (failedStatuses.get(sent.status!) ?? 0) + 1);
const ackTime = (sent: Sent) => sent.ackedAt! - wallStart - sent.offsetMs;
const ackTimes = acked.filter((sent) => sent.offsetMs >= WARM_UP_MS).map(ackTime).sort((a, b) => a - b);
const warmUpAckTimes = acked.filter((sent) => sent.offsetMs < WARM_UP_MS).map(ackTime).sort((a, b) => a - b);
const percentile = (values: number[], share: number) => values[Math.min(values.length - 1, Math.floor(values.length * share))] ?? 0;
// Where in the offer the slow acknowledgements were: a tail only in the first seconds is the cold process.
for (let window = 0; window < SECONDS; window += 10) {
  const inWindow = acked
    .filter((sent) => sent.offsetMs >= WARM_UP_MS + window * 1000 && sent.offsetMs < WARM_UP_MS + (window + 10) * 1000)
    .map(ackTime)
    .sort((a, b) => a - b);
  log(`  offered at ${window}-${window + 10} s after the warm-up: ack p50 ${Math.round(percentile(inWindow, 0.5))} ms, p99 ${Math.round(percentile(inWindow, 0.99))} ms`);
}
const sortedDelays = [...departureDelays].sort((a, b) => a - b);
log(`generator lateness: p50 ${percentile(sortedDelays, 0.5).toFixed(1)} ms, p99 ${percentile(sortedDelays, 0.99).toFixed(1)} ms, max ${sortedDelays.at(-1)!.toFixed(0)} ms`);
log(`offered ${everything.length} in ${offeredSeconds.toFixed(1)} s, last answered ${answeredSeconds.toFixed(1)} s after the first left; ${acked.length} acknowledged; failures ${JSON.stringify(Object.fromEntries(failedStatuses))}`);

// Wait for the background processing to drain (bounded: a stuck queue is reported as lost, not waited on forever).
const ackedOriginals = originals.filter((sent) => sent.status === 200);
const drainStarted = Date.now();
for (;;) {
  const { rows } = await database.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM "WebhookDelivery" WHERE status <> 'processed'`);
  if (rows[0]!.waiting === 0 || Date.now() - drainStarted > 180_000 || process.env.BENCH_WORKERS === "off") break;
  await sleep(500);
}
log(`background processing drained ${((Date.now() - drainStarted) / 1000).toFixed(1)} s after the last ack`);

const { rows: deliveries } = await database.query<{ webhookId: string; shopDomain: string; status: string; attempts: number; error: string | null; processedAt: Date | null }>(
  `SELECT "webhookId", "shopDomain", status::text AS status, attempts, error, "processedAt" FROM "WebhookDelivery"`,
);
const { rows: orders } = await database.query<{ domain: string; shopifyId: string; copies: number }>(
  `SELECT s.domain, o."shopifyId", count(*)::int AS copies FROM "Order" o JOIN "Shop" s ON s.id = o."shopId" GROUP BY 1, 2`,
);
const byWebhook = new Map(deliveries.map((row) => [`${row.shopDomain}|${row.webhookId}`, row]));
const ordersStored = new Map(orders.map((row) => [`${row.domain}|${row.shopifyId}`, row.copies]));
let lost = 0;
let stillQueued = 0;
const lags: number[] = [];
for (const sent of ackedOriginals) {
  const row = byWebhook.get(`${sent.shop}|${sent.webhookId}`);
  if (row && row.status !== "processed") {
    stillQueued++;
    continue;
  }
  if (!row || !ordersStored.has(`${sent.shop}|${sent.orderId}`)) {
    lost++;
    continue;
  }
  lags.push(row.processedAt!.getTime() - sent.ackedAt!);
}
// A retry after a recorded failure (its transaction rolled back) is not work done twice; a claim with no failure
// before it (an expired lease) would be.
const processedTwice = deliveries.filter((row) => row.attempts > 1 && row.error === null).length + orders.filter((row) => row.copies > 1).length;
const retriedAfterFailure = deliveries.filter((row) => row.attempts > 1 && row.error !== null).length;
lags.sort((a, b) => a - b);

for (const instance of [server, worker]) if (instance) await stopAppInstance(instance);
await database.end();
await stopDatabase();

console.log(
  JSON.stringify({
    offered_rps: Math.round(everything.length / offeredSeconds),
    rps: Math.round(acked.length / answeredSeconds),
    ack_p50_ms: Math.round(percentile(ackTimes, 0.5)),
    ack_p99_ms: Math.round(percentile(ackTimes, 0.99)),
    warm_up_ack_p99_ms: Math.round(percentile(warmUpAckTimes, 0.99)),
    lost,
    processed_twice: processedTwice,
    processing_lag_p95_ms: Math.round(percentile(lags, 0.95)),
    failed_requests: everything.length - acked.length,
    retried_after_failure: retriedAfterFailure,
    still_queued_after_drain: stillQueued,
    replays: replays.length,
    seconds: SECONDS,
    topology,
    worker_nice: workerNice,
    shops: SHOPS,
  }),
);
process.exit(0);
