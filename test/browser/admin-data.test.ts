import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db.server";
import { seedDemoHistory } from "../../app/demo/demo-history.server";
import { launchBrowser, openEmbeddedAdmin, saveScreenshot } from "../support/browser";
import { appUrl, createTestShop, type TestShop } from "../support/shopify";

const URGENT_MESSAGE = "I was charged twice for order #1042, please help";

let browser: Browser;
let shop: TestShop;
let urgentConversationId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  shop = await createTestShop();
  await seedDemoHistory(shop.id, { days: 28 });
  // A shopper who is waiting for a person right now, and has had no answer from the team yet.
  const anonymousId = randomUUID();
  const shopper = await db().shopper.create({
    data: { shopId: shop.id, anonymousId, email: "noor@example.com", identifiers: { create: { shopId: shop.id, kind: "anonymous", value: anonymousId, source: "storefront" } } },
  });
  const escalatedAt = new Date(Date.now() - 3 * 60_000);
  const urgent = await db().conversation.create({
    data: {
      shopId: shop.id, shopperId: shopper.id, channel: "web_chat", status: "escalated", escalatedAt, escalationReason: "Refund request",
      skill: "handoff", tags: ["billing"], startedAt: new Date(escalatedAt.getTime() - 60_000), lastMessageAt: escalatedAt,
      messages: {
        create: [
          { author: "shopper", body: URGENT_MESSAGE, createdAt: new Date(escalatedAt.getTime() - 60_000) },
          { author: "agent", body: "I am asking a person from our team to help you.", skill: "handoff", intent: "refund", createdAt: escalatedAt },
        ],
      },
    },
  });
  urgentConversationId = urgent.id;
});

afterAll(async () => {
  await browser?.close();
});

/** The embedded admin in a merchant's browser (a valid session token), collecting the app's script and request errors. */
function openAdmin(adminPath: string, width = 1280) {
  return openEmbeddedAdmin(browser, appUrl(`/demo/admin?${new URLSearchParams({ shop: shop.domain, path: adminPath })}`), width);
}

/** The dashboard's ranges are whole days ending today in the shop's time zone: UTC for this test shop. */
function startOfRange(days: number) {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * 86_400_000);
}

/**
 * axe-core's serious and critical findings. Left out: Polaris 13's IndexTable "select all" checkbox, a native
 * checkbox that Polaris gives `aria-checked` (aria-conditional-attr); it is the library's markup, not the app's.
 */
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).exclude(".Polaris-IndexTable__ColumnHeaderCheckboxWrapper").analyze();
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

describe("the admin's data pages in a real browser, on the demo history", () => {
  it("filters the inbox, keeps every column on screen at 1280 px, and makes a new escalation stand out", async () => {
    const { page, problems } = await openAdmin("/app/conversations");
    const urgentRow = page.getByRole("row").filter({ hasText: URGENT_MESSAGE });
    await expect.poll(() => urgentRow.count()).toBe(1);
    expect(await urgentRow.getByText("New", { exact: true }).count()).toBe(1);

    await saveScreenshot(page, "admin-data-conversations");
    // "Last activity" used to be cut off at 1280 px: its header and cells must end inside the table's visible area.
    const scroller = page.locator(".Polaris-IndexTable__ScrollContainer, .Polaris-IndexTable-ScrollContainer").first();
    const visible = (await scroller.boundingBox()) ?? (await page.locator("table").first().boundingBox())!;
    const header = await page.getByRole("columnheader", { name: "Last activity" }).boundingBox();
    expect(header!.x + header!.width).toBeLessThanOrEqual(visible.x + visible.width + 1);
    expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("Search messages or shopper").fill("charged twice");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("charged twice");
    await expect.poll(() => page.getByRole("row").filter({ hasText: "@example.com" }).count()).toBe(1);
    expect(await urgentRow.count()).toBe(1);

    await page.getByLabel("Search messages or shopper").fill("");
    await page.getByLabel("Channel").selectOption("email");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("channel")).toBe("email");
    const rows = page.getByRole("row").filter({ has: page.getByRole("cell") });
    await expect.poll(() => rows.filter({ hasNotText: "Email" }).count()).toBe(0);
    expect(await rows.count()).toBeGreaterThan(0);
    await saveScreenshot(page, "admin-data-conversations-filtered");

    expect(problems).toEqual([]);
  });

  it("shows the transcript with the skill of each turn, sends a reply and closes the conversation", async () => {
    const { page, problems } = await openAdmin(`/app/conversations/${urgentConversationId}`);
    await expect.poll(() => page.getByText("This shopper is waiting for a person").count()).toBe(1);
    expect(await page.getByText("Skill: handoff").count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("textbox", { name: "Reply" }).fill("Sorry about that! I have refunded the second charge.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => page.getByText("Reply sent").count()).toBe(1);
    await expect.poll(() => page.getByRole("list", { name: "Transcript" }).getByText("Sorry about that! I have refunded the second charge.").count()).toBe(1);
    expect(await page.getByRole("textbox", { name: "Reply" }).inputValue()).toBe("");

    await page.getByRole("button", { name: "Close conversation" }).click();
    await expect.poll(() => page.getByText("Conversation closed").count()).toBe(1);
    expect((await db().conversation.findUniqueOrThrow({ where: { id: urgentConversationId } })).status).toBe("closed");
    expect(await db().message.count({ where: { conversationId: urgentConversationId, author: "staff" } })).toBe(1);
    await saveScreenshot(page, "admin-data-conversation");

    // A conversation with the agent's product cards shows them in the transcript.
    const withCards = await db().message.findFirstOrThrow({ where: { conversation: { shopId: shop.id }, skill: "product-recommendations" } });
    const cards = withCards.parts as Array<{ title: string }>;
    await page.goto(appUrl(`/demo/admin?${new URLSearchParams({ shop: shop.domain, path: `/app/conversations/${withCards.conversationId}` })}`));
    await expect.poll(() => page.getByRole("list", { name: "Products shown" }).getByRole("link", { name: cards[0]!.title }).count()).toBeGreaterThan(0);
    expect(await page.getByText("Skill: product-recommendations").count()).toBeGreaterThan(0);

    expect(problems).toEqual([]);
  });

  it("previews a refused event's payload and retries it on its own", async () => {
    const failed = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: shop.id, status: "failed" }, orderBy: { createdAt: "desc" } });
    const { page, problems } = await openAdmin("/app/events?status=failed");
    const row = page.getByRole("row").filter({ hasText: failed.lastError! }).first();
    await expect.poll(() => row.count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole("link", { name: `Preview: ${failed.metric}` }).click();
    await expect.poll(() => page.getByText(`What the app sends to Klaviyo: ${failed.metric}`).count()).toBe(1);
    expect(await page.getByLabel("Payload").textContent()).toContain('"metric"');
    await saveScreenshot(page, "admin-data-event-preview");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Retry this event" }).click();
    await expect.poll(() => page.getByText("1 event queued again").count()).toBe(1);
    expect((await db().klaviyoEvent.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("pending");
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "failed" } })).toBeGreaterThan(0);
    await saveScreenshot(page, "admin-data-event-retried");

    expect(problems).toEqual([]);
  });

  it("lists the outgoing channel messages on the Channels page and sends a failed one again", async () => {
    await db().channelMessage.create({
      data: { shopId: shop.id, channel: "whatsapp", recipient: "+14155550141", body: "Your parcel is on its way.", status: "delivered", attempts: 1, providerStatus: "delivered", createdAt: new Date(Date.now() - 120_000) },
    });
    const failed = await db().channelMessage.create({
      data: { shopId: shop.id, channel: "sms", recipient: "+14155550142", body: "We have the tent in green.", status: "failed", attempts: 8, providerStatus: "undelivered", lastError: "Twilio reported undelivered (error 30003)" },
    });
    const { page, problems } = await openAdmin("/app/channels");
    const row = page.getByRole("row").filter({ hasText: "Twilio reported undelivered (error 30003)" });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByText("Failed").count()).toBe(1);
    expect(await page.getByRole("row").filter({ hasText: "+14155550141" }).getByRole("button", { name: /Send again/ }).count()).toBe(0);
    await saveScreenshot(page, "admin-data-channels-outbound");
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole("button", { name: "Send again: +14155550142" }).click();
    await expect.poll(() => page.getByText("Queued again: the message to +14155550142 is being sent now.").count()).toBe(1);
    // Sent again at once; this shop has no Twilio account, so it fails again, with that reason, after one attempt.
    await expect.poll(async () => (await db().channelMessage.findUniqueOrThrow({ where: { id: failed.id } })).lastError).toBe("SMS is not set up for this shop (Channels page).");
    await saveScreenshot(page, "admin-data-channels-sent-again");

    expect(problems).toEqual([]);
  });

  it("draws the dashboard and changes its numbers with the range and the channel", async () => {
    const { page, problems } = await openAdmin("/app/dashboard");
    const conversations = page.locator("h3", { hasText: /^Conversations$/ }).locator("xpath=following-sibling::p[1]");
    await expect.poll(() => conversations.count()).toBe(1);
    const month = Number(await conversations.textContent());
    expect(month).toBe(await db().conversation.count({ where: { shopId: shop.id, startedAt: { gte: startOfRange(28) } } }));
    // The chart is drawn in the browser (Polaris Viz, after hydration).
    await expect.poll(() => page.locator("svg path").count()).toBeGreaterThan(0);
    await saveScreenshot(page, "admin-data-dashboard");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("Date range").selectOption("7");
    await expect.poll(async () => Number(await conversations.textContent())).toBeLessThan(month);
    const week = Number(await conversations.textContent());
    const startOfWeek = startOfRange(7);
    expect(week).toBe(await db().conversation.count({ where: { shopId: shop.id, startedAt: { gte: startOfWeek } } }));

    await page.getByLabel("Channel").selectOption("email");
    await expect.poll(async () => Number(await conversations.textContent())).toBe(await db().conversation.count({ where: { shopId: shop.id, channel: "email", startedAt: { gte: startOfWeek } } }));
    await saveScreenshot(page, "admin-data-dashboard-week-email");

    expect(problems).toEqual([]);
  });

  it("shows a custom range of the merchant's dates, and refuses one that ends before it starts", async () => {
    const { page, problems } = await openAdmin("/app/dashboard");
    const conversations = page.locator("h3", { hasText: /^Conversations$/ }).locator("xpath=following-sibling::p[1]");
    await expect.poll(() => conversations.count()).toBe(1);
    expect(await page.getByText("Days and times in UTC, the store's time zone").count()).toBe(1);

    const first = startOfRange(10);
    const last = startOfRange(4);
    const day = (date: Date) => date.toISOString().slice(0, 10);
    await page.getByLabel("Date range").selectOption("custom");
    await page.getByLabel("From", { exact: true }).fill(day(first));
    await page.getByLabel("To", { exact: true }).fill(day(last));
    await page.getByRole("button", { name: "Show these days" }).click();
    await expect.poll(() => page.getByText(`Showing ${day(first)} to ${day(last)}`).count()).toBe(1);
    const inRange = await db().conversation.count({ where: { shopId: shop.id, startedAt: { gte: first, lt: new Date(last.getTime() + 86_400_000) } } });
    expect(inRange).toBeGreaterThan(0);
    expect(Number(await conversations.textContent())).toBe(inRange);
    // In the address, so the range can be bookmarked.
    expect([new URL(page.url()).searchParams.get("from"), new URL(page.url()).searchParams.get("to")]).toEqual([day(first), day(last)]);
    await saveScreenshot(page, "admin-data-dashboard-custom-range");

    await page.getByLabel("From", { exact: true }).fill(day(last));
    await page.getByLabel("To", { exact: true }).fill(day(first));
    await page.getByRole("button", { name: "Show these days" }).click();
    await expect.poll(() => page.getByText("The end date is before the start date.").count()).toBe(1);
    expect(await page.getByText("These dates can't be shown. The figures below are for the last 28 days.").count()).toBe(1);
    expect(Number(await conversations.textContent())).toBe(await db().conversation.count({ where: { shopId: shop.id, startedAt: { gte: startOfRange(28) } } }));
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe(day(last));
    await saveScreenshot(page, "admin-data-dashboard-range-refused");
    expect(await seriousViolations(page)).toEqual([]);

    // The refused range is answered 400 by design (the field errors), which Chromium reports as a failed resource.
    expect(problems).toEqual(["console error: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
  });

  it("fits a phone-width screen", async () => {
    for (const adminPath of ["/app/conversations", "/app/dashboard", "/app/events"]) {
      const { page, problems } = await openAdmin(adminPath, 390);
      await expect.poll(() => page.locator(".Polaris-Page").count()).toBeGreaterThan(0);
      await saveScreenshot(page, `admin-data-narrow${adminPath.replaceAll("/", "-")}`);
      // The page itself fits (the demo's stand-in for Shopify's navigation bar is not the app's, and tables scroll inside their card).
      expect(await page.locator(".Polaris-Page").first().evaluate((element) => element.scrollWidth <= element.clientWidth + 1 && element.getBoundingClientRect().right <= window.innerWidth + 1), adminPath).toBe(true);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });
});
