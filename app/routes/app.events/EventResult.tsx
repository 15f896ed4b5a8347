import type { KlaviyoEventStatus } from "@prisma/client";
import { BlockStack, Text } from "@shopify/polaris";
import { en } from "../../admin/strings/en";
import { formatAgo, formatDuration } from "../../components/format";

interface LoggedEvent {
  status: KlaviyoEventStatus;
  deliveredAt: string | null;
  nextAttemptAt: string;
  lastError: string | null;
  lastStatusCode: number | null;
}

/** What happened to the event: when Klaviyo accepted it, or Klaviyo's own reason and when the next attempt is. */
export function EventResult({ event, now, klaviyoConnected }: { event: LoggedEvent; now: string; klaviyoConnected: boolean }) {
  const text = en.events;
  if (event.status === "delivered") return <Text as="span">{text.deliveredAgo(event.deliveredAt ? formatAgo(event.deliveredAt, now) : "")}</Text>;
  const error = event.lastError ? `${event.lastStatusCode ? `${event.lastStatusCode}: ` : ""}${event.lastError}` : null;
  const retryIn = (Date.parse(event.nextAttemptAt) - Date.parse(now)) / 1000;
  return (
    // Klaviyo's explanations are sentences: let them wrap instead of widening the table.
    <div style={{ whiteSpace: "normal", minWidth: "14rem" }}>
      <BlockStack gap="050">
        {error ? (
          <Text as="span" tone={event.status === "failed" ? "critical" : "subdued"} breakWord>
            {error}
          </Text>
        ) : null}
        {event.status === "pending" ? (
          <Text as="span" tone="subdued">
            {!klaviyoConnected ? text.waitingForConnection : retryIn > 1 ? text.nextAttempt(formatDuration(retryIn)) : text.sending}
          </Text>
        ) : null}
      </BlockStack>
    </div>
  );
}
