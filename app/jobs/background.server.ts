import { processWebhookDelivery } from "../webhooks/process.server";
import { jobQueue, QUEUES, stopJobQueue } from "./queue.server";

export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * Starts this instance's share of the background work. Every instance may run it: pg-boss hands each job to one
 * worker, so adding instances adds throughput rather than duplicates.
 */
export async function startBackgroundWork(): Promise<BackgroundWork> {
  const boss = await jobQueue();
  await boss.work<{ deliveryId: string }>(QUEUES.processWebhook, { batchSize: 5 }, async (jobs) => {
    for (const job of jobs) await processWebhookDelivery(job.data.deliveryId);
  });
  return {
    async stop() {
      await stopJobQueue();
    },
  };
}
