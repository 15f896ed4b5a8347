import { pool, type Sql } from "../db.server";
import type { MessagingChannel } from "./channel";

/** Twilio's standard opt-out keywords, the whole message in any case (Twilio's own rule for SMS). */
const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const START_WORDS = new Set(["START", "UNSTOP", "YES"]);
const HELP_WORDS = new Set(["HELP", "INFO"]);

export type OptOutKeyword = "stop" | "start" | "help";

/** The keyword a whole message is, if it is one ("stop", " Stop. " count; "please stop emailing me" does not). */
export function optOutKeyword(body: string): OptOutKeyword | null {
  const word = body.trim().replace(/[.!]+$/, "").toUpperCase();
  if (STOP_WORDS.has(word)) return "stop";
  if (START_WORDS.has(word)) return "start";
  if (HELP_WORDS.has(word)) return "help";
  return null;
}

export async function isOptedOut(sql: Sql, shopId: string, channel: MessagingChannel, address: string): Promise<boolean> {
  const rows = await sql.query(`SELECT 1 FROM "ChannelOptOut" WHERE "shopId" = $1 AND channel = $2::"Channel" AND address = $3`, [shopId, channel, address]);
  return rows.length > 0;
}

/** The same, outside any transaction. */
export async function isOptedOutNow(shopId: string, channel: MessagingChannel, address: string): Promise<boolean> {
  const { rowCount } = await pool().query(`SELECT 1 FROM "ChannelOptOut" WHERE "shopId" = $1 AND channel = $2::"Channel" AND address = $3`, [shopId, channel, address]);
  return (rowCount ?? 0) > 0;
}

export async function recordOptOut(sql: Sql, shopId: string, channel: MessagingChannel, address: string) {
  await sql.execute(
    `INSERT INTO "ChannelOptOut" ("shopId", channel, address, "optedOutAt") VALUES ($1, $2::"Channel", $3, now() AT TIME ZONE 'UTC')
     ON CONFLICT DO NOTHING`,
    [shopId, channel, address],
  );
  // Nothing queued for them goes out any more, including parts waiting for a retry or for WhatsApp's window to reopen.
  await sql.execute(
    `UPDATE "ChannelMessage" SET status = 'failed', "lastError" = 'the shopper opted out (STOP)', "updatedAt" = now() AT TIME ZONE 'UTC'
      WHERE "shopId" = $1 AND channel = $2::"Channel" AND recipient = $3 AND status IN ('pending', 'waiting')`,
    [shopId, channel, address],
  );
}

export async function clearOptOut(sql: Sql, shopId: string, channel: MessagingChannel, address: string) {
  await sql.execute(`DELETE FROM "ChannelOptOut" WHERE "shopId" = $1 AND channel = $2::"Channel" AND address = $3`, [shopId, channel, address]);
}
