import type { KlaviyoEvent } from "@prisma/client";
import { MAX_BULK_EVENTS, type KlaviyoEventAttributes } from "../client.server";
import { sendPaced, type AccountRound, type OutboundWork, type RoundOutcome } from "./round.server";

/** Bulk bodies stay well under Klaviyo's 5 MB cap. */
const MAX_BULK_BYTES = 4_500_000;

const payloadOf = (event: KlaviyoEvent) => event.payload as unknown as KlaviyoEventAttributes;

function bulkChunks(events: KlaviyoEvent[]): KlaviyoEvent[][] {
  // (shopId, uniqueId) is unique in the outbox, so a chunk never repeats a unique_id (which fails a whole job).
  const chunks: KlaviyoEvent[][] = [];
  let current: KlaviyoEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event.payload)) + 64;
    if (current.length === MAX_BULK_EVENTS || (current.length > 0 && bytes + size > MAX_BULK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** One POST /api/events per event, paced by the account's events limiter. */
function sendSingles(round: AccountRound, events: KlaviyoEvent[]): Promise<RoundOutcome> {
  return sendPaced(round, events, {
    limiter: round.pacing.events,
    rowsOf: (event) => [event],
    send: async (event) => {
      await round.client.createEvent(payloadOf(event));
      return 202;
    },
  });
}

/** Bulk jobs of up to 1,000 events, paced by the account's bulk limiter. */
async function sendBulk(round: AccountRound, events: KlaviyoEvent[]): Promise<RoundOutcome> {
  for (const chunk of bulkChunks(events)) {
    if (!round.isActive() || !(await round.pacing.bulk.acquire(round.signal))) return "stop";
    try {
      await round.client.createEventBulkJob(chunk.map(payloadOf));
    } catch (error) {
      if ((await round.failures.onFailure(round.connection, chunk, error)) === "stop") return "stop";
      // One bad event rejects a whole job; sent one by one, only the bad ones fail.
      if ((await sendSingles(round, chunk)) === "stop") return "stop";
      continue;
    }
    await round.rows.markDelivered(chunk, 202);
    await round.failures.onAnswered(round.connection);
  }
  return "continue";
}

/** Conversation events: a backlog of `bulkThreshold` or more due events goes out as bulk jobs, else one by one. */
export function eventWork(bulkThreshold: number): OutboundWork {
  return {
    kind: "event",
    async work(round, probing) {
      const batch = await round.rows.next(round.connection.shopId, "event", probing, MAX_BULK_EVENTS);
      if (batch.length === 0) return "idle";
      return batch.length >= bulkThreshold ? sendBulk(round, batch) : sendSingles(round, batch);
    },
  };
}
