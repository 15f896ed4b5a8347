import { db } from "../db.server";

export interface DailyFigures {
  conversations: number;
  resolvedByAgent: number;
  escalated: number;
  recommendations: number;
}

/**
 * The Home page's figures since midnight UTC: conversations started, resolved by the agent (the shopper confirmed or
 * went quiet after an answer; staff closing is not a resolution), handed to a person, and product recommendations shown.
 */
export async function dailyFigures(shopId: string, now = new Date()): Promise<DailyFigures> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [conversations, resolvedByAgent, escalated, recommendations] = await Promise.all([
    db().conversation.count({ where: { shopId, startedAt: { gte: since } } }),
    db().conversation.count({ where: { shopId, status: "resolved", resolvedAt: { gte: since } } }),
    db().conversation.count({ where: { shopId, escalatedAt: { gte: since } } }),
    db().productRecommendation.count({ where: { shopId, recommendedAt: { gte: since } } }),
  ]);
  return { conversations, resolvedByAgent, escalated, recommendations };
}

/** Whether the shop has had a conversation at all: the checklist's last step. */
export async function conversationCount(shopId: string): Promise<number> {
  return db().conversation.count({ where: { shopId } });
}
