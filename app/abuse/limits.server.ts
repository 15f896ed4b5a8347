import { isIP } from "node:net";
import { isbot } from "isbot";
import { pool } from "../db.server";

/**
 * What one visitor, one network and one shop may send the agent, so nobody can run up a shop's LLM bill or fill
 * its inbox. Fixed windows kept in PostgreSQL, so the limits hold across every app instance.
 */
export interface Limit {
  limit: number;
  windowSeconds: number;
}

export const MESSAGE_LIMITS = {
  /** A person types a few messages a minute; twenty leaves room for quick follow-ups and quick replies. */
  shopper: { limit: 20, windowSeconds: 60 },
  /** Several shoppers can share an address (an office, a carrier's NAT). */
  ip: { limit: 30, windowSeconds: 60 },
  /** The whole storefront (a busy store has a hundred shoppers chatting at once): caps what a flood of fresh ids
   *  and forged addresses can cost. */
  shop: { limit: 3000, windowSeconds: 60 },
} satisfies Record<string, Limit>;

/** Shopper messages one conversation may hold; a longer one is not a support conversation any more. */
export const MAX_SHOPPER_MESSAGES_PER_CONVERSATION = 100;

export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    readonly scope: keyof typeof MESSAGE_LIMITS,
    readonly retryAfterSeconds: number,
  ) {
    super(`Too many messages (${scope} limit)`);
  }
}

export class ConversationFullError extends Error {
  override name = "ConversationFullError";
}

// One round trip: count this request in each window (insert or increment), sweep a few windows that have ended,
// and count the conversation's shopper messages. Requests that are refused count too: a burst that keeps going
// stays refused until its window ends.
const TAKE_ALLOWANCE = `
  WITH buckets AS (
    SELECT b.key, b.seconds, floor(EXTRACT(EPOCH FROM now()) / b.seconds) * b.seconds AS start
    FROM unnest($1::text[], $2::int[]) AS b(key, seconds)
  ),
  counted AS (
    INSERT INTO "RateLimitWindow" AS w (key, "windowStart", count, "expiresAt")
    SELECT key, to_timestamp(start) AT TIME ZONE 'UTC', 1, to_timestamp(start + seconds) AT TIME ZONE 'UTC' FROM buckets
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = w.count + 1
    RETURNING w.key, w.count, CEIL(EXTRACT(EPOCH FROM w."expiresAt" - (now() AT TIME ZONE 'UTC')))::int AS "retryAfterSeconds"
  ),
  swept AS (
    DELETE FROM "RateLimitWindow" WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM "RateLimitWindow" WHERE "expiresAt" < now() AT TIME ZONE 'UTC' LIMIT 20 FOR UPDATE SKIP LOCKED
    ))
  )
  SELECT counted.*, (SELECT count(*)::int FROM "Message" m WHERE m."conversationId" = $3::text AND m.author = 'shopper') AS "conversationMessages"
  FROM counted`;

export interface MessageSender {
  shopId: string;
  /** The shopper's key on their channel (the widget's anonymous id, a phone number, an email address). */
  shopperKey: string;
  /** The visitor's address, when the request says it (see clientAddress). */
  ip: string | null;
  /** The conversation the message continues, if any. */
  conversationId?: string | null;
}

/**
 * Counts one shopper message against every limit, and refuses it (before anything is stored) when one is
 * exceeded, or when the conversation is full.
 */
export async function takeMessageAllowance(sender: MessageSender, limits: typeof MESSAGE_LIMITS = MESSAGE_LIMITS): Promise<void> {
  const scopes: Array<[keyof typeof MESSAGE_LIMITS, string]> = [
    ["shopper", `shopper:${sender.shopId}:${sender.shopperKey}`],
    ...(sender.ip ? [["ip", `ip:${sender.shopId}:${sender.ip}`] as [keyof typeof MESSAGE_LIMITS, string]] : []),
    ["shop", `shop:${sender.shopId}`],
  ];
  const { rows } = await pool().query<{ key: string; count: number; retryAfterSeconds: number; conversationMessages: number }>(TAKE_ALLOWANCE, [
    scopes.map(([, key]) => key),
    scopes.map(([scope]) => limits[scope].windowSeconds),
    sender.conversationId ?? null,
  ]);
  for (const [scope, key] of scopes) {
    const row = rows.find((candidate) => candidate.key === key);
    if (row && row.count > limits[scope].limit) throw new RateLimitedError(scope, Math.max(1, row.retryAfterSeconds));
  }
  if ((rows[0]?.conversationMessages ?? 0) >= MAX_SHOPPER_MESSAGES_PER_CONVERSATION) {
    throw new ConversationFullError(`Conversation ${sender.conversationId} holds ${MAX_SHOPPER_MESSAGES_PER_CONVERSATION} shopper messages`);
  }
}

/**
 * The visitor's address from `X-Forwarded-For`, where Shopify's app proxy puts the shopper's IP (the first entry:
 * proxies after it append theirs). IPv6 is kept to its /64, the block one household or phone gets. Null when absent
 * or not an address; the shopper and shop limits still hold then.
 */
export function clientAddress(request: Request): string | null {
  const first = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "";
  const address = first.replace(/^\[(.*)\](?::\d+)?$/, "$1").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  switch (isIP(address)) {
    case 4:
      return address;
    case 6:
      return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
    default:
      return null;
  }
}

function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}

/** Crawlers, monitors and scripts (by user agent) get no conversation: they would cost an agent turn each. */
export function isAutomatedClient(request: Request): boolean {
  return isbot(request.headers.get("user-agent"));
}
