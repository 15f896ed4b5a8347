// Calendar days for the dashboard, without server imports: the page uses the presets and limits too.

/** The preset ranges, in days ending today in the shop's time zone. */
export const PRESET_RANGES = ["7", "28", "90"] as const;
export type PresetRange = (typeof PRESET_RANGES)[number];
export const DEFAULT_RANGE: PresetRange = "28";
/** A year, leap day included: longer ranges are slow to draw and nobody reads 400 points of a line chart. */
export const MAX_RANGE_DAYS = 366;

/** Calendar days in the shop's time zone, both included, as YYYY-MM-DD. */
export interface LocalDays {
  first: string;
  last: string;
}

const DAY_MS = 86_400_000;
/** A YYYY-MM-DD date as a day count since 1970-01-01: calendar arithmetic, no time zone involved. */
export const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (number: number) => new Date(number * DAY_MS).toISOString().slice(0, 10);

/** Today's date where the shop is (en-CA formats as YYYY-MM-DD). */
export function localToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** Every calendar day from `first` to `last`, both included. */
export function daysOf({ first, last }: LocalDays): string[] {
  const days: string[] = [];
  for (let day = dayNumber(first); day <= dayNumber(last); day++) days.push(dayOf(day));
  return days;
}

/** The last N days, today included. */
export function presetDays(range: PresetRange, today: string): LocalDays {
  return { first: dayOf(dayNumber(today) - Number(range) + 1), last: today };
}
