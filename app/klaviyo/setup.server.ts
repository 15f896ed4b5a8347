import { db, pool } from "../db.server";
import { klaviyoClientFor, type KlaviyoClient, type KlaviyoNamedResource } from "./client.server";
import { credentialsFor } from "./connection.server";
import { KlaviyoApiError } from "./errors";
import { RateLimiter, type Clock, systemClock } from "./pacing";
import { SETUP_DEFINITIONS, type SetupDefinition } from "./setup-definitions";

/**
 * POST /api/segments and POST /api/flows allow 1/s and 15/min (and 100/day) per account. One set-up creates at
 * most four things, so pacing its own requests at Klaviyo's rate keeps it inside all three.
 */
const CREATE_LIMIT = { burst: 1, steady: 15 };

export type SetupItemState = "created" | "found" | "exists" | "waiting_for_metrics" | "failed" | "not_started";

export interface SetupItem {
  key: string;
  kind: "segment" | "flow";
  name: string;
  description: string;
  state: SetupItemState;
  klaviyoId: string | null;
  /** For waiting_for_metrics: the metrics Klaviyo does not have yet. */
  missingMetrics: string[];
  message: string | null;
}

export type SetupResult = { ok: true; items: SetupItem[] } | { ok: false; message: string; items: SetupItem[] };

function item(definition: SetupDefinition, state: SetupItemState, extra: Partial<SetupItem> = {}): SetupItem {
  const { key, kind, name, description } = definition;
  return { key, kind, name, description, state, klaviyoId: null, missingMetrics: [], message: null, ...extra };
}

/** What the Klaviyo page shows before anything is clicked: what was created in the connected account. */
export async function setupStatus(shopId: string): Promise<SetupItem[]> {
  const connection = await db().klaviyoConnection.findUnique({ where: { shopId } });
  const recorded = connection ? await db().klaviyoResource.findMany({ where: { shopId, accountId: connection.accountId } }) : [];
  return SETUP_DEFINITIONS.map((definition) => {
    const record = recorded.find((resource) => resource.key === definition.key);
    return record ? item(definition, "exists", { klaviyoId: record.klaviyoId }) : item(definition, "not_started");
  });
}

function waitingMessage(missing: string[]): string {
  const names = missing.map((name) => `"${name}"`).join(" and ");
  return `Klaviyo has no ${names} metric yet: Klaviyo creates a metric with its first event, and only then can a segment or flow use it. Try again once the first ${names} event has been delivered.`;
}

/**
 * The one-click set-up: creates, in the shop's Klaviyo account, the segments and the draft flow that are not there
 * yet. Idempotent: what was created is recorded (per Klaviyo account), and something with the same name found in
 * the account is adopted instead of created again, so a second click, a lost record or a click on another
 * instance creates nothing twice (a per-shop advisory lock keeps two clicks from racing). An item whose metric
 * Klaviyo does not have yet waits, and the admin says which metric and offers to retry.
 */
export async function runKlaviyoSetup(shopId: string, options: { clock?: Clock } = {}): Promise<SetupResult> {
  const connection = await db().klaviyoConnection.findUnique({ where: { shopId } });
  if (!connection) return { ok: false, message: "Connect Klaviyo first.", items: await setupStatus(shopId) };
  if (connection.status !== "connected") return { ok: false, message: connection.statusDetail ?? "Reconnect Klaviyo first.", items: await setupStatus(shopId) };
  const credentials = await credentialsFor(connection);
  if (!credentials) return { ok: false, message: "The Klaviyo connection is being renewed; try again in a minute.", items: await setupStatus(shopId) };

  const lock = await pool().connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [`klaviyo-setup:${shopId}`]);
    if (!rows[0]?.locked) return { ok: false, message: "The set-up is already running for this shop; its result shows when it is done.", items: await setupStatus(shopId) };
    try {
      return await createMissing(shopId, connection.accountId, klaviyoClientFor(credentials), new RateLimiter(CREATE_LIMIT, options.clock ?? systemClock));
    } finally {
      await lock.query("SELECT pg_advisory_unlock(hashtext($1))", [`klaviyo-setup:${shopId}`]);
    }
  } finally {
    lock.release();
  }
}

async function createMissing(shopId: string, accountId: string, client: KlaviyoClient, creates: RateLimiter): Promise<SetupResult> {
  const recorded = await db().klaviyoResource.findMany({ where: { shopId, accountId } });
  const items: SetupItem[] = [];
  let metrics: Map<string, string>;
  try {
    metrics = new Map((await client.listMetrics()).map((metric) => [metric.name, metric.id]));
  } catch (error) {
    return { ok: false, message: failureMessage(error), items: await setupStatus(shopId) };
  }
  const existing: Partial<Record<SetupDefinition["kind"], KlaviyoNamedResource[]>> = {};
  const existingOf = async (kind: SetupDefinition["kind"]) => (existing[kind] ??= kind === "segment" ? await client.listSegments() : await client.listFlows());

  for (const [index, definition] of SETUP_DEFINITIONS.entries()) {
    const record = recorded.find((resource) => resource.key === definition.key);
    if (record) {
      items.push(item(definition, "exists", { klaviyoId: record.klaviyoId }));
      continue;
    }
    const missing = definition.requiredMetrics.filter((name) => !metrics.has(name));
    if (missing.length > 0) {
      items.push(item(definition, "waiting_for_metrics", { missingMetrics: missing, message: waitingMessage(missing) }));
      continue;
    }
    try {
      const found = (await existingOf(definition.kind)).find((resource) => resource.name === definition.name);
      let klaviyoId: string;
      if (found) {
        klaviyoId = found.id;
      } else {
        await creates.acquire();
        klaviyoId = definition.kind === "segment" ? await client.createSegment(definition.name, definition.definition(metrics)) : await client.createFlow(definition.name, definition.definition(metrics));
      }
      await db().klaviyoResource.upsert({
        where: { shopId_accountId_key: { shopId, accountId, key: definition.key } },
        create: { shopId, accountId, key: definition.key, kind: definition.kind, name: definition.name, klaviyoId },
        update: { klaviyoId, name: definition.name },
      });
      items.push(item(definition, found ? "found" : "created", { klaviyoId }));
    } catch (error) {
      items.push(item(definition, "failed", { message: failureMessage(error) }));
      // Throttled or unreachable: the rest would fail the same way; they are retried with the next click.
      if (error instanceof KlaviyoApiError && error.retryable) {
        for (const rest of SETUP_DEFINITIONS.slice(index + 1)) items.push(item(rest, "not_started"));
        break;
      }
    }
  }
  return { ok: true, items };
}

function failureMessage(error: unknown): string {
  if (!(error instanceof KlaviyoApiError)) throw error;
  if (error.kind === "rejected") return `Klaviyo refused it: ${error.detail}. Contact the app's support with this message.`;
  return error.merchantMessage;
}
