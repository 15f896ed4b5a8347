import { Channel } from "@prisma/client";
import { z } from "zod";
import { dashboardFigures } from "../../analytics/dashboard.server";

import { RANGES } from "./ranges";
const DAY_MS = 86_400_000;

// A hand-edited address falls back to the default range and all channels.
const dashboardQuery = z.object({
  range: z.enum(RANGES).catch("28").default("28"),
  channel: z.enum(Channel).optional().catch(undefined),
});

/** The last N UTC days, today included: from N-1 days before today's midnight to tomorrow's. */
export function rangeEndingToday(days: number, now = new Date()) {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS);
  return { from: new Date(to.getTime() - days * DAY_MS), to };
}

export async function loadDashboard(shopId: string, url: URL) {
  const query = dashboardQuery.parse(Object.fromEntries(url.searchParams));
  const { from, to } = rangeEndingToday(Number(query.range));
  const figures = await dashboardFigures({ shopId, from, to, ...(query.channel ? { channel: query.channel } : {}) });
  return { range: query.range, channel: query.channel ?? null, from: from.toISOString(), to: to.toISOString(), figures };
}
