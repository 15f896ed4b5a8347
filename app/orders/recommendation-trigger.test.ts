import "../../test/support/engine-database";
import { ownFakeKlaviyo as fake } from "../../test/support/own-klaviyo";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordRecommendation } from "../conversations/conversations.server";
import { startConversation } from "../conversations/shopper-messages.server";
import { db } from "../db.server";
import { startBackgroundWork, type BackgroundWork } from "../jobs/background.server";
import { jobQueue, QUEUES } from "../jobs/queue.server";
import { updateShopSettings } from "../settings/settings.server";
import { eventually } from "../../test/support/eventually";
import { connectedShop } from "../../test/support/klaviyo";
import { recordOrder } from "./orders.server";
import { checkRecommendation, LATE_ORDER_GRACE_MS } from "./recommendation-outcome.server";
import { CONSENT_GIVEN } from "../../test/support/constants";

/**
 * The whole trigger as production runs it, in a database of its own: the recommendation's check is a pg-boss job
 * worked by this process's background work, and its delivery engine sends to this file's fake Klaviyo. "The
 * window passes" is simulated by moving the recommendation back in time and making its job due, never by waiting.
 */
let background: BackgroundWork;

beforeAll(async () => {
  background = await startBackgroundWork();
});
afterAll(async () => {
  await background.stop();
});

const TRAIL_RUNNER = { id: "632910392", title: "Trail Runner", sku: "TR-9", url: "https://shop.example/products/trail-runner", imageUrl: null, price: "120.00" };
const HOUR_MS = 3_600_000;

async function recommendedShopper(email: string, windowHours = 24) {
  const { shop, accountId } = await connectedShop(fake);
  await updateShopSettings(shop.id, { recommendationWindowHours: windowHours });
  const anonymousId = randomUUID();
  const conversation = await startConversation({ shopId: shop.id, channel: "web_chat", shopper: { anonymousId, email, consent: CONSENT_GIVEN }, firstMessage: "Trail shoes?" });
  const recommendation = await recordRecommendation({ shopId: shop.id, conversationId: conversation.id, products: [TRAIL_RUNNER] });
  // The recommendation and its profile update reach Klaviyo first, as they would in the hours before the window ends.
  await eventually(async () => (await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "pending" } })) === 0);
  return { shop, accountId, conversation, recommendation, anonymousId };
}

/** Moves the recommendation (and its conversation) `hours` into the past and makes its check due now. */
async function windowPasses(recommendationId: string, hours: number) {
  const recommendation = await db().productRecommendation.findUniqueOrThrow({ where: { id: recommendationId } });
  const shiftMs = hours * HOUR_MS + LATE_ORDER_GRACE_MS + 60_000;
  const recommendedAt = new Date(recommendation.recommendedAt.getTime() - shiftMs);
  await db().productRecommendation.update({ where: { id: recommendationId }, data: { recommendedAt } });
  const conversation = await db().conversation.findUniqueOrThrow({ where: { id: recommendation.conversationId } });
  await db().conversation.update({ where: { id: conversation.id }, data: { startedAt: new Date(conversation.startedAt.getTime() - shiftMs) } });
  const boss = await jobQueue();
  await boss.update(QUEUES.recommendationCheck, undefined, { singletonKey: recommendationId, startAfter: new Date() });
  return recommendedAt;
}

function orderPayload(email: string, placedAt: Date) {
  const at = placedAt.toISOString();
  return {
    id: 6_100_000_000 + Math.floor(Math.random() * 1_000_000),
    name: "#2001",
    order_number: 2001,
    email,
    customer: null,
    total_price: "120.00",
    currency: "USD",
    created_at: at,
    processed_at: at,
    updated_at: at,
    line_items: [{ product_id: 632910392, variant_id: 1, sku: "TR-9", title: "Trail Runner", quantity: 1, price: "120.00" }],
  };
}

const metricEvents = (accountId: string, metric: string) => fake.events(accountId).filter((event) => event.metric === metric);
const property = (accountId: string, name: string) => fake.profiles(accountId)[0]?.properties[name];

describe("Recommendation Not Purchased", () => {
  it("fires once when the window passes without an order, and sets the profile property false", async () => {
    const { shop, accountId, conversation, recommendation, anonymousId } = await recommendedShopper("ada@example.com", 48);
    expect(recommendation.recommendedAt).toBeInstanceOf(Date);
    const recommendedAt = await windowPasses(recommendation.id, 48);

    const [event] = await eventually(async () => {
      const sent = metricEvents(accountId, "Recommendation Not Purchased");
      return sent.length === 1 ? sent : null;
    });
    expect(event!.profile).toEqual({ email: "ada@example.com", anonymous_id: anonymousId });
    expect(event!.properties).toEqual({
      "Conversation ID": conversation.id,
      Channel: "web chat",
      "Product IDs": ["632910392"],
      SKUs: ["TR-9"],
      Products: [{ id: "632910392", title: "Trail Runner", sku: "TR-9", url: TRAIL_RUNNER.url, image_url: null, price: "120.00" }],
      "Recommended At": recommendedAt.toISOString(),
      "Window Hours": 48,
    });
    expect(event!.time).toBe(new Date(recommendedAt.getTime() + 48 * HOUR_MS).toISOString());
    await eventually(async () => (await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "pending" } })) === 0);
    expect(property(accountId, "Customer Agent Ordered Since Recommendation")).toBe(false);
    expect(property(accountId, "Customer Agent Last Recommendation At")).toEqual(expect.any(String));

    // A retried or duplicated check emits nothing more.
    expect(await checkRecommendation(recommendation.id)).toBe("already_settled");
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id, metric: "Recommendation Not Purchased" } })).toBe(1);
    expect(await db().productRecommendation.findUniqueOrThrow({ where: { id: recommendation.id } })).toMatchObject({ outcome: "not_purchased", windowHours: 48 });
  });

  it("does not fire when an order placed inside the window arrives late and twice; the property turns true and the order is attributed", async () => {
    const { shop, accountId, conversation, recommendation } = await recommendedShopper("bo@example.com");
    const stored = await db().productRecommendation.findUniqueOrThrow({ where: { id: recommendation.id } });
    const shiftMs = 24 * HOUR_MS + LATE_ORDER_GRACE_MS + 60_000;
    const placedAt = new Date(stored.recommendedAt.getTime() - shiftMs + 2 * HOUR_MS);

    // The window is over by the time Shopify delivers the order, which it then delivers again.
    await db().productRecommendation.update({ where: { id: recommendation.id }, data: { recommendedAt: new Date(stored.recommendedAt.getTime() - shiftMs) } });
    await db().conversation.update({ where: { id: conversation.id }, data: { startedAt: new Date(conversation.startedAt.getTime() - shiftMs) } });
    const payload = orderPayload("Bo@Example.com", placedAt);
    await recordOrder(shop.domain, payload);
    await recordOrder(shop.domain, payload);
    const boss = await jobQueue();
    await boss.update(QUEUES.recommendationCheck, undefined, { singletonKey: recommendation.id, startAfter: new Date() });

    await eventually(async () => (await db().productRecommendation.findUniqueOrThrow({ where: { id: recommendation.id } })).outcome === "purchased");
    await eventually(async () => (await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "pending" } })) === 0);
    expect(await checkRecommendation(recommendation.id)).toBe("already_settled");
    expect(metricEvents(accountId, "Recommendation Not Purchased")).toHaveLength(0);
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id, metric: "Recommendation Not Purchased" } })).toBe(0);
    expect(property(accountId, "Customer Agent Ordered Since Recommendation")).toBe(true);
    expect(property(accountId, "Customer Agent Last Order At")).toBe(placedAt.toISOString());

    const orders = await db().order.findMany({ where: { shopId: shop.id } });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ conversationId: conversation.id, containsRecommendedProduct: true, linkedBy: "email" });
  });

  it("still fires when the only order came after the window closed", async () => {
    const { shop, accountId, recommendation } = await recommendedShopper("cy@example.com");
    const recommendedAt = await windowPasses(recommendation.id, 24);
    await recordOrder(shop.domain, orderPayload("cy@example.com", new Date(recommendedAt.getTime() + 24 * HOUR_MS + 60_000)));

    await eventually(async () => metricEvents(accountId, "Recommendation Not Purchased").length === 1);
    expect((await db().productRecommendation.findUniqueOrThrow({ where: { id: recommendation.id } })).outcome).toBe("not_purchased");
  });
});
