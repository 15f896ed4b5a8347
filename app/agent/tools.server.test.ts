import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoCatalog } from "../../fakes/shopify/catalog";
import { DEMO_FAQ } from "../../scripts/demo-faq";
import { DEMO_TEST_SHOPS } from "../../test/support/constants";
import { createDemoShop, type TestShop } from "../../test/support/shopify";
import { syncCatalog } from "../catalog/sync.server";
import { db } from "../db.server";
import { stopJobQueue } from "../jobs/queue.server";
import { createFaqEntry } from "../knowledge/faq.server";
import { syncPolicies } from "../knowledge/policies.server";
import { syncRecentOrders } from "../orders/sync.server";
import { runAgentTurn } from "./engine.server";
import { agentTools } from "./tools.server";

const catalog = buildDemoCatalog(DEMO_TEST_SHOPS.agentTools.domain);
const order = [...catalog.orders].reverse().find((candidate) => candidate.fulfillments.length > 0)!;
const stranger = catalog.orders.find((candidate) => candidate.email !== order.email)!;
let shop: TestShop;

beforeAll(async () => {
  shop = await createDemoShop(DEMO_TEST_SHOPS.agentTools);
  await syncCatalog(shop.domain);
  await syncRecentOrders(shop.domain);
  await syncPolicies(shop.domain);
  for (const entry of DEMO_FAQ) await createFaqEntry(shop.id, entry);
});
afterAll(() => stopJobQueue());

/** A conversation on the demo shop and what the agent answered to each of the shopper's messages. */
async function chat(...messages: string[]) {
  const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID() } });
  const conversation = await db().conversation.create({ data: { shopId: shop.id, shopperId: shopper.id, channel: "web_chat" } });
  const replies = [];
  for (const body of messages) {
    const message = await db().message.create({ data: { conversationId: conversation.id, author: "shopper", body } });
    await runAgentTurn(message.id, { tools: agentTools });
    replies.push(await db().message.findUniqueOrThrow({ where: { replyToId: message.id } }));
  }
  return replies;
}

describe("the agent with its real tools on the demo shop", () => {
  it("recommends products from the catalog mirror with their database prices", async () => {
    const [reply] = await chat("I'm looking for a rain jacket under $250");
    const cards = (reply!.parts as Array<{ type: string; productId: string; price: string }>).filter((part) => part.type === "product");
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      const product = await db().product.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: card.productId }, include: { variants: true } });
      expect(product.productType).toBe("Jackets");
      expect(Number(card.price)).toBeLessThanOrEqual(250);
      expect(reply!.body).toContain(product.title);
    }
  });

  it("quotes the store's refund policy and links its page", async () => {
    const [reply] = await chat("How long do refunds take?");
    expect(reply!.skill).toBe("store-knowledge");
    expect(reply!.body).toMatch(/^From our Refund policy: “We will notify you once we've received and inspected your return.*refunded to your original payment method within 10 business days/);
    expect(reply!.body).toMatch(/More: http:\/\/localhost:\d+\/policies\/refund-policy/);
  });

  it("shows an order to the shopper who gives its number and email, and nothing to one with a wrong email", async () => {
    const [, shown] = await chat("where is my order?", `${order.name}, ${order.email}`);
    expect(shown!.body).toContain(`Order ${order.name}`);
    expect(shown!.body).toContain(order.fulfillments[0]!.trackingInfo[0]!.number);

    const [hidden] = await chat(`order ${order.name} email ${stranger.email}`);
    expect(hidden!.body).toMatch(/couldn't find an order matching those details/);
    expect(hidden!.body).not.toContain(order.fulfillments[0]!.trackingInfo[0]!.number);
    expect((hidden!.parts as Array<{ type: string }>).some((part) => part.type === "order")).toBe(false);
  });
});
