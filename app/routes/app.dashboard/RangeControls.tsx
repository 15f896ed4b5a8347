import type { Channel } from "@prisma/client";
import { Form, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Select, Spinner, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { en } from "../../admin/strings/en";
import { DEFAULT_RANGE, PRESET_RANGES, type LocalDays, type PresetRange } from "../../analytics/days";

const CHANNELS: Channel[] = ["web_chat", "email", "sms", "whatsapp"];
const CUSTOM = "custom";

export interface RangeControlsProps {
  preset: PresetRange | null;
  days: LocalDays;
  channel: Channel | null;
  timeZone: string;
  /** A refused custom range: the dates as typed, and each field's errors. */
  refused: { typed: { from: string; to: string }; fieldErrors: Record<string, string[]> } | null;
  loading: boolean;
}

/**
 * The range and channel, in the address: a preset or the channel applies at once; a custom range is a plain GET form
 * (from/to), so a chosen range can be bookmarked and reloaded. Its fields start from the days shown.
 */
export function RangeControls({ preset, days, channel, timeZone, refused, loading }: RangeControlsProps) {
  const text = en.dashboard;
  const [params, setParams] = useSearchParams();
  const [custom, setCustom] = useState(preset === null);
  const [from, setFrom] = useState(refused?.typed.from ?? days.first);
  const [to, setTo] = useState(refused?.typed.to ?? days.last);
  const choose = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const chooseRange = (value: string) => {
    if (value === CUSTOM) return setCustom(true);
    setCustom(false);
    const next = new URLSearchParams(params);
    next.delete("from");
    next.delete("to");
    next.set("range", value);
    setParams(next);
  };
  const errorOf = (field: string) => refused?.fieldErrors[field]?.join(" ");

  return (
    <BlockStack gap="300">
      <InlineStack gap="400" blockAlign="end">
        <Select
          label={text.range}
          value={custom ? CUSTOM : preset ?? DEFAULT_RANGE}
          options={[...PRESET_RANGES, CUSTOM].map((value) => ({ label: text.ranges[value]!, value }))}
          onChange={chooseRange}
        />
        <Select
          label={text.channel}
          value={channel ?? ""}
          options={[{ label: text.allChannels, value: "" }, ...CHANNELS.map((value) => ({ label: en.channels[value], value }))]}
          onChange={(value) => choose("channel", value)}
        />
        {loading ? <Spinner size="small" accessibilityLabel={en.common.loading} /> : null}
      </InlineStack>
      {custom ? (
        <Form method="get" aria-label={text.ranges[CUSTOM]}>
          {channel ? <input type="hidden" name="channel" value={channel} /> : null}
          {/* Aligned at the top, so a field's error below it moves neither field. */}
          <InlineStack gap="400" blockAlign="start">
            <TextField label={text.from} name="from" type="date" value={from} onChange={setFrom} error={errorOf("from")} autoComplete="off" />
            <TextField
              label={text.to}
              name="to"
              type="date"
              value={to}
              onChange={setTo}
              error={errorOf("to")}
              autoComplete="off"
              connectedRight={<Button submit>{text.applyRange}</Button>}
            />
          </InlineStack>
        </Form>
      ) : null}
      {refused ? <Banner tone="critical">{text.rangeRefused(Number(DEFAULT_RANGE))}</Banner> : null}
      <Text as="p" tone="subdued">
        {text.rangeShown(days.first, days.last)} · {text.timeZone(timeZone)}
      </Text>
    </BlockStack>
  );
}
