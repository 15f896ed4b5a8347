import type { Channel, ConversationStatus, MessageAuthor } from "@prisma/client";
import { pool, sqlOf, withTransaction, type Sql } from "../db.server";
import { mayShareWithKlaviyo, resolveClaims, type ShopperClaims } from "../identity/identity.server";
import type { ShopperIdentity } from "../klaviyo/events";
import { recordKlaviyoEvent } from "../klaviyo/outbox.server";
import { identityOf } from "./conversations.server";

export const MAX_MESSAGE_LENGTH = 4000;
/** How long the shopper sees "typing" after their message while no answer has come (a turn that died shows none). */
const TYPING_WINDOW_MS = 120_000;

export class ConversationNotFoundError extends Error {
  override name = "ConversationNotFoundError";
}

/** The shop's row is gone (uninstalled or redacted since its session was read). */
export class ShopGoneError extends Error {
  override name = "ShopGoneError";
}

export interface ShopperMessageInput {
  shopId: string;
  channel: Channel;
  shopper: ShopperClaims;
  body: string;
  /** The shop's country (ISO alpha-2): a phone number typed without its country code is read in it. */
  defaultCountry?: string | null;
  /** The shopper's conversation to continue; absent, the message starts a new one. */
  conversationId?: string;
}

export interface ReceivedMessage {
  conversationId: string;
  status: ConversationStatus;
  started: boolean;
  startedAt: Date;
  messageId: string;
  messageAt: Date;
  shopper: ShopperIdentity & { id: string; analyticsConsent: boolean | null; marketingConsent: boolean | null };
}

export interface ShopperConversationView {
  conversationId: string;
  status: ConversationStatus;
  /** The shopper's last message is waiting for the agent's answer (shown as "typing" in the widget). */
  agentTyping: boolean;
  messages: Array<{ id: string; author: MessageAuthor; body: string; parts: unknown[]; createdAt: string }>;
}

// The shopper is found by the first of the message's keys that a stored identifier has (anonymous id, signed
// customer, channel sender; app/identity resolveClaims), or created under an id derived from its deciding key, so
// simultaneous first messages (two tabs, a double submit) meet on one row. Every identifier the message carries
// is then attached; one another shopper already holds stays theirs. The Shopper columns keep each kind's newest
// value, never cleared by a message that lacks it (ADR 006). All of it is one statement: this is the hot path.
const UPSERT_SHOPPER = `
  claimed AS (
    SELECT c.kind, c.value, c.verified, c.source, c.key, c.ord
    FROM unnest($12::"ShopperIdentifierKind"[], $13::text[], $14::boolean[], $15::"ShopperIdentifierSource"[], $16::boolean[])
      WITH ORDINALITY AS c(kind, value, verified, source, key, ord)
  ),
  found AS (
    SELECT i."shopperId" AS id FROM claimed c
    JOIN "ShopperIdentifier" i ON i."shopId" = $1 AND i.kind = c.kind AND i.value = c.value
    WHERE c.key ORDER BY c.ord LIMIT 1
  ),
  shopper AS (
    INSERT INTO "Shopper" AS s (id, "shopId", "anonymousId", "shopifyCustomerId", email, phone, "klaviyoExchangeId", "analyticsConsent", "marketingConsent", "updatedAt")
    VALUES (COALESCE((SELECT id FROM found), $17), $1, $2, $3, $4, $5, $6, $7, $8, now() AT TIME ZONE 'UTC')
    ON CONFLICT (id) DO UPDATE SET
      "anonymousId" = COALESCE(EXCLUDED."anonymousId", s."anonymousId"),
      "shopifyCustomerId" = COALESCE(EXCLUDED."shopifyCustomerId", s."shopifyCustomerId"),
      email = COALESCE(EXCLUDED.email, s.email),
      phone = COALESCE(EXCLUDED.phone, s.phone),
      "klaviyoExchangeId" = COALESCE(EXCLUDED."klaviyoExchangeId", s."klaviyoExchangeId"),
      "analyticsConsent" = COALESCE(EXCLUDED."analyticsConsent", s."analyticsConsent"),
      "marketingConsent" = COALESCE(EXCLUDED."marketingConsent", s."marketingConsent"),
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING s.*
  ),
  identifiers AS (
    INSERT INTO "ShopperIdentifier" AS i (id, "shopId", "shopperId", kind, value, verified, source, "updatedAt")
    SELECT gen_random_uuid()::text, $1, shopper.id, c.kind, c.value, c.verified, c.source, now() AT TIME ZONE 'UTC' FROM shopper, claimed c
    ON CONFLICT ("shopId", kind, value) DO UPDATE SET verified = i.verified OR EXCLUDED.verified, "updatedAt" = EXCLUDED."updatedAt"
    WHERE i."shopperId" = EXCLUDED."shopperId"
  )`;

const INSERT_MESSAGE_AND_RETURN = `
  message AS (
    INSERT INTO "Message" (id, "conversationId", author, body, tags, "createdAt")
    SELECT gen_random_uuid()::text, conversation.id, 'shopper', $10, '{}', to_timestamp($11::float8 / 1000) AT TIME ZONE 'UTC' FROM conversation
    RETURNING id, "createdAt"
  )
  SELECT conversation.id AS "conversationId", conversation.status,
         EXTRACT(EPOCH FROM conversation."startedAt") * 1000 AS "startedAtMs",
         message.id AS "messageId",
         shopper.id AS "shopperId", shopper."anonymousId", shopper.email, shopper.phone, shopper."shopifyCustomerId",
         shopper."klaviyoExchangeId", shopper."analyticsConsent", shopper."marketingConsent"
  FROM shopper, conversation, message`;

const START_CONVERSATION = `
  WITH ${UPSERT_SHOPPER},
  conversation AS (
    INSERT INTO "Conversation" (id, "shopId", "shopperId", channel, tags, "startedAt", "lastMessageAt", "updatedAt")
    SELECT gen_random_uuid()::text, $1, shopper.id, $9::"Channel", '{}', to_timestamp($11::float8 / 1000) AT TIME ZONE 'UTC',
           to_timestamp($11::float8 / 1000) AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM shopper
    RETURNING *
  ),
  ${INSERT_MESSAGE_AND_RETURN}`;

// Writing again after a resolution (or a staff close) reopens the conversation; Resolution Time counts from here.
const CONTINUE_CONVERSATION = `
  WITH ${UPSERT_SHOPPER},
  conversation AS (
    UPDATE "Conversation" AS c SET
      "lastMessageAt" = to_timestamp($11::float8 / 1000) AT TIME ZONE 'UTC',
      status = CASE WHEN c.status IN ('resolved', 'closed') THEN 'open'::"ConversationStatus" ELSE c.status END,
      "reopenedAt" = CASE WHEN c.status IN ('resolved', 'closed') THEN to_timestamp($11::float8 / 1000) AT TIME ZONE 'UTC' ELSE c."reopenedAt" END,
      "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM shopper
    WHERE c.id = $18 AND c."shopId" = $1 AND c."shopperId" = shopper.id AND c.channel = $9::"Channel"
    RETURNING c.*
  ),
  ${INSERT_MESSAGE_AND_RETURN}`;

interface ReceivedRow {
  conversationId: string;
  status: ConversationStatus;
  startedAtMs: number;
  messageId: string;
  shopperId: string;
  anonymousId: string | null;
  email: string | null;
  phone: string | null;
  shopifyCustomerId: string | null;
  klaviyoExchangeId: string | null;
  analyticsConsent: boolean | null;
  marketingConsent: boolean | null;
}

const FOREIGN_KEY_VIOLATION = "23503";

/**
 * Stores one shopper message as one fact: the shopper (found by the message's keys or created, with every
 * identifier it carries attached, including an email or phone typed in it), the conversation (started, continued or reopened), the message and, for a new conversation the
 * shopper's consent allows Klaviyo to hear about, Started Conversation in the outbox. One statement plus the
 * outbox write, in one transaction on the shared pool: this is the hot path under every agent turn.
 * `alsoInTransaction` lets the caller add its own work (queueing the agent's turn) to the same commit.
 */
export async function receiveShopperMessage(
  input: ShopperMessageInput,
  alsoInTransaction?: (sql: Sql, received: ReceivedMessage) => Promise<void>,
): Promise<ReceivedMessage> {
  const { shopper: claims } = input;
  const messageAt = new Date();
  const { identifiers, best, newShopperId } = resolveClaims(input.shopId, claims, input.body, input.defaultCountry);
  const values = [
    input.shopId,
    best.anonymousId,
    best.shopifyCustomerId,
    best.email,
    best.phone,
    best.klaviyoExchangeId,
    claims.consent?.analytics ?? null,
    claims.consent?.marketing ?? null,
    input.channel,
    input.body,
    messageAt.getTime(),
    identifiers.map((identifier) => identifier.kind),
    identifiers.map((identifier) => identifier.value),
    identifiers.map((identifier) => identifier.verified),
    identifiers.map((identifier) => identifier.source),
    identifiers.map((identifier) => identifier.key),
    newShopperId,
    ...(input.conversationId ? [input.conversationId] : []),
  ];
  try {
    return await withTransaction(async (client) => {
      const sql = sqlOf(client);
      const [row] = await sql.query<ReceivedRow>(input.conversationId ? CONTINUE_CONVERSATION : START_CONVERSATION, values);
      if (!row) throw new ConversationNotFoundError(`Conversation ${input.conversationId} not found`);
      const received: ReceivedMessage = {
        conversationId: row.conversationId,
        status: row.status,
        started: !input.conversationId,
        startedAt: new Date(Number(row.startedAtMs)),
        messageId: row.messageId,
        messageAt,
        shopper: {
          id: row.shopperId,
          anonymousId: row.anonymousId,
          email: row.email,
          phone: row.phone,
          shopifyCustomerId: row.shopifyCustomerId,
          klaviyoExchangeId: row.klaviyoExchangeId,
          analyticsConsent: row.analyticsConsent,
          marketingConsent: row.marketingConsent,
        },
      };
      if (received.started && mayShareWithKlaviyo(received.shopper)) {
        await recordKlaviyoEvent(sql, input.shopId, {
          kind: "started",
          conversationId: received.conversationId,
          channel: input.channel,
          firstMessage: input.body,
          occurredAt: messageAt,
          shopper: identityOf(received.shopper),
        });
      }
      await alsoInTransaction?.(sql, received);
      return received;
    });
  } catch (error) {
    if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new ShopGoneError(`Shop ${input.shopId} is no longer installed`);
    throw error;
  }
}

// `$4` (the newest createdAt the widget already has, or null) keeps polls to what is new; it is inclusive, so two
// messages stored in the same millisecond are never split by the cursor (the widget drops the ones it has by id).
// The typing flag needs the thread's real last message, whatever the cursor left out.
const READ_SHOPPER_CONVERSATION = `
  SELECT c.id AS "conversationId", c.status,
    COALESCE((
      SELECT json_agg(json_build_object(
        'id', m.id, 'author', m.author, 'body', m.body, 'parts', m.parts,
        'createdAt', to_char(m."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      ) ORDER BY m."createdAt", m.id)
      FROM "Message" m WHERE m."conversationId" = c.id AND ($4::timestamp IS NULL OR m."createdAt" >= $4::timestamp)
    ), '[]'::json) AS messages,
    last.author AS "lastAuthor", EXTRACT(EPOCH FROM last."createdAt") * 1000 AS "lastAtMs"
  FROM "Conversation" c
  JOIN "ShopperIdentifier" i ON i."shopperId" = c."shopperId" AND i."shopId" = $2 AND i.kind = 'anonymous' AND i.value = $3
  LEFT JOIN LATERAL (
    SELECT author, "createdAt" FROM "Message" WHERE "conversationId" = c.id ORDER BY "createdAt" DESC, id DESC LIMIT 1
  ) last ON true
  WHERE c.id = $1 AND c."shopId" = $2 AND c.channel = 'web_chat'`;

interface ShopperConversationRow extends Omit<ShopperConversationView, "agentTyping"> {
  lastAuthor: MessageAuthor | null;
  lastAtMs: number | null;
}

/**
 * The widget's side of one web chat thread, in one query; `anonymousId` must be one of the conversation's
 * shopper's (a shopper who also wrote by email or SMS sees none of those threads here). With `after`, only the
 * messages created at or after it (a poll asks for what is new).
 */
export async function readShopperConversation(shopId: string, conversationId: string, anonymousId: string, after: Date | null = null): Promise<ShopperConversationView> {
  const { rows } = await pool().query<ShopperConversationRow>(READ_SHOPPER_CONVERSATION, [conversationId, shopId, anonymousId, after?.toISOString() ?? null]);
  const row = rows[0];
  if (!row) throw new ConversationNotFoundError(`Conversation ${conversationId} not found`);
  const { lastAuthor, lastAtMs, ...conversation } = row;
  return {
    ...conversation,
    agentTyping: conversation.status === "open" && lastAuthor === "shopper" && Date.now() - Number(lastAtMs) < TYPING_WINDOW_MS,
  };
}

/** A new conversation from its first message (other channels, seeds, tests): the same path as every shopper message. */
export async function startConversation(input: Omit<ShopperMessageInput, "conversationId" | "body"> & { firstMessage: string }) {
  const received = await receiveShopperMessage({ ...input, body: input.firstMessage });
  return { id: received.conversationId, status: received.status, startedAt: received.startedAt, shopperId: received.shopper.id, firstMessageId: received.messageId };
}
