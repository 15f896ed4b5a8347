import type { KlaviyoEvent } from "@prisma/client";
import type { KlaviyoProfileImport } from "../client.server";
import { sendPaced, type OutboundWork } from "./round.server";

const PROFILE_UPDATES_PER_ROUND = 500;

interface MergedUpdate {
  rows: KlaviyoEvent[];
  profile: KlaviyoProfileImport;
}

/**
 * Pending updates of one profile become one request: identifiers and properties merged oldest first, so the newest
 * value of each property wins, and a profile changed ten times in a burst costs one request.
 */
export function mergeProfileUpdates(rows: KlaviyoEvent[]): MergedUpdate[] {
  const byProfile = new Map<string, MergedUpdate>();
  for (const row of rows) {
    const update = row.payload as unknown as KlaviyoProfileImport;
    const key = row.profileKey ?? row.id;
    const merged = byProfile.get(key);
    if (!merged) {
      byProfile.set(key, { rows: [row], profile: { ...update, properties: { ...update.properties } } });
      continue;
    }
    merged.rows.push(row);
    const { properties, ...identifiers } = update;
    merged.profile = { ...merged.profile, ...identifiers, properties: { ...merged.profile.properties, ...properties } };
  }
  return [...byProfile.values()];
}

/** Profile properties through POST /api/profile-import, paced by the account's profile-import limiter. */
export function profileWork(): OutboundWork {
  return {
    kind: "profile",
    async work(round, probing) {
      const rows = await round.rows.next(round.connection.shopId, "profile", probing, PROFILE_UPDATES_PER_ROUND);
      if (rows.length === 0) return "idle";
      return sendPaced(round, mergeProfileUpdates(rows), {
        limiter: round.pacing.profiles,
        rowsOf: (update) => update.rows,
        send: (update) => round.client.importProfile(update.profile),
      });
    },
  };
}
