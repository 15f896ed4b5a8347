import { randomUUID } from "node:crypto";
import pg from "pg";
import { systemClock } from "../klaviyo/pacing";

/**
 * The names of the instances connected to this database right now: each holds one connection named after itself
 * (application_name). A lease or claim whose holder is not in this list belongs to a process that is gone: the
 * operating system closed its socket when it died, and PostgreSQL ended its session at once.
 */
export const PRESENT_INSTANCES = `ARRAY(SELECT application_name::text FROM pg_stat_activity WHERE datname = current_database() AND application_name <> '')`;

export interface InstancePresence {
  /** The name leases and claims are recorded under: `instance-<pid>-<random>`, so an operator sees which process. */
  id: string;
  /** True while the presence connection is open: only then may this instance take leases or claims. */
  isPresent(): boolean;
  /** Called each time the connection is lost: other instances may now take over what this one holds. */
  onLost(listener: () => void): void;
  stop(): Promise<void>;
}

/** PostgreSQL keeps application_name to 63 bytes; a longer id would never match its leases. */
const MAX_ID_BYTES = 63;

/**
 * This instance's presence in PostgreSQL: one dedicated connection named after the instance, reconnecting with
 * backoff. Other instances take over its Klaviyo leases and webhook claims as soon as it is absent, instead of
 * waiting for them to lapse; the lapse stays as the backstop for a process PostgreSQL still sees (a frozen VM).
 */
export async function startInstancePresence(options: { databaseUrl: string | undefined; id?: string }): Promise<InstancePresence> {
  const id = options.id ?? `instance-${process.pid}-${randomUUID().slice(0, 8)}`;
  if (Buffer.byteLength(id) > MAX_ID_BYTES) throw new Error(`instance id "${id}" is longer than PostgreSQL's ${MAX_ID_BYTES}-byte application_name`);
  const stopping = new AbortController();
  const listeners: Array<() => void> = [];
  let present = false;
  let firstConnection: (() => void) | undefined;
  const connected = new Promise<void>((resolve) => (firstConnection = resolve));

  const held = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      // TCP keepalive: a connection to a database behind a dead network is noticed, and this instance stops counting as present.
      const client = new pg.Client({ connectionString: options.databaseUrl, application_name: id, keepAlive: true });
      const ended = new Promise<void>((resolve) => {
        client.on("error", () => resolve());
        client.on("end", () => resolve());
        stopping.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      try {
        await client.connect();
        failures = 0;
        present = true;
        firstConnection?.();
        await ended;
      } catch {
        failures++;
      } finally {
        if (present) {
          present = false;
          if (!stopping.signal.aborted) for (const listener of listeners) listener();
        }
        await client.end().catch(() => undefined);
      }
      await systemClock.sleep(Math.min(10_000, 250 * 2 ** failures), stopping.signal);
    }
  })();

  // Start-up waits for the first connection (briefly): until then this instance takes nothing over.
  await Promise.race([connected, systemClock.sleep(5_000, stopping.signal)]);
  return {
    id,
    isPresent: () => present,
    onLost: (listener) => void listeners.push(listener),
    async stop() {
      stopping.abort();
      await held;
    },
  };
}
