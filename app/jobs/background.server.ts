import { runAgentTurn } from "../agent/engine.server";
import { runQuietResolution, type QuietResolutionJob } from "../agent/resolution.server";
import { agentTools } from "../agent/tools.server";
import { syncCatalog } from "../catalog/sync.server";
import { startChannelSenderWorker } from "../channels/outbound.server";
import { syncPolicies } from "../knowledge/policies.server";
import { startKlaviyoDelivery } from "../klaviyo/delivery.server";
import { checkRecommendation, type RecommendationCheckJob } from "../orders/recommendation-outcome.server";
import { syncRecentOrders } from "../orders/sync.server";
import { applyRetention, RETENTION_SCHEDULE } from "../compliance/retention.server";
import { syncShopProfile } from "../shops/shop-profile.server";
import { startWebhookWorker } from "../webhooks/queue.server";
import { config } from "../config.server";
import { metrics } from "../operations/metrics.server";
import { startInstancePresence } from "./instance-presence.server";
import { jobQueue, QUEUES, stopJobQueue } from "./queue.server";

export interface BackgroundWork {
  stop(): Promise<void>;
  /** From start until stop() is called, while the instance is present in PostgreSQL (readiness reports it). */
  isRunning(): boolean;
}

/**
 * Starts this instance's share of the background work. Every instance may run it: pg-boss hands each job to one
 * worker and Klaviyo accounts are leased to one instance at a time, so more instances add throughput, not duplicates.
 */
export async function startBackgroundWork(): Promise<BackgroundWork> {
  const boss = await jobQueue();
  // One connection named after this instance: others take over its webhook claims and Klaviyo leases once it is gone.
  const presence = await startInstancePresence({ databaseUrl: config().DATABASE_URL });
  // Webhook deliveries are their own queue (the WebhookDelivery table, ADR 005), not pg-boss jobs.
  const webhooks = startWebhookWorker(presence);
  // Replies on email, SMS and WhatsApp: the ChannelMessage table is their queue, like webhook deliveries.
  const channelSenders = startChannelSenderWorker(presence);
  // Daily: processed webhook payloads and delivered outbox rows past their retention go (one instance runs it).
  await boss.schedule(QUEUES.retention, RETENTION_SCHEDULE);
  await boss.work(
    QUEUES.retention,
    countingFailures(QUEUES.retention, async () => {
      await applyRetention();
    }),
  );
  // After install: mirror the catalog and recent orders once; webhooks keep both current from then on.
  await boss.work<{ shop: string }>(
    QUEUES.initialSync,
    countingFailures(QUEUES.initialSync, async ([job]) => {
      await syncShopProfile(job!.data.shop);
      await syncCatalog(job!.data.shop);
      await syncRecentOrders(job!.data.shop);
      await syncPolicies(job!.data.shop);
    }),
  );
  // Once a recommendation's window has passed: "Recommendation Not Purchased", or nothing if the shopper ordered.
  await boss.work<RecommendationCheckJob>(
    QUEUES.recommendationCheck,
    { batchSize: 10 },
    countingFailures(QUEUES.recommendationCheck, async (jobs) => {
      for (const job of jobs) await checkRecommendation(job.data.recommendationId);
    }),
  );
  // The agent's turns: every LLM turn, and the backup of each inline built-in turn (a no-op when it was answered).
  await boss.work<{ messageId: string }>(
    QUEUES.agentTurn,
    { localConcurrency: 4, pollingIntervalSeconds: 0.5 },
    countingFailures(QUEUES.agentTurn, async (jobs) => {
      for (const job of jobs) await runAgentTurn(job.data.messageId, { tools: agentTools });
    }),
  );
  // The quiet-time resolution after a successful answer: resolves only if the answer is still the last word.
  await boss.work<QuietResolutionJob>(
    QUEUES.quietResolution,
    { batchSize: 10 },
    countingFailures(QUEUES.quietResolution, async (jobs) => {
      for (const job of jobs) await runQuietResolution(job.data);
    }),
  );
  const klaviyo = await startKlaviyoDelivery({ presence });
  let running = true;
  return {
    // Without its presence connection the instance claims no work: not running, whatever else still is.
    isRunning: () => running && presence.isPresent(),
    async stop() {
      running = false;
      await webhooks.stop();
      await channelSenders.stop();
      await klaviyo.stop();
      await stopJobQueue();
      await presence.stop();
    },
  };
}

/** A job handler that counts its failures (pgboss_job_failures_total) before pg-boss retries the job. */
function countingFailures<Jobs>(queue: string, handler: (jobs: Jobs) => Promise<void>): (jobs: Jobs) => Promise<void> {
  return async (jobs) => {
    try {
      await handler(jobs);
    } catch (error) {
      metrics().jobFailures.inc({ queue });
      throw error;
    }
  };
}
