import { randomUUID } from "node:crypto";
import type { KlaviyoEventStatus } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { adminDocumentRequest, adminFetchRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

async function loggedEvent(shop: TestShop, status: KlaviyoEventStatus, fields: { metric?: string; lastError?: string; createdAt?: Date } = {}) {
  return db().klaviyoEvent.create({
    data: {
      shopId: shop.id,
      metric: fields.metric ?? "Started Conversation",
      uniqueId: randomUUID(),
      occurredAt: new Date(),
      payload: {},
      status,
      attempts: status === "pending" ? 0 : 1,
      lastError: fields.lastError ?? null,
      lastStatusCode: fields.lastError ? 400 : null,
      deliveredAt: status === "delivered" ? new Date() : null,
      createdAt: fields.createdAt,
    },
  });
}

/** The page as the merchant reads it: without React's markers between text pieces, quotes unescaped. */
async function pageText(response: Response) {
  expect(response.status).toBe(200);
  return (await response.text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}

function retryRequest(shop: TestShop, form: Record<string, string>) {
  return adminFetchRequest("/app/events", shop, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

async function statusOf(eventId: string) {
  return (await db().klaviyoEvent.findUniqueOrThrow({ where: { id: eventId } })).status;
}

describe("event delivery log", () => {
  it("shows each event with its status, Klaviyo's reason for a failure and what to do, for the merchant's shop only", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    await loggedEvent(shop, "failed", { metric: "Conversation Escalated", lastError: "'time' must be an ISO 8601 datetime." });
    await loggedEvent(shop, "delivered", { metric: "Conversation Resolved" });
    await loggedEvent(otherShop, "failed", { lastError: "Another shop's secret error" });

    const text = await pageText(await send(await adminDocumentRequest("/app/events", shop)));

    expect(text).toContain("400: 'time' must be an ISO 8601 datetime.");
    expect(text).toContain("Conversation Escalated");
    expect(text).toContain("Conversation Resolved");
    expect(text).toContain("Klaviyo refused 1 event");
    expect(text).toContain("Fix the cause, then retry them");
    expect(text).toContain("Klaviyo is not connected");
    expect(text).not.toContain("Another shop's secret error");
  });

  it("filters by status", async () => {
    const shop = await createTestShop();
    await loggedEvent(shop, "failed", { metric: "Conversation Escalated", lastError: "rejected" });
    await loggedEvent(shop, "delivered", { metric: "Conversation Resolved" });

    const delivered = await pageText(await send(await adminDocumentRequest("/app/events?status=delivered", shop)));
    expect(delivered).toContain("Conversation Resolved");
    expect(delivered).not.toContain("Conversation Escalated");

    const unknownFilter = await pageText(await send(await adminDocumentRequest("/app/events?status=bogus&cursor=not-a-cursor", shop)));
    expect(unknownFilter).toContain("Conversation Escalated");
  });

  it("pages through the log with a cursor, newest first", async () => {
    const shop = await createTestShop();
    const start = Date.now() - 3_600_000;
    for (let index = 0; index < 52; index++) {
      await loggedEvent(shop, "delivered", { metric: `Metric ${String(index).padStart(2, "0")}`, createdAt: new Date(start + index * 1000) });
    }
    const pageOne = await pageText(await send(await adminDocumentRequest("/app/events", shop)));
    expect(pageOne).toContain("Metric 51");
    expect(pageOne).toContain("Metric 02");
    expect(pageOne).not.toContain("Metric 01");

    const lastOnPageOne = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: shop.id, metric: "Metric 02" } });
    const pageTwo = await pageText(await send(await adminDocumentRequest(`/app/events?cursor=${lastOnPageOne.id}`, shop)));
    expect(pageTwo).toContain("Metric 01");
    expect(pageTwo).toContain("Metric 00");
    expect(pageTwo).not.toContain("Metric 02");
  });

  it("retries the selected failed events of the merchant's shop, and nothing else", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    const selected = await loggedEvent(shop, "failed", { lastError: "rejected" });
    const notSelected = await loggedEvent(shop, "failed", { lastError: "rejected" });
    const delivered = await loggedEvent(shop, "delivered");
    const theirs = await loggedEvent(otherShop, "failed", { lastError: "rejected" });

    const response = await send(await retryRequest(shop, { intent: "retry", eventIds: [selected.id, delivered.id, theirs.id].join(",") }));

    expect(response.status).toBe(200);
    const stored = await db().klaviyoEvent.findUniqueOrThrow({ where: { id: selected.id } });
    expect(stored).toMatchObject({ status: "pending", attempts: 0, lastError: null });
    expect(await statusOf(notSelected.id)).toBe("failed");
    expect(await statusOf(delivered.id)).toBe("delivered");
    expect(await statusOf(theirs.id)).toBe("failed");
  });

  it("retries all failed events of the merchant's shop only", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    const mine = [await loggedEvent(shop, "failed", { lastError: "rejected" }), await loggedEvent(shop, "failed", { lastError: "rejected" })];
    const theirs = await loggedEvent(otherShop, "failed", { lastError: "rejected" });

    const text = await pageText(await send(await retryRequest(shop, { intent: "retry-all" })));

    expect(text).toContain("2 events queued again");
    for (const event of mine) expect(await statusOf(event.id)).toBe("pending");
    expect(await statusOf(theirs.id)).toBe("failed");
  });

  it("refuses a retry that names no events", async () => {
    const shop = await createTestShop();
    expect((await send(await retryRequest(shop, { intent: "retry", eventIds: "" }))).status).toBe(400);
    expect((await send(await retryRequest(shop, { intent: "retry", eventIds: "1; DROP TABLE" }))).status).toBe(400);
  });
});
