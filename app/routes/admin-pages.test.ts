import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { adminDocumentRequest, adminFetchRequest, appUrl, createTestShop, send, type TestShop } from "../../test/support/shopify";

async function failedEvent(shop: TestShop, lastError: string) {
  return db().klaviyoEvent.create({
    data: {
      shopId: shop.id, metric: "Started Conversation", uniqueId: randomUUID(), occurredAt: new Date(), payload: {},
      status: "failed", attempts: 1, lastError, lastStatusCode: 400,
    },
  });
}

describe("admin pages", () => {
  it("refuses an admin page without a valid session token", async () => {
    const response = await send(new Request(appUrl("/app/events"), { headers: { Authorization: "Bearer forged.token.value" } }));
    expect(response.status).toBe(401);
  });

  it("shows the merchant a failed event with Klaviyo's reason and what to do, and only its own shop's events", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    await failedEvent(shop, "'time' must be an ISO 8601 datetime.");
    await failedEvent(otherShop, "Another shop's secret error");

    const html = await (await send(await adminDocumentRequest("/app/events", shop))).text();
    expect(html).toContain("400: &#x27;time&#x27; must be an ISO 8601 datetime.");
    expect(html).toContain("Fix the cause, then retry them.");
    expect(html).not.toContain("Another shop&#x27;s secret error");
  });

  it("retries only the merchant's own failed events", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    const mine = await failedEvent(shop, "rejected");
    const theirs = await failedEvent(otherShop, "rejected");

    const response = await send(
      await adminFetchRequest("/app/events?index", shop, {
        method: "POST",
        body: new URLSearchParams({ intent: "retry", eventIds: `${mine.id},${theirs.id}` }),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    expect(response.status).toBe(200);
    expect((await db().klaviyoEvent.findUniqueOrThrow({ where: { id: mine.id } })).status).not.toBe("failed");
    expect((await db().klaviyoEvent.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("failed");
  });

  it("closes an escalated conversation from the inbox without telling Klaviyo it was resolved by the agent", async () => {
    const shop = await createTestShop();
    const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID(), email: "sam@example.com", analyticsConsent: true, marketingConsent: true } });
    const conversation = await db().conversation.create({
      data: { shopId: shop.id, shopperId: shopper.id, channel: "web_chat", status: "escalated", escalationReason: "Refund request", escalatedAt: new Date() },
    });

    const response = await send(
      await adminFetchRequest(`/app/conversations/${conversation.id}`, shop, {
        method: "POST",
        body: new URLSearchParams({ intent: "close" }),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    expect(response.status).toBe(200);
    expect((await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status).toBe("closed");
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id, metric: "Conversation Resolved" } })).toBe(0);
    // The shopper is no longer waiting on support: the profile's Open Escalation flag is cleared for the merchant's flows.
    const profile = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId: shop.id, kind: "profile" } });
    expect(profile.payload).toEqual({ email: "sam@example.com", properties: { "Customer Agent Open Escalation": false } });
  });

  it("does not let one shop open another shop's conversation", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    const shopper = await db().shopper.create({ data: { shopId: otherShop.id, anonymousId: randomUUID() } });
    const conversation = await db().conversation.create({ data: { shopId: otherShop.id, shopperId: shopper.id, channel: "web_chat" } });

    const response = await send(await adminDocumentRequest(`/app/conversations/${conversation.id}`, shop));
    expect(response.status).toBe(404);
  });
});
