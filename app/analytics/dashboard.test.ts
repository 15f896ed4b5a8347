import type { Channel } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { seedDemoHistory } from "../demo/demo-history.server";
import { createTestShop, type TestShop } from "../../test/support/shopify";
import { dashboardFigures, daysOf } from "./dashboard.server";

const DAY_MS = 86_400_000;
const NOW = new Date("2026-11-30T18:00:00Z");

let shop: TestShop;

beforeAll(async () => {
  shop = await createTestShop();
  await seedDemoHistory(shop.id, { days: 28, now: NOW });
});

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function countBy<T>(items: T[], key: (item: T) => string | null): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** The figures computed in JavaScript from the rows themselves, not by the module's SQL. */
async function expectedFigures(from: Date, to: Date, channel?: Channel) {
  const conversations = (await db().conversation.findMany({ where: { shopId: shop.id }, include: { recommendations: true, orders: true, cardInteractions: true } })).filter(
    (c) => c.startedAt >= from && c.startedAt < to && (!channel || c.channel === channel),
  );
  const resolved = conversations.filter((c) => c.status === "resolved");
  const escalated = conversations.filter((c) => c.escalatedAt !== null);
  const reasons = [...countBy(escalated, (c) => c.escalationReason ?? "")].map(([reason, n]) => ({ reason: reason!, conversations: n }));
  reasons.sort((a, b) => b.conversations - a.conversations || a.reason.localeCompare(b.reason));
  const tags = [...countBy(conversations.flatMap((c) => [...new Set(c.tags)].map((tag) => ({ tag }))), (t) => t.tag)].map(([tag, n]) => ({ tag: tag!, conversations: n }));
  tags.sort((a, b) => b.conversations - a.conversations || (a.tag < b.tag ? -1 : 1));
  const recommendations = conversations.flatMap((c) => c.recommendations);
  const orders = conversations.flatMap((c) => c.orders).filter((o) => o.cancelledAt === null);
  const revenue = orders.reduce((sum, o) => sum + Math.round(Number(o.totalPrice) * 100) - Math.round(Number(o.refundedAmount) * 100), 0);
  const interactions = conversations.flatMap((c) => c.cardInteractions);
  return {
    conversations: conversations.length,
    resolvedByAgent: resolved.length,
    escalated: escalated.length,
    topEscalationReasons: reasons.slice(0, 5),
    medianResolutionSeconds: median(resolved.map((c) => (c.resolvedAt!.getTime() - (c.reopenedAt ?? c.startedAt).getTime()) / 1000)),
    skills: Object.fromEntries([...countBy(conversations, (c) => c.skill)].map(([skill, n]) => [skill ?? "none", { conversations: n, resolvedByAgent: resolved.filter((c) => c.skill === skill).length }])),
    topTags: tags.slice(0, 10),
    recommendations: { total: recommendations.length, purchased: recommendations.filter((r) => r.outcome === "purchased").length },
    orders: orders.length,
    revenue: (revenue / 100).toFixed(2),
    averageOrderValue: orders.length ? (revenue / 100 / orders.length).toFixed(2) : null,
    addToCarts: interactions.filter((i) => i.kind === "add_to_cart").length,
    productClicks: interactions.filter((i) => i.kind === "product_click").length,
    perDay: countBy(conversations, (c) => `${c.startedAt.toISOString().slice(0, 10)}|${c.channel}`),
  };
}

async function compare(from: Date, to: Date, channel?: Channel) {
  const actual = await dashboardFigures({ shopId: shop.id, from, to, ...(channel ? { channel } : {}) });
  const expected = await expectedFigures(from, to, channel);
  expect(actual.conversations).toBe(expected.conversations);
  expect(actual.resolvedByAgent).toBe(expected.resolvedByAgent);
  expect(actual.resolvedByAgentRate).toBeCloseTo(expected.conversations ? expected.resolvedByAgent / expected.conversations : 0, 10);
  expect(actual.escalated).toBe(expected.escalated);
  expect(actual.escalationRate).toBeCloseTo(expected.conversations ? expected.escalated / expected.conversations : 0, 10);
  expect(actual.topEscalationReasons).toEqual(expected.topEscalationReasons);
  expect(actual.medianResolutionSeconds).toBe(expected.medianResolutionSeconds === null ? null : Math.round(expected.medianResolutionSeconds));
  expect(Object.fromEntries(actual.skills.map((s) => [s.skill ?? "none", { conversations: s.conversations, resolvedByAgent: s.resolvedByAgent }]))).toEqual(expected.skills);
  expect(actual.topTags).toEqual(expected.topTags);
  expect({ total: actual.recommendations.total, purchased: actual.recommendations.purchased }).toEqual(expected.recommendations);
  expect(actual.sales.attributedOrders).toBe(expected.orders);
  expect(actual.sales.attributedRevenue).toBe(expected.revenue);
  expect(actual.sales.averageOrderValue).toBe(expected.averageOrderValue);
  expect(actual.cards.addToCarts).toBe(expected.addToCarts);
  expect(actual.cards.productClicks).toBe(expected.productClicks);
  for (const row of actual.perDay) expect(row.conversations, `${row.day} ${row.channel}`).toBe(expected.perDay.get(`${row.day}|${row.channel}`) ?? 0);
  expect(actual.perDay.reduce((sum, row) => sum + row.conversations, 0)).toBe(expected.conversations);
  return actual;
}

describe("dashboard figures", () => {
  it("match the seeded rows for the whole history, a week, and one channel", async () => {
    const whole = await compare(new Date(NOW.getTime() - 28 * DAY_MS), NOW);
    // The seeded history has every kind of fact, so each figure is tested on real numbers, not zeros.
    expect(whole.conversations).toBeGreaterThan(100);
    expect(whole.resolvedByAgent).toBeGreaterThan(0);
    expect(whole.escalated).toBeGreaterThan(0);
    expect(whole.sales.attributedOrders).toBeGreaterThan(0);
    expect(whole.recommendations.purchased).toBeGreaterThan(0);
    expect(whole.cards.addToCarts).toBeGreaterThan(0);
    expect(whole.topTags.length).toBeGreaterThan(0);

    const week = await compare(new Date(NOW.getTime() - 7 * DAY_MS), NOW);
    expect(week.conversations).toBeLessThan(whole.conversations);
    const email = await compare(new Date(NOW.getTime() - 28 * DAY_MS), NOW, "email");
    expect(email.perDay.every((row) => row.channel === "email")).toBe(true);
    expect(email.conversations).toBeGreaterThan(0);
  });

  it("answers zeros, not errors, for a range without conversations", async () => {
    const empty = await dashboardFigures({ shopId: shop.id, from: new Date("2020-01-01T00:00:00Z"), to: new Date("2020-01-08T00:00:00Z") });
    expect(empty).toMatchObject({ conversations: 0, resolvedByAgentRate: 0, escalationRate: 0, medianResolutionSeconds: null, topTags: [], skills: [] });
    expect(empty.sales.averageOrderValue).toBeNull();
    expect(empty.perDay).toHaveLength(7 * 4);
  });

  it("writes the demo history once per shop", async () => {
    const before = await db().conversation.count({ where: { shopId: shop.id } });
    expect(await seedDemoHistory(shop.id, { now: NOW })).toEqual({ conversations: 0, orders: 0 });
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(before);
  });

  it("lists every UTC day of a range", () => {
    expect(daysOf(new Date("2026-11-01T00:00:00Z"), new Date("2026-11-04T00:00:00Z"))).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
  });
});
