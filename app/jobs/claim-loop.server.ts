import { logger } from "../logger.server";
import type { InstancePresence } from "./instance-presence.server";

export interface ClaimLoop {
  /** Look for due work now instead of at the next poll. */
  wake(): void;
  /** Lets the batch in hand finish. */
  stop(): Promise<void>;
}

/**
 * The worker shape shared by the tables that are their own queues (webhook deliveries, outbound channel messages):
 * claim a batch of due rows, work it, and when nothing was due sleep until the next poll or an in-process wake.
 * An instance absent from PostgreSQL claims nothing: its claims could be taken over while it worked them. A failed
 * claim (the database away: restart, failover) leaves the rows in their table and is tried again after a second.
 */
export function startClaimLoop<Row>(options: {
  presence: InstancePresence;
  /** Logged with a failed claim. */
  source: string;
  idlePollMs: number;
  claim(claimedBy: string): Promise<Row[]>;
  work(rows: Row[]): Promise<void>;
}): ClaimLoop {
  let stopping = false;
  let wakeRequested = true;
  let interrupt: (() => void) | null = null;
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakeRequested || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interrupt = null;
        resolve();
      }
      interrupt = done;
    });

  const loop = (async () => {
    while (!stopping) {
      wakeRequested = false;
      let claimed: Row[];
      try {
        claimed = options.presence.isPresent() ? await options.claim(options.presence.id) : [];
      } catch (error) {
        if (!stopping) logger().warn({ source: options.source, err: error }, "claiming due work failed");
        await idle(1000);
        continue;
      }
      if (claimed.length > 0) await options.work(claimed);
      else await idle(options.idlePollMs);
    }
  })();

  return {
    wake() {
      wakeRequested = true;
      interrupt?.();
    },
    async stop() {
      stopping = true;
      interrupt?.();
      await loop;
    },
  };
}
