import type { Channel } from "@prisma/client";
import { attributionSummary, type AttributionSummary } from "../attribution/attribution.server";
import { pool } from "../db.server";

/**
 * The dashboard's figures, each one SQL statement over the rows the app already keeps (ADR 008). The population is
 * the conversations *started* in the range (UTC days, `to` exclusive), optionally of one channel; everything else
 * (escalations, resolutions, recommendations, orders, card interactions) is counted for those conversations, so the
 * figures of one range always describe the same conversations.
 */
export interface DashboardQuery {
  shopId: string;
  from: Date;
  to: Date;
  channel?: Channel;
}

export interface DashboardFigures {
  conversations: number;
  /** Per UTC day of the range (every day present, zeros included), per channel. */
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

const PER_DAY = `
  SELECT to_char(c."startedAt", 'YYYY-MM-DD') AS day, c.channel, COUNT(*)::int AS conversations
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

/** Every UTC day from `from` up to (not including) `to`, as YYYY-MM-DD. */
export function daysOf(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); day < to.getTime(); day += 86_400_000) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

export async function dashboardFigures(query: DashboardQuery): Promise<DashboardFigures> {
  const values = [query.shopId, query.from.toISOString(), query.to.toISOString(), query.channel ?? null];
  const run = async <Row>(text: string) => (await pool().query<Row & Record<string, unknown>>(text, values)).rows;
  const [[totals], perDay, reasons, skills, tags, [recommendations], [cards], sales] = await Promise.all([
    run<{ conversations: number; resolvedByAgent: number; escalated: number; medianResolutionSeconds: number | null }>(TOTALS),
    run<{ day: string; channel: Channel; conversations: number }>(PER_DAY),
    run<{ reason: string; conversations: number }>(ESCALATION_REASONS),
    run<{ skill: string | null; conversations: number; resolvedByAgent: number }>(SKILLS),
    run<{ tag: string; conversations: number }>(TAGS),
    run<{ total: number; purchased: number }>(RECOMMENDATIONS),
    run<{ addToCarts: number; productClicks: number; conversationsWithAddToCart: number }>(CARDS),
    attributionSummary(query.shopId, { from: query.from, to: query.to }, query.channel),
  ]);
  const conversations = totals!.conversations;
  const counted = new Map(perDay.map((row) => [`${row.day}|${row.channel}`, row.conversations]));
  const channels = query.channel ? [query.channel] : CHANNELS;
  return {
    conversations,
    perDay: daysOf(query.from, query.to).flatMap((day) => channels.map((channel) => ({ day, channel, conversations: counted.get(`${day}|${channel}`) ?? 0 }))),
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
