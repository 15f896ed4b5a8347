import { pool, type Sql } from "../../db.server";

/** One email of a conversation's thread, ours or the shopper's, by its Message-ID. */
export interface ThreadEmail {
  conversationId: string;
  rfcMessageId: string;
  direction: "inbound" | "outbound";
  subject: string;
  references: string[];
}

/**
 * The conversation an email continues: the newest of the ids it answers (In-Reply-To, then References from the
 * newest back) that is one of this shop's thread emails. Null for an email that answers nothing we know (a new
 * thread, or a reply to mail the app never saw).
 */
export async function threadedConversation(shopId: string, answeredIds: string[]): Promise<string | null> {
  if (answeredIds.length === 0) return null;
  const { rows } = await pool().query<{ conversationId: string }>(
    `SELECT t."conversationId" FROM unnest($2::text[]) WITH ORDINALITY AS a(id, ord)
       JOIN "EmailThreadMessage" t ON t."shopId" = $1 AND t."rfcMessageId" = a.id
      ORDER BY a.ord LIMIT 1`,
    [shopId, answeredIds],
  );
  return rows[0]?.conversationId ?? null;
}

/** Records an email of the thread; a second record of the same Message-ID keeps the first (a resend of our reply). */
export async function recordThreadEmail(sql: Sql, shopId: string, email: ThreadEmail & { messageId: string | null }): Promise<void> {
  await sql.execute(
    `INSERT INTO "EmailThreadMessage" (id, "shopId", "conversationId", "messageId", "rfcMessageId", direction, subject, "references", "createdAt")
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5::"EmailDirection", $6, $7::text[], now() AT TIME ZONE 'UTC')
     ON CONFLICT ("shopId", "rfcMessageId") DO NOTHING`,
    [shopId, email.conversationId, email.messageId, email.rfcMessageId, email.direction, email.subject, email.references],
  );
}

/** The shopper's newest email in the conversation: what our next email answers (In-Reply-To) and takes its subject from. */
export async function latestShopperEmail(sql: Sql, conversationId: string): Promise<ThreadEmail | null> {
  const [row] = await sql.query<ThreadEmail>(
    `SELECT "conversationId", "rfcMessageId", direction, subject, "references" FROM "EmailThreadMessage"
      WHERE "conversationId" = $1 AND direction = 'inbound' ORDER BY "createdAt" DESC, id DESC LIMIT 1`,
    [conversationId],
  );
  return row ?? null;
}
