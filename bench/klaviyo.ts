import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { startFakeKlaviyo } from "../fakes/klaviyo/server";
import { benchDatabase } from "./support/database";

/**
 * Klaviyo delivery under load: 20 accounts, 50,000 events, against the fake enforcing Klaviyo's real per-account
 * limits (fixed 1 s and 1 min windows, 429 + Retry-After). Two delivery engines share the database throughout,
 * as two app servers would.
 *
 * 1. lag: 18 of the accounts each start 10 conversations a second for 15 s through the app's own write path
 *    (far below every limit); p95_lag_ms = p95 of transaction commit → the fake's 202.
 * 2. ceiling: the other 2 accounts (untouched so far, so no earlier request eats into their minute) receive
 *    events at 1.5× the steady limit of POST /api/events for two minutes, with bulk jobs switched off so every
 *    event uses that endpoint. ceiling_ratio = events the fake accepted for the account in the first two whole
 *    minutes after its first send ÷ (2 × 3,500, Klaviyo's steady limit); the lower of the two accounts; a
 *    minute only counts if events were still waiting at its end (demand above the ceiling). 1.0 means running
 *    exactly at the ceiling; 429s are counted separately.
 * 3. backlog: the rest of the 50,000 events land at once across all 20 accounts and go out as bulk jobs.
 * lost = stored events Klaviyo never accepted; duplicated = acceptances beyond one per stored event (what would
 * double Klaviyo's counts); resent_and_deduped = resends Klaviyo dropped by unique_id (harmless).
 */
const ACCOUNTS = 20;
const TOTAL_EVENTS = 50_000;
const LAG_RATE_PER_ACCOUNT = 10;
const LAG_SECONDS = 15;
const CEILING_ACCOUNTS = 2;
const CEILING_MINUTES = 2;
const CEILING_OVERDRIVE = 1.5;

const log = (message: string) => console.log(`[bench klaviyo] ${message}`);

const benchDb = await benchDatabase("bench");
const databaseUrl = benchDb.url;
const stopDatabase = () => benchDb.stop();
log(process.env.DATABASE_URL ? "scratch database on the server in DATABASE_URL" : "embedded PostgreSQL started");

const fake = await startFakeKlaviyo();
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: "bench",
  SHOPIFY_APP_URL: "http://localhost",
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  KLAVIYO_API_URL: fake.url,
});
const { closeDatabase, db } = await import("../app/db.server");
const { encryptSecret } = await import("../app/crypto.server");
const { buildKlaviyoEvent } = await import("../app/klaviyo/events");
const { OUTBOX_CHANNEL } = await import("../app/klaviyo/outbox.server");
const { startConversation } = await import("../app/conversations/shopper-messages.server");
const { KLAVIYO_DELIVERY_LIMITS, startKlaviyoDelivery } = await import("../app/klaviyo/delivery.server");
const STEADY = KLAVIYO_DELIVERY_LIMITS.events.steady;

interface BenchAccount {
  shopId: string;
  accountId: string;
}

async function connectedShops(count: number): Promise<BenchAccount[]> {
  const accounts: BenchAccount[] = [];
  for (let index = 0; index < count; index++) {
    const apiKey = `pk_bench_${index}_${randomBytes(6).toString("hex")}`;
    const accountId = fake.addAccount({ apiKey, accountId: `BENCH${index}` });
    const shop = await db().shop.create({ data: { domain: `bench-${index}-${randomBytes(3).toString("hex")}.myshopify.com` } });
    await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] } });
    accounts.push({ shopId: shop.id, accountId });
  }
  return accounts;
}

let sequence = 0;
function startedFact() {
  const conversationId = randomUUID();
  const index = sequence++;
  return {
    kind: "started" as const,
    conversationId,
    channel: "web_chat" as const,
    firstMessage: `Bench question ${index}`,
    occurredAt: new Date(),
    shopper: { anonymousId: `anon-${conversationId}`, email: `shopper${index % 5000}@example.com` },
  };
}

/** Straight into the outbox in batches (the write path's cost is not what phases 2 and 3 measure). */
async function enqueue(shopId: string, count: number) {
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, () => {
      const event = buildKlaviyoEvent(startedFact());
      return { shopId, metric: event.metric, uniqueId: event.uniqueId, occurredAt: event.occurredAt, payload: event.attributes as object };
    });
    await db().klaviyoEvent.createMany({ data: rows });
  }
  await db().$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${shopId})`;
}

async function waitUntilAllDelivered(shopIds: string[], label: string) {
  const started = Date.now();
  for (;;) {
    const waiting = await db().klaviyoEvent.count({ where: { shopId: { in: shopIds }, status: { not: "delivered" } } });
    if (waiting === 0) return (Date.now() - started) / 1000;
    if (Date.now() - started > 600_000) throw new Error(`${label}: ${waiting} events still not delivered after 10 minutes`);
    await sleep(250);
  }
}

const benchStarted = Date.now();
const accounts = await connectedShops(ACCOUNTS);
const shopIds = accounts.map((account) => account.shopId);
const ceilingAccounts = accounts.slice(0, CEILING_ACCOUNTS);
const lagAccounts = accounts.slice(CEILING_ACCOUNTS);
let engines = await Promise.all([1, 2].map((instance) => startKlaviyoDelivery({ instanceId: `bench-${instance}` })));

// Phase 1: lag below the limits, through the app's write path.
log(`phase 1 (lag): ${lagAccounts.length} accounts × ${LAG_RATE_PER_ACCOUNT} conversations/s for ${LAG_SECONDS} s`);
const committedAt = new Map<string, number>();
for (let tick = 0; tick < LAG_SECONDS * LAG_RATE_PER_ACCOUNT; tick++) {
  const tickStart = Date.now();
  await Promise.all(
    lagAccounts.map(async ({ shopId }) => {
      const fact = startedFact();
      const conversation = await startConversation({ shopId, channel: "web_chat", shopper: { anonymousId: fact.shopper.anonymousId, email: fact.shopper.email, consent: { analytics: true, marketing: true } }, firstMessage: fact.firstMessage });
      committedAt.set(`ca:${conversation.id}:started`, Date.now());
    }),
  );
  await sleep(Math.max(0, 1000 / LAG_RATE_PER_ACCOUNT - (Date.now() - tickStart)));
}
const lagEvents = committedAt.size;
await waitUntilAllDelivered(shopIds, "lag phase");
const lags = fake
  .events()
  .filter((event) => event.uniqueId && committedAt.has(event.uniqueId))
  .map((event) => event.receivedAt - committedAt.get(event.uniqueId!)!)
  .sort((a, b) => a - b);
const p95Lag = lags[Math.floor(lags.length * 0.95)] ?? 0;
log(`phase 1: ${lagEvents} events, lag p50 ${lags[Math.floor(lags.length / 2)]} ms, p95 ${p95Lag} ms, max ${lags.at(-1)} ms`);

// Phase 2: the single-event endpoint's ceiling, with events arriving faster than it.
const arrivalPerSecond = (STEADY / 60) * CEILING_OVERDRIVE;
const ceilingEventsPerAccount = Math.round(arrivalPerSecond * 60 * CEILING_MINUTES);
log(`phase 2 (ceiling): ${CEILING_ACCOUNTS} accounts × ${arrivalPerSecond.toFixed(1)} events/s for ${CEILING_MINUTES} min, bulk jobs off`);
await Promise.all(engines.map((engine) => engine.stop()));
engines = await Promise.all([3, 4].map((instance) => startKlaviyoDelivery({ instanceId: `bench-${instance}`, bulkThreshold: Number.POSITIVE_INFINITY })));
const phaseTwoStart = Date.now();
let enqueuedPerAccount = 0;
const producer = (async () => {
  while (enqueuedPerAccount < ceilingEventsPerAccount) {
    const due = Math.min(ceilingEventsPerAccount, Math.floor(((Date.now() - phaseTwoStart) / 1000) * arrivalPerSecond));
    if (due > enqueuedPerAccount) {
      const batch = due - enqueuedPerAccount;
      await Promise.all(ceilingAccounts.map(({ shopId }) => enqueue(shopId, batch)));
      enqueuedPerAccount = due;
    }
    await sleep(100);
  }
})();
/** Backlog samples: a minute only counts if the account still had events waiting at its end. */
const backlogSamples: Array<{ at: number; pending: number[] }> = [];
const sampler = setInterval(() => {
  void Promise.all(ceilingAccounts.map(({ shopId }) => db().klaviyoEvent.count({ where: { shopId, status: "pending" } }))).then((pending) =>
    backlogSamples.push({ at: Date.now(), pending }),
  );
}, 1_000);
await producer;
const acceptedSince = (accountId: string, since: number) =>
  fake
    .events(accountId)
    .map((event) => event.receivedAt)
    .filter((time) => time >= since)
    .sort((a, b) => a - b);
const firstSends = ceilingAccounts.map(({ accountId }) => acceptedSince(accountId, phaseTwoStart)[0]!);
// The measured minutes are over once the later account's are; what is still waiting then goes out in phase 3.
await sleep(Math.max(0, Math.max(...firstSends) + CEILING_MINUTES * 60_000 + 1_000 - Date.now()));
clearInterval(sampler);
const ceilingRatios = ceilingAccounts.map(({ accountId, shopId }, index) => {
  const firstSend = firstSends[index]!;
  const windowEnd = firstSend + CEILING_MINUTES * 60_000;
  const times = acceptedSince(accountId, firstSend);
  for (let minute = 1; minute <= CEILING_MINUTES; minute++) {
    const lastSample = backlogSamples.filter((sample) => sample.at < firstSend + minute * 60_000).at(-1);
    if (!lastSample || lastSample.pending[index]! === 0) {
      throw new Error(`ceiling phase: account ${shopId} had nothing waiting at the end of minute ${minute}, so that minute says nothing about the ceiling`);
    }
  }
  return times.filter((time) => time < windowEnd).length / (STEADY * CEILING_MINUTES);
});
const throttledInCeiling = fake.requests().filter((request) => request.status === 429 && request.at >= phaseTwoStart).length;
log(
  `phase 2: ${((Date.now() - phaseTwoStart) / 1000).toFixed(1)} s; accepted in the first ${CEILING_MINUTES} whole minutes per account: ` +
    `${ceilingRatios.map((ratio) => Math.round(ratio * STEADY * CEILING_MINUTES)).join(", ")} (ceiling ${STEADY * CEILING_MINUTES}); ${throttledInCeiling} 429s`,
);

// Phase 3: everything else at once, as bulk jobs.
await Promise.all(engines.map((engine) => engine.stop()));
engines = await Promise.all([5, 6].map((instance) => startKlaviyoDelivery({ instanceId: `bench-${instance}` })));
const backlogPerAccount = Math.floor((TOTAL_EVENTS - lagEvents - ceilingEventsPerAccount * CEILING_ACCOUNTS) / ACCOUNTS);
const totalEvents = lagEvents + ceilingEventsPerAccount * CEILING_ACCOUNTS + backlogPerAccount * ACCOUNTS;
log(`phase 3 (backlog): ${backlogPerAccount * ACCOUNTS} events land at once`);
await Promise.all(accounts.map(({ shopId }) => enqueue(shopId, backlogPerAccount)));
const backlogSeconds = await waitUntilAllDelivered(shopIds, "backlog phase");
log(`phase 3: drained in ${backlogSeconds.toFixed(1)} s`);
await Promise.all(engines.map((engine) => engine.stop()));

const stored = await db().klaviyoEvent.findMany({ where: { shopId: { in: shopIds } }, select: { uniqueId: true, status: true } });
const acceptedCounts = new Map<string, number>();
for (const event of fake.events()) acceptedCounts.set(event.uniqueId!, (acceptedCounts.get(event.uniqueId!) ?? 0) + 1);
const lost = stored.filter((row) => !acceptedCounts.has(row.uniqueId)).length;
const acceptedOfStored = stored.filter((row) => acceptedCounts.has(row.uniqueId)).length;
const duplicated = fake.events().length - acceptedOfStored;
const notDelivered = stored.filter((row) => row.status !== "delivered").length;
const resent = accounts.reduce((sum, { accountId }) => sum + fake.duplicatesIgnored(accountId), 0);
const throttled = fake.requests().filter((request) => request.status === 429).length;
const elapsedSeconds = (Date.now() - benchStarted) / 1000;

await closeDatabase();
await fake.close();
await stopDatabase();

log(`done in ${elapsedSeconds.toFixed(0)} s; ${notDelivered} events not marked delivered`);
console.log(
  JSON.stringify({
    events: totalEvents,
    accounts: ACCOUNTS,
    ceiling_ratio: Number(Math.min(...ceilingRatios).toFixed(3)),
    ceiling_method: `POST /api/events only, events arriving at ${CEILING_OVERDRIVE}x the steady limit; accepted in the first ${CEILING_MINUTES} whole minutes after the first send / (${CEILING_MINUTES} x ${STEADY}); lower of ${CEILING_ACCOUNTS} accounts`,
    p95_lag_ms: p95Lag,
    lag_method: `commit -> 202 through the app's write path, ${lagAccounts.length} accounts x ${LAG_RATE_PER_ACCOUNT} events/s (below every limit), ${lagEvents} events`,
    backlog_drain_s: Number(backlogSeconds.toFixed(1)),
    throttled_429: throttled,
    lost,
    duplicated,
    resent_and_deduped: resent,
    elapsed_s: Math.round(elapsedSeconds),
  }),
);
process.exit(0);
