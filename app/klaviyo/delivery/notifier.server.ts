import pg from "pg";
import { systemClock } from "../pacing";

export interface WakeNotifier {
  /** Ask the loop to run again now (new work committed, an account finished). */
  requestWake(): void;
  /** Resolves on the next wake request, or after `pollIntervalMs` at the latest. */
  waitForWake(): Promise<void>;
  /** Resolves once the LISTEN connection is closed after `signal` aborted. */
  closed: Promise<void>;
}

/**
 * Wakes the delivery loop when an outbox row commits (NOTIFY on `channel`) and otherwise every `pollIntervalMs`.
 * LISTEN runs on a dedicated connection that reconnects with backoff; the poll covers any gap.
 */
export function startWakeNotifier(options: { databaseUrl: string | undefined; channel: string; pollIntervalMs: number; signal: AbortSignal }): WakeNotifier {
  const { signal } = options;
  let wakeRequested = false;
  let interruptWait: (() => void) | null = null;

  function requestWake() {
    wakeRequested = true;
    interruptWait?.();
  }
  signal.addEventListener("abort", () => interruptWait?.(), { once: true });

  async function listen() {
    let failures = 0;
    while (!signal.aborted) {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      let onStop = () => {};
      const closed = new Promise<void>((resolve) => {
        onStop = resolve;
        client.on("error", () => resolve());
        client.on("end", () => resolve());
      });
      signal.addEventListener("abort", onStop, { once: true });
      client.on("notification", requestWake);
      try {
        await client.connect();
        await client.query(`LISTEN ${options.channel}`);
        failures = 0;
        // Anything committed while nobody was listening is due now.
        requestWake();
        await closed;
      } catch {
        failures++;
      } finally {
        signal.removeEventListener("abort", onStop);
        await client.end().catch(() => undefined);
      }
      await systemClock.sleep(Math.min(30_000, 250 * 2 ** failures), signal);
    }
  }

  async function waitForWake() {
    if (wakeRequested || signal.aborted) {
      wakeRequested = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, options.pollIntervalMs);
      function finish() {
        clearTimeout(timer);
        interruptWait = null;
        resolve();
      }
      interruptWait = finish;
    });
    wakeRequested = false;
  }

  return { requestWake, waitForWake, closed: listen() };
}
