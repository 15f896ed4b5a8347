import { createHash } from "node:crypto";
import { PgBoss } from "pg-boss";
import { config } from "../config.server";
import { logger } from "../logger.server";

export const QUEUES = {
  retention: "data.retention",
  initialSync: "shops.initial-sync",
  agentTurn: "agent.turn",
  quietResolution: "agent.quiet-resolution",
  recommendationCheck: "recommendations.check",
} as const;

/** An agent turn that has not finished in this long died with its worker: pg-boss hands it to another. */
const QUEUE_EXPIRY_SECONDS: Partial<Record<(typeof QUEUES)[keyof typeof QUEUES], number>> = {
  [QUEUES.agentTurn]: 60,
};

declare global {
  var jobQueue: Promise<PgBoss> | undefined;
}

/**
 * pg-boss on the app's PostgreSQL: every app instance shares the same queues, so a job is done once whichever
 * instance picks it up, and work survives restarts. Started on first use, for sending as well as working.
 */
export function jobQueue(): Promise<PgBoss> {
  globalThis.jobQueue ??= (async () => {
    const settings = config();
    const working = settings.WORKERS === "on";
    const boss = new PgBoss({
      connectionString: settings.DATABASE_URL,
      schema: "pgboss",
      max: 4,
      supervise: working,
      schedule: working,
    });
    boss.on("error", (error: Error) => logger().error({ source: "jobs", err: error }, error.message));
    await boss.start();
    for (const name of Object.values(QUEUES)) {
      const expiry = QUEUE_EXPIRY_SECONDS[name];
      await boss.createQueue(name, { retryLimit: 8, retryBackoff: true, retryDelay: 5, ...(expiry ? { expireInSeconds: expiry } : {}) });
    }
    return boss;
  })();
  return globalThis.jobQueue;
}

export async function stopJobQueue() {
  const pending = globalThis.jobQueue;
  globalThis.jobQueue = undefined;
  if (pending) await (await pending).stop({ graceful: true, timeout: 10_000 });
}

/** A job id derived from what the job is about, so sending the same job twice (a retry, a crash) queues it once. */
export function jobIdFor(kind: string, subject: string): string {
  const hex = createHash("sha256").update(`${kind}:${subject}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
