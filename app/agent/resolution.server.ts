import { resolveIfStillQuiet } from "../conversations/agent-replies.server";
import { jobIdFor, jobQueue, QUEUES } from "../jobs/queue.server";

export interface QuietResolutionJob {
  shopId: string;
  conversationId: string;
  /** The agent's successful answer; the conversation resolves only if it is still the last message. */
  answerId: string;
}

/**
 * After a successful answer, a delayed job (pg-boss, on PostgreSQL, so it survives restarts and runs on one
 * instance) resolves the conversation if nothing happened for the shop's quiet time. The job id comes from the
 * answer, so scheduling it again after a crash or retry queues nothing new.
 */
export async function scheduleQuietResolution(job: QuietResolutionJob, quietMinutes: number): Promise<void> {
  const boss = await jobQueue();
  await boss.send(QUEUES.quietResolution, job, { id: jobIdFor("quiet-resolution", job.answerId), startAfter: quietMinutes * 60 });
}

export async function runQuietResolution(job: QuietResolutionJob): Promise<boolean> {
  return resolveIfStillQuiet(job.shopId, job.conversationId, job.answerId);
}
