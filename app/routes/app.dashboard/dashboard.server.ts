import { dashboardFigures } from "../../analytics/dashboard.server";
import { parseDashboardRange } from "../../analytics/dashboard-range.server";
import { localToday } from "../../analytics/days";

/** The page's data: the range as asked (or why it was refused), in the shop's time zone, and its figures. */
export async function loadDashboard(shop: { id: string; ianaTimezone: string }, url: URL) {
  const timeZone = shop.ianaTimezone;
  const range = parseDashboardRange(url.searchParams, localToday(timeZone));
  const figures = await dashboardFigures({ shopId: shop.id, days: range.days, timeZone, ...(range.channel ? { channel: range.channel } : {}) });
  return { range, timeZone, figures };
}
