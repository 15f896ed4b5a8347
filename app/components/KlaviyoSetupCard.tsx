import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Divider, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SetupItem } from "../klaviyo/setup.server";

const STATE_BADGES: Record<SetupItem["state"], { label: string; tone?: "success" | "attention" | "critical" | "info" }> = {
  created: { label: "Created", tone: "success" },
  found: { label: "Found in Klaviyo", tone: "success" },
  exists: { label: "In Klaviyo", tone: "success" },
  waiting_for_metrics: { label: "Waiting for a first event", tone: "attention" },
  failed: { label: "Not created", tone: "critical" },
  not_started: { label: "Not created yet" },
};

export interface KlaviyoSetupCardProps {
  items: SetupItem[];
  connected: boolean;
  windows: { recommendationWindowHours: number; attributionWindowDays: number };
  result: { ok: boolean; message: string | null } | null;
  busy: "setup" | "windows" | null;
}

/** The Klaviyo page's section for the segments and flow the app creates, and the windows they rely on. */
export function KlaviyoSetupCard({ items, connected, windows, result, busy }: KlaviyoSetupCardProps) {
  const [hours, setHours] = useState(String(windows.recommendationWindowHours));
  const [days, setDays] = useState(String(windows.attributionWindowDays));
  const done = items.every((item) => item.state === "created" || item.state === "found" || item.state === "exists");
  const waiting = items.some((item) => item.state === "waiting_for_metrics" || item.state === "failed");
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Segments and flow in Klaviyo
          </Text>
          <Text as="p" tone="subdued">
            One click creates three segments and a draft flow built on the app's events and profile properties. Nothing is created twice, however
            often you click.
          </Text>
        </BlockStack>
        {result?.message ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
        <BlockStack gap="300">
          {items.map((item) => (
            <BlockStack key={item.key} gap="050">
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">
                  {item.name}
                </Text>
                <Badge tone={STATE_BADGES[item.state].tone}>{STATE_BADGES[item.state].label}</Badge>
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {item.kind === "flow" ? "Flow. " : "Segment. "}
                {item.description}
              </Text>
              {item.message ? (
                <Text as="p" variant="bodySm" tone={item.state === "failed" ? "critical" : "caution"}>
                  {item.message}
                </Text>
              ) : null}
            </BlockStack>
          ))}
        </BlockStack>
        {connected && !done ? (
          <Form method="post">
            <input type="hidden" name="intent" value="setup" />
            <Button submit variant="primary" loading={busy === "setup"}>
              {waiting ? "Try again" : "Create segments and flow"}
            </Button>
          </Form>
        ) : null}
        {!connected ? <Text as="p" tone="subdued">Connect Klaviyo to create them.</Text> : null}
        <Divider />
        <Form method="post">
          <input type="hidden" name="intent" value="windows" />
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="No-order window after a recommendation (hours)"
                name="recommendationWindowHours"
                type="number"
                min={1}
                max={720}
                value={hours}
                onChange={setHours}
                autoComplete="off"
                helpText="Recommendation Not Purchased is sent when a shopper has not ordered this long after a recommendation."
              />
              <TextField
                label="Attribution window after a conversation (days)"
                name="attributionWindowDays"
                type="number"
                min={1}
                max={90}
                value={days}
                onChange={setDays}
                autoComplete="off"
                helpText="Orders placed this long after a conversation count as sales from it."
              />
            </FormLayout.Group>
            <InlineStack>
              <Button submit loading={busy === "windows"}>
                Save windows
              </Button>
            </InlineStack>
          </FormLayout>
        </Form>
      </BlockStack>
    </Card>
  );
}
