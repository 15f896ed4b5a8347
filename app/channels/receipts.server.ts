import { pool, type Sql } from "../db.server";
import type { MessagingChannel } from "./channel";

const UNIQUE_VIOLATION = "23505";

/** Whether the shop already received the provider's message with this id (a retried delivery). */
export async function alreadyReceived(shopId: string, providerMessageId: string): Promise<boolean> {
  const { rowCount } = await pool().query(`SELECT 1 FROM "ChannelReceipt" WHERE "shopId" = $1 AND "providerMessageId" = $2`, [shopId, providerMessageId]);
  return (rowCount ?? 0) > 0;
}

/**
 * Records the message as received, inside the transaction of what it did. No ON CONFLICT on purpose: a second
 * delivery racing the first waits on the key, then fails with a unique violation and its transaction stores nothing.
 */
export async function recordReceipt(sql: Sql, shopId: string, channel: MessagingChannel, providerMessageId: string): Promise<void> {
  await sql.execute(
    `INSERT INTO "ChannelReceipt" ("shopId", "providerMessageId", channel, "receivedAt") VALUES ($1, $2, $3::"Channel", now() AT TIME ZONE 'UTC')`,
    [shopId, providerMessageId, channel],
  );
}

/**
 * Whether a failure was a concurrent delivery of the same message losing the race: a unique violation (on the
 * receipt, or on anything the first delivery created a moment earlier) while the receipt now exists.
 */
export async function lostToSameDelivery(error: unknown, shopId: string, providerMessageId: string): Promise<boolean> {
  return (error as { code?: string }).code === UNIQUE_VIOLATION && (await alreadyReceived(shopId, providerMessageId));
}
