import { PgBoss } from "pg-boss";
import { config } from "../config.server";

export const QUEUES = {
  processWebhook: "webhooks.process",
  initialSync: "shops.initial-sync",
  recommendationCheck: "recommendations.check",
} as const;

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
    boss.on("error", (error: Error) => console.error("[jobs]", error.message));
    await boss.start();
    for (const name of Object.values(QUEUES)) {
      await boss.createQueue(name, { retryLimit: 8, retryBackoff: true, retryDelay: 5 });
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
