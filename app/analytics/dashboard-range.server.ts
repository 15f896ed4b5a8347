import { Channel } from "@prisma/client";
import { z } from "zod";
import { en } from "../admin/strings/en";
import { fieldErrors, type FieldErrors } from "../settings/sections";
import { DEFAULT_RANGE, dayNumber, MAX_RANGE_DAYS, PRESET_RANGES, presetDays, type LocalDays, type PresetRange } from "./days";

const t = en.dashboard.rangeErrors;
const date = z.iso.date({ error: t.date });

function customRange(today: string) {
  return z
    .object({ from: date, to: date })
    .superRefine(({ from, to }, context) => {
      // zod runs refinements on top of the fields' own failures: a date that is not one has nothing to compare.
      if (!date.safeParse(from).success || !date.safeParse(to).success) return;
      if (from > today) context.addIssue({ code: "custom", path: ["from"], message: t.future(today) });
      if (to > today) context.addIssue({ code: "custom", path: ["to"], message: t.future(today) });
      else if (to < from) context.addIssue({ code: "custom", path: ["to"], message: t.beforeStart });
      else if (dayNumber(to) - dayNumber(from) + 1 > MAX_RANGE_DAYS) context.addIssue({ code: "custom", path: ["to"], message: t.tooLong(MAX_RANGE_DAYS) });
    });
}

const dashboardAddress = z.object({
  range: z.enum(PRESET_RANGES).catch(DEFAULT_RANGE).default(DEFAULT_RANGE),
  channel: z.enum(Channel).optional().catch(undefined),
  from: z.string().optional(),
  to: z.string().optional(),
});

export type DashboardRange =
  | { ok: true; preset: PresetRange | null; days: LocalDays; channel: Channel | null }
  /** The dates as typed and why they were refused; `days` is the default range, shown meanwhile. */
  | { ok: false; preset: null; days: LocalDays; channel: Channel | null; typed: { from: string; to: string }; fieldErrors: FieldErrors };

/**
 * The dashboard's address: a preset (`range=7|28|90`, a hand-edited one falls back to the default) or, when `from`
 * or `to` is given, a custom range of whole local days, both included. A custom range that cannot be right (a
 * date that is not one, the end before the start, a day after today, more than MAX_RANGE_DAYS) is refused with
 * its field errors, never guessed at.
 */
export function parseDashboardRange(params: URLSearchParams, today: string): DashboardRange {
  const address = dashboardAddress.parse(Object.fromEntries(params));
  const channel = address.channel ?? null;
  if (!address.from && !address.to) return { ok: true, preset: address.range, days: presetDays(address.range, today), channel };
  const typed = { from: address.from ?? "", to: address.to ?? "" };
  const custom = customRange(today).safeParse(typed);
  if (custom.success) return { ok: true, preset: null, days: { first: custom.data.from, last: custom.data.to }, channel };
  return { ok: false, preset: null, days: presetDays(DEFAULT_RANGE, today), channel, typed, fieldErrors: fieldErrors(custom.error) };
}
