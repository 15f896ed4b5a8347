import { z } from "zod";
import { en } from "../../admin/strings/en";
import { connectionStatus } from "../../klaviyo/connection.server";
import { deliveryLogEvent, deliverySummary, listDeliveryLog, retryFailedEvents } from "../../klaviyo/outbox.server";

// A hand-edited address drops the part it cannot read and shows the rest, rather than an error.
const logQuery = z.object({
  status: z.enum(["pending", "delivered", "failed"]).optional().catch(undefined),
  metric: z.string().trim().min(1).max(100).optional().catch(undefined),
  conversationId: z.string().trim().min(1).max(100).optional().catch(undefined),
  event: z.uuid().optional().catch(undefined),
  cursor: z.uuid().optional().catch(undefined),
});

const retryInput = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("retry"),
    eventIds: z.string().transform((ids) => ids.split(",").filter(Boolean)).pipe(z.array(z.uuid()).min(1).max(500)),
  }),
  z.object({ intent: z.literal("retry-all") }),
]);

export async function loadEventsPage(shopId: string, url: URL) {
  const { event: previewId, ...filters } = logQuery.parse(Object.fromEntries(url.searchParams));
  const [log, summary, klaviyo, preview] = await Promise.all([
    listDeliveryLog(shopId, filters),
    deliverySummary(shopId),
    connectionStatus(shopId),
    previewId ? deliveryLogEvent(shopId, previewId) : null,
  ]);
  const { cursor: _cursor, ...shownFilters } = filters;
  return {
    now: new Date().toISOString(),
    filters: shownFilters,
    counts: summary.counts,
    oldestPendingAgeSeconds: summary.oldestPendingAgeSeconds,
    klaviyo: { state: klaviyo.state, statusDetail: klaviyo.statusDetail },
    nextCursor: log.nextCursor,
    preview: preview ? { ...preview, payload: JSON.stringify(preview.payload, null, 2) } : null,
    events: log.events.map((event) => ({
      ...event,
      occurredAt: event.occurredAt.toISOString(),
      deliveredAt: event.deliveredAt?.toISOString() ?? null,
      nextAttemptAt: event.nextAttemptAt.toISOString(),
    })),
  };
}

/** Retry the chosen failed events (one, or those selected) or all of them. */
export async function runEventsAction(shopId: string, form: FormData) {
  const parsed = retryInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new Response(en.events.chooseFailed, { status: 400 });
  return { retried: await retryFailedEvents(shopId, parsed.data.intent === "retry" ? parsed.data.eventIds : undefined) };
}
