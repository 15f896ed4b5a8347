import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { localToday, presetDays } from "../analytics/days";
import { db } from "../db.server";
import { adminDocumentRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

const NEW_YORK = "America/New_York";

async function shopInNewYork() {
  const shop = await createTestShop();
  await db().shop.update({ where: { id: shop.id }, data: { ianaTimezone: NEW_YORK } });
  return shop;
}

async function conversationStartedAt(shop: TestShop, startedAt: string) {
  const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID() } });
  await db().conversation.create({ data: { shopId: shop.id, shopperId: shopper.id, channel: "web_chat", startedAt: new Date(startedAt), lastMessageAt: new Date(startedAt) } });
}

async function dashboard(shop: TestShop, query: string) {
  const response = await send(await adminDocumentRequest(`/app/dashboard?${query}`, shop));
  const html = (await response.text()).replaceAll("&#x27;", "'");
  // The Conversations tile: its heading, then the figure.
  const conversations = /<h3[^>]*>Conversations<\/h3><p[^>]*>(\d+)<\/p>/.exec(html)?.[1];
  return { status: response.status, html, conversations: conversations === undefined ? null : Number(conversations) };
}

describe("the dashboard page", () => {
  it("counts the store's days in its time zone, says which zone, and takes a custom range", async () => {
    const shop = await shopInNewYork();
    await conversationStartedAt(shop, "2026-11-10T04:30:00Z"); // 23:30 on the 9th in New York
    await conversationStartedAt(shop, "2026-11-10T05:00:00Z"); // midnight starting the 10th

    const tenth = await dashboard(shop, "from=2026-11-10&to=2026-11-10");
    expect(tenth.status).toBe(200);
    expect(tenth.conversations).toBe(1);
    expect(tenth.html).toContain("Showing 2026-11-10");
    expect(tenth.html).toContain(`Days and times in ${NEW_YORK}, the store's time zone`);

    const both = await dashboard(shop, "from=2026-11-09&to=2026-11-10&channel=web_chat");
    expect(both.conversations).toBe(2);
    expect(both.html).toContain("Showing 2026-11-09 to 2026-11-10");
  });

  it("refuses a range that cannot be right with the reason next to the field, as a 400 showing the last 28 days", async () => {
    const shop = await shopInNewYork();
    const today = localToday(NEW_YORK);
    const defaults = presetDays("28", today);
    await conversationStartedAt(shop, new Date().toISOString());

    const cases: Array<[string, string]> = [
      ["from=2026-11-15&to=2026-11-01", "The end date is before the start date."],
      ["from=someday&to=2026-11-01", "Enter a date as YYYY-MM-DD."],
      ["from=2024-01-01&to=2025-06-30", "Pick at most 366 days."],
      ["from=2026-11-01&to=2999-01-01", `Pick a day up to today (${today}).`],
    ];
    for (const [query, reason] of cases) {
      const page = await dashboard(shop, query);
      expect(page.status, query).toBe(400);
      expect(page.html, query).toContain(reason);
      expect(page.html, query).toContain("These dates can't be shown. The figures below are for the last 28 days.");
      expect(page.html, query).toContain(`Showing ${defaults.first} to ${defaults.last}`);
      expect(page.conversations, query).toBe(1);
    }
    // The dates stay as typed, to be corrected.
    expect((await dashboard(shop, "from=2026-11-15&to=2026-11-01")).html).toMatch(/name="from"[^>]*value="2026-11-15"|value="2026-11-15"[^>]*name="from"/);
  });

  it("reads the shop's days in UTC until a sync has recorded its time zone", async () => {
    const shop = await createTestShop();
    await conversationStartedAt(shop, "2026-11-10T04:30:00Z");
    const page = await dashboard(shop, "from=2026-11-10&to=2026-11-10");
    expect(page.conversations).toBe(1);
    expect(page.html).toContain("Days and times in UTC, the store's time zone");
  });
});
