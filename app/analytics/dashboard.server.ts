import type { Channel } from "@prisma/client";
import { attributionSummary, type AttributionSummary } from "../attribution/attribution.server";
import { pool } from "../db.server";
import { daysOf, type LocalDays } from "./days";

/**
 * The dashboard's figures, each one SQL statement over the rows the app already keeps (ADR 008). The population is
 * the conversations *started* in the range: whole days in the shop's time zone, from the first day's local midnight
 * to the midnight after the last (PostgreSQL's AT TIME ZONE, so a day across a DST change lasts 23 or 25 hours),
 * optionally of one channel. Everything else (escalations, resolutions, recommendations, orders, card interactions)
 * is counted for those conversations, so the figures of one range always describe the same conversations.
 */
export interface DashboardQuery {
  shopId: string;
  days: LocalDays;
  /** An IANA name, as Shopify gives it (Shop.ianaTimezone). */
  timeZone: string;
  channel?: Channel;
}

export interface DashboardFigures {
  /** The range as instants: the first day's local midnight, and the midnight after the last day (excluded). */
  from: Date;
  to: Date;
  conversations: number;
  /** Per local day of the range (every day present, zeros included), per channel. */
  perDay: Array<{ day: string; channel: Channel; conversations: number }>;
  resolvedByAgent: number;
  resolvedByAgentRate: number;
  escalated: number;
  escalationRate: number;
  topEscalationReasons: Array<{ reason: string; conversations: number }>;
  /** Median seconds from the first (or reopening) message to the agent's resolution; null without resolutions. */
  medianResolutionSeconds: number | null;
  skills: Array<{ skill: string | null; conversations: number; resolvedByAgent: number; resolutionRate: number }>;
  topTags: Array<{ tag: string; conversations: number }>;
  recommendations: { total: number; purchased: number; conversionRate: number };
  sales: AttributionSummary;
  cards: { addToCarts: number; productClicks: number; conversationsWithAddToCart: number };
}

const TOP_REASONS = 5;
const TOP_TAGS = 10;

// $1 shop, $2 from, $3 to, $4 channel or null: the population every statement starts from.
const IN_RANGE = `
  c."shopId" = $1 AND c."startedAt" >= ($2::timestamptz AT TIME ZONE 'UTC') AND c."startedAt" < ($3::timestamptz AT TIME ZONE 'UTC')
  AND ($4::"Channel" IS NULL OR c.channel = $4::"Channel")`;

const TOTALS = `
  SELECT COUNT(*)::int AS conversations,
         COUNT(*) FILTER (WHERE c.status = 'resolved')::int AS "resolvedByAgent",
         COUNT(*) FILTER (WHERE c."escalatedAt" IS NOT NULL)::int AS escalated,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM c."resolvedAt" - COALESCE(c."reopenedAt", c."startedAt")))
           FILTER (WHERE c.status = 'resolved' AND c."resolvedAt" IS NOT NULL) AS "medianResolutionSeconds"
  FROM "Conversation" c WHERE ${IN_RANGE}`;

// startedAt is a UTC timestamp without zone: read as UTC, then as the wall clock in the shop's zone ($5).
const PER_DAY = `
  SELECT to_char((c."startedAt" AT TIME ZONE 'UTC') AT TIME ZONE $5, 'YYYY-MM-DD') AS day, c.channel, COUNT(*)::int AS conversations
  FROM "Conversation" c WHERE ${IN_RANGE}
  GROUP BY 1, 2 ORDER BY 1, 2`;

const ESCALATION_REASONS = `
  SELECT COALESCE(c."escalationReason", '') AS reason, COUNT(*)::int AS conversations
  FROM "Conversation" c WHERE ${IN_RANGE} AND c."escalatedAt" IS NOT NULL
  GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_REASONS}`;

const SKILLS = `
  SELECT c.skill, COUNT(*)::int AS conversations, COUNT(*) FILTER (WHERE c.status = 'resolved')::int AS "resolvedByAgent"
  FROM "Conversation" c WHERE ${IN_RANGE}
  GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST`;

const TAGS = `
  SELECT tag, COUNT(DISTINCT c.id)::int AS conversations
  FROM "Conversation" c, unnest(c.tags) AS tag WHERE ${IN_RANGE}
  GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_TAGS}`;

const RECOMMENDATIONS = `
  SELECT COUNT(*)::int AS total, COUNT(*) FILTER (WHERE r.outcome = 'purchased')::int AS purchased
  FROM "ProductRecommendation" r JOIN "Conversation" c ON c.id = r."conversationId" WHERE ${IN_RANGE}`;

const CARDS = `
  SELECT COUNT(*) FILTER (WHERE i.kind = 'add_to_cart')::int AS "addToCarts",
         COUNT(*) FILTER (WHERE i.kind = 'product_click')::int AS "productClicks",
         COUNT(DISTINCT i."conversationId") FILTER (WHERE i.kind = 'add_to_cart')::int AS "conversationsWithAddToCart"
  FROM "CardInteraction" i JOIN "Conversation" c ON c.id = i."conversationId" WHERE ${IN_RANGE}`;

const CHANNELS: readonly Channel[] = ["web_chat", "email", "sms", "whatsapp"];

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** The local midnights that bound the days, as instants (a day's date at 00:00 wall-clock time in the zone). */
const BOUNDS = `SELECT ($1::date::timestamp AT TIME ZONE $3) AS "from", (($2::date + 1)::timestamp AT TIME ZONE $3) AS "to"`;

async function localDayBounds(days: LocalDays, timeZone: string): Promise<{ from: Date; to: Date }> {
  const { rows } = await pool().query<{ from: Date; to: Date }>(BOUNDS, [days.first, days.last, timeZone]);
  return rows[0]!;
}

export async function dashboardFigures(query: DashboardQuery): Promise<DashboardFigures> {
  const { from, to } = await localDayBounds(query.days, query.timeZone);
  const values = [query.shopId, from.toISOString(), to.toISOString(), query.channel ?? null];
  const run = async <Row>(text: string, extra: unknown[] = []) => (await pool().query<Row & Record<string, unknown>>(text, [...values, ...extra])).rows;
  const [[totals], perDay, reasons, skills, tags, [recommendations], [cards], sales] = await Promise.all([
    run<{ conversations: number; resolvedByAgent: number; escalated: number; medianResolutionSeconds: number | null }>(TOTALS),
    run<{ day: string; channel: Channel; conversations: number }>(PER_DAY, [query.timeZone]),
    run<{ reason: string; conversations: number }>(ESCALATION_REASONS),
    run<{ skill: string | null; conversations: number; resolvedByAgent: number }>(SKILLS),
    run<{ tag: string; conversations: number }>(TAGS),
    run<{ total: number; purchased: number }>(RECOMMENDATIONS),
    run<{ addToCarts: number; productClicks: number; conversationsWithAddToCart: number }>(CARDS),
    attributionSummary(query.shopId, { from, to }, query.channel),
  ]);
  const conversations = totals!.conversations;
  const counted = new Map(perDay.map((row) => [`${row.day}|${row.channel}`, row.conversations]));
  const channels = query.channel ? [query.channel] : CHANNELS;
  return {
    from,
    to,
    conversations,
    perDay: daysOf(query.days).flatMap((day) => channels.map((channel) => ({ day, channel, conversations: counted.get(`${day}|${channel}`) ?? 0 }))),
    resolvedByAgent: totals!.resolvedByAgent,
    resolvedByAgentRate: rate(totals!.resolvedByAgent, conversations),
    escalated: totals!.escalated,
    escalationRate: rate(totals!.escalated, conversations),
    topEscalationReasons: reasons,
    medianResolutionSeconds: totals!.medianResolutionSeconds === null ? null : Math.round(Number(totals!.medianResolutionSeconds)),
    skills: skills.map((row) => ({ ...row, resolutionRate: rate(row.resolvedByAgent, row.conversations) })),
    topTags: tags,
    recommendations: { ...recommendations!, conversionRate: rate(recommendations!.purchased, recommendations!.total) },
    sales,
    cards: cards!,
  };
}
