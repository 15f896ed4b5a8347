import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { pool } from "../db.server";

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP requests by method, route pattern and status, from the first byte in to the last byte out",
      labelNames: ["method", "route", "status"] as const,
      buckets: SECONDS_BUCKETS,
      registers,
    }),
    agentTurnDuration: new Histogram({
      name: "agent_turn_duration_seconds",
      help: "Agent turns (load, rules, brain, stored reply) by brain",
      labelNames: ["brain"] as const,
      buckets: SECONDS_BUCKETS,
      registers,
    }),
    klaviyoResponses: new Counter({
      name: "klaviyo_responses_total",
      help: "Klaviyo API answers by endpoint and HTTP status (timeout and network when there was none)",
      labelNames: ["endpoint", "status"] as const,
      registers,
    }),
    deliveryLag: new Histogram({
      name: "klaviyo_delivery_lag_seconds",
      help: "Outbox row written to Klaviyo accepting it, by kind (event, profile)",
      labelNames: ["kind"] as const,
      buckets: LAG_BUCKETS,
      registers,
    }),
    jobFailures: new Counter({
      name: "pgboss_job_failures_total",
      help: "pg-boss job attempts whose handler failed, by queue (pg-boss retries them)",
      labelNames: ["queue"] as const,
      registers,
    }),
    // Read from PostgreSQL at scrape time, so every instance reports the same shared queues (two indexed counts).
    outboxDepth: new Gauge({
      name: "klaviyo_outbox_depth",
      help: "Outbox rows not delivered, by status (pending: on their way; failed: waiting for the merchant)",
      labelNames: ["status"] as const,
      registers,
      async collect() {
        const rows = await queueRows(
          `SELECT status::text AS status, count(*)::int AS depth,
                  COALESCE(EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - min("createdAt")), 0)::float AS "oldestSeconds"
             FROM "KlaviyoEvent" WHERE status IN ('pending', 'failed') GROUP BY status`,
        );
        setByStatus(this, rows, "depth", ["pending", "failed"]);
        setByStatus(metrics().outboxOldestAge, rows, "oldestSeconds", ["pending", "failed"]);
      },
    }),
    outboxOldestAge: new Gauge({
      name: "klaviyo_outbox_oldest_age_seconds",
      help: "Age of the oldest outbox row not delivered, by status (set with klaviyo_outbox_depth)",
      labelNames: ["status"] as const,
      registers,
    }),
    webhookQueueDepth: new Gauge({
      name: "webhook_queue_depth",
      help: "Webhook deliveries acknowledged and not processed yet, by status (failed: retrying)",
      labelNames: ["status"] as const,
      registers,
      async collect() {
        const rows = await queueRows(`SELECT status::text AS status, count(*)::int AS depth FROM "WebhookDelivery" WHERE status <> 'processed' GROUP BY status`);
        setByStatus(this, rows, "depth", ["received", "failed"]);
      },
    }),
  };
}

type QueueRow = { status: string; depth: number; oldestSeconds?: number };

/** Before migrations (or with the database away) there is nothing to report: the gauges stay empty. */
async function queueRows(sql: string): Promise<QueueRow[] | null> {
  try {
    return (await pool().query<QueueRow>(sql)).rows;
  } catch {
    return null;
  }
}

function setByStatus(gauge: Gauge<"status">, rows: QueueRow[] | null, field: "depth" | "oldestSeconds", statuses: string[]) {
  gauge.reset();
  if (!rows) return;
  for (const status of statuses) gauge.set({ status }, Number(rows.find((row) => row.status === status)?.[field] ?? 0));
}

export type AppMetrics = ReturnType<typeof createMetrics>;

declare global {
  var appMetrics: AppMetrics | undefined;
}

/** The instance's metrics, one set per process on globalThis: server.ts and the built app each load this module. */
export function metrics(): AppMetrics {
  globalThis.appMetrics ??= createMetrics();
  return globalThis.appMetrics;
}
