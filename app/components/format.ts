import { en } from "../admin/strings/en";

const text = () => en.common;

export function formatDuration(seconds: number): string {
  if (seconds < 60) return text().seconds(Math.max(0, Math.round(seconds)));
  if (seconds < 3600) return text().minutes(Math.round(seconds / 60));
  if (seconds < 86_400) return text().hours(Math.round(seconds / 3600));
  return text().days(Math.round(seconds / 86_400));
}

/** Relative to the loader's clock, so the server and the browser render the same text (no hydration mismatch). */
export function formatAgo(iso: string, now: string): string {
  const seconds = (Date.parse(now) - Date.parse(iso)) / 1000;
  return seconds < 5 ? text().justNow : text().ago(formatDuration(seconds));
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;
}

/** Amounts in the shop's currency; en-US digits on both server and browser, so hydration matches. */
export function formatMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(amount));
}
