import { randomUUID } from "node:crypto";
import type { Channel } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { seedDemoHistory } from "../demo/demo-history.server";
import { createTestShop, type TestShop } from "../../test/support/shopify";
import { dashboardFigures } from "./dashboard.server";
import { localToday, type LocalDays } from "./days";

const HOUR_MS = 3_600_000;
const NOW = new Date("2026-11-30T18:00:00Z");
const NEW_YORK = "America/New_York";

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

/** The figures computed in JavaScript from the rows themselves (local days by Intl), not by the module's SQL. */
async function expectedFigures(days: LocalDays, timeZone: string, channel?: Channel) {
  const localDay = (at: Date) => localToday(timeZone, at);
  const conversations = (await db().conversation.findMany({ where: { shopId: shop.id }, include: { recommendations: true, orders: true, cardInteractions: true } })).filter(
    (c) => localDay(c.startedAt) >= days.first && localDay(c.startedAt) <= days.last && (!channel || c.channel === channel),
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
    perDay: countBy(conversations, (c) => `${localDay(c.startedAt)}|${c.channel}`),
  };
}

async function compare(days: LocalDays, timeZone: string, channel?: Channel) {
  const actual = await dashboardFigures({ shopId: shop.id, days, timeZone, ...(channel ? { channel } : {}) });
  const expected = await expectedFigures(days, timeZone, channel);
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
    const whole = await compare({ first: "2026-11-03", last: "2026-11-30" }, "UTC");
    // The seeded history has every kind of fact, so each figure is tested on real numbers, not zeros.
    expect(whole.conversations).toBeGreaterThan(100);
    expect(whole.resolvedByAgent).toBeGreaterThan(0);
    expect(whole.escalated).toBeGreaterThan(0);
    expect(whole.sales.attributedOrders).toBeGreaterThan(0);
    expect(whole.recommendations.purchased).toBeGreaterThan(0);
    expect(whole.cards.addToCarts).toBeGreaterThan(0);
    expect(whole.topTags.length).toBeGreaterThan(0);

    const week = await compare({ first: "2026-11-24", last: "2026-11-30" }, "UTC");
    expect(week.conversations).toBeLessThan(whole.conversations);
    const email = await compare({ first: "2026-11-03", last: "2026-11-30" }, "UTC", "email");
    expect(email.perDay.every((row) => row.channel === "email")).toBe(true);
    expect(email.conversations).toBeGreaterThan(0);
  });

  it("match the seeded rows counted in the shop's time zone, whose days start hours after UTC's", async () => {
    const week = await compare({ first: "2026-11-24", last: "2026-11-30" }, NEW_YORK);
    expect(week.from).toEqual(new Date("2026-11-24T05:00:00Z"));
    expect(week.to).toEqual(new Date("2026-12-01T05:00:00Z"));
    await compare({ first: "2026-11-03", last: "2026-11-30" }, "Asia/Kolkata", "web_chat");
  });

  it("answers zeros, not errors, for a range without conversations", async () => {
    const empty = await dashboardFigures({ shopId: shop.id, days: { first: "2020-01-01", last: "2020-01-07" }, timeZone: "UTC" });
    expect(empty).toMatchObject({ conversations: 0, resolvedByAgentRate: 0, escalationRate: 0, medianResolutionSeconds: null, topTags: [], skills: [] });
    expect(empty.sales.averageOrderValue).toBeNull();
    expect(empty.perDay).toHaveLength(7 * 4);
  });

  it("writes the demo history once per shop", async () => {
    const before = await db().conversation.count({ where: { shopId: shop.id } });
    expect(await seedDemoHistory(shop.id, { now: NOW })).toEqual({ conversations: 0, orders: 0 });
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(before);
  });
});

describe("the dashboard's local days", () => {
  async function shopInNewYork() {
    const newYork = await createTestShop();
    await db().shop.update({ where: { id: newYork.id }, data: { ianaTimezone: NEW_YORK } });
    return newYork;
  }

  async function conversationStartedAt(shopId: string, startedAt: string) {
    const shopper = await db().shopper.create({ data: { shopId, anonymousId: randomUUID() } });
    await db().conversation.create({ data: { shopId, shopperId: shopper.id, channel: "web_chat", startedAt: new Date(startedAt), lastMessageAt: new Date(startedAt) } });
  }

  const webChatPerDay = (figures: Awaited<ReturnType<typeof dashboardFigures>>) =>
    Object.fromEntries(figures.perDay.filter((row) => row.channel === "web_chat").map((row) => [row.day, row.conversations]));

  it("counts a conversation started at 23:30 local time on that local day, and one at midnight on the next", async () => {
    const { id } = await shopInNewYork();
    await conversationStartedAt(id, "2026-11-10T04:30:00Z"); // 23:30 on the 9th in New York, the 10th in UTC
    await conversationStartedAt(id, "2026-11-10T05:00:00Z"); // midnight starting the 10th in New York
    await conversationStartedAt(id, "2026-11-11T04:59:59Z"); // the 10th's last second in New York

    const twoDays = await dashboardFigures({ shopId: id, days: { first: "2026-11-09", last: "2026-11-10" }, timeZone: NEW_YORK });
    expect(webChatPerDay(twoDays)).toEqual({ "2026-11-09": 1, "2026-11-10": 2 });
    const tenth = await dashboardFigures({ shopId: id, days: { first: "2026-11-10", last: "2026-11-10" }, timeZone: NEW_YORK });
    expect(tenth.conversations).toBe(2);
    expect(webChatPerDay(await dashboardFigures({ shopId: id, days: { first: "2026-11-09", last: "2026-11-11" }, timeZone: "UTC" }))).toEqual({
      "2026-11-09": 0,
      "2026-11-10": 2,
      "2026-11-11": 1,
    });
  });

  it("gives a DST change day its 25 or 23 hours, so late conversations stay on it", async () => {
    const { id } = await shopInNewYork();
    // Clocks went back at 02:00 on 1 November 2026: that day ran from 04:00 to 05:00 UTC the next morning.
    await conversationStartedAt(id, "2026-11-01T03:30:00Z"); // 23:30 on 31 October (EDT)
    await conversationStartedAt(id, "2026-11-02T04:30:00Z"); // 23:30 on 1 November (EST), the 25th hour
    const fallBack = await dashboardFigures({ shopId: id, days: { first: "2026-10-31", last: "2026-11-02" }, timeZone: NEW_YORK });
    expect(webChatPerDay(fallBack)).toEqual({ "2026-10-31": 1, "2026-11-01": 1, "2026-11-02": 0 });
    const first = await dashboardFigures({ shopId: id, days: { first: "2026-11-01", last: "2026-11-01" }, timeZone: NEW_YORK });
    expect(first.to.getTime() - first.from.getTime()).toBe(25 * HOUR_MS);

    // Clocks went forward at 02:00 on 8 March 2026: that day ran from 05:00 to 04:00 UTC the next morning.
    await conversationStartedAt(id, "2026-03-09T03:45:00Z"); // 23:45 on 8 March (EDT)
    const springForward = await dashboardFigures({ shopId: id, days: { first: "2026-03-08", last: "2026-03-08" }, timeZone: NEW_YORK });
    expect(springForward.to.getTime() - springForward.from.getTime()).toBe(23 * HOUR_MS);
    expect(webChatPerDay(springForward)).toEqual({ "2026-03-08": 1 });
  });
});
