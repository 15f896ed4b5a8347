import "../../test/support/engine-database";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoCatalog } from "../../fakes/shopify/catalog";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { CONSENT_GIVEN, DEMO_TEST_SHOPS } from "../../test/support/constants";
import { eventually } from "../../test/support/eventually";
import { createDemoShop, type TestShop } from "../../test/support/shopify";
import { syncCatalog } from "../catalog/sync.server";
import { addStaffReply } from "../conversations/conversations.server";
import { readShopperConversation } from "../conversations/shopper-messages.server";
import { encryptSecret } from "../crypto.server";
import { db, pool } from "../db.server";
import { stopJobQueue } from "../jobs/queue.server";
import { startKlaviyoDelivery, type KlaviyoDelivery } from "../klaviyo/delivery.server";
import { syncPolicies } from "../knowledge/policies.server";
import { syncRecentOrders } from "../orders/sync.server";
import { findInstalledShop, type InstalledShop } from "../shops/shops.server";
import { answerShopperMessage } from "./shopper-turns.server";

/**
 * Whole conversations on the demo shop through the same entry point the storefront chat uses (message stored,
 * built-in agent turn inline), with this file's own Klaviyo fake and delivery engine, so what reaches Klaviyo is
 * read off the far side of the wire.
 */
const catalog = buildDemoCatalog(DEMO_TEST_SHOPS.conversationFlow.domain);
let fake: FakeKlaviyo;
let engine: KlaviyoDelivery;
let shop: TestShop;
let installed: InstalledShop;
let accountId: string;

beforeAll(async () => {
  fake = await startFakeKlaviyo();
  shop = await createDemoShop(DEMO_TEST_SHOPS.conversationFlow);
  await syncCatalog(shop.domain);
  await syncRecentOrders(shop.domain);
  await syncPolicies(shop.domain);
  const apiKey = `pk_${randomBytes(12).toString("hex")}`;
  accountId = fake.addAccount({ apiKey, accountId: `ACC${randomBytes(4).toString("hex")}` });
  await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] } });
  installed = (await findInstalledShop(shop.domain))!;
  engine = await startKlaviyoDelivery({ pollIntervalMs: 50, klaviyoApiUrl: fake.url });
});
afterAll(async () => {
  await engine?.stop();
  await stopJobQueue();
  await fake?.close();
});

async function say(anonymousId: string, body: string, conversationId?: string, email?: string) {
  const received = await answerShopperMessage(installed, {
    shopId: shop.id,
    channel: "web_chat",
    shopper: { anonymousId, consent: CONSENT_GIVEN, ...(email ? { email } : {}) },
    body,
    ...(conversationId ? { conversationId } : {}),
  });
  const view = await readShopperConversation(shop.id, received.conversationId, anonymousId);
  return { conversationId: received.conversationId, view, reply: view.messages.at(-1)! };
}

function eventsOf(conversationId: string) {
  return fake.events(accountId).filter((event) => event.properties["Conversation ID"] === conversationId);
}

describe("a whole conversation with the agent", () => {
  it("recommends products as cards, resolves when the shopper says thanks, and Klaviyo hears each event once", async () => {
    const anonymousId = randomUUID();
    const first = await say(anonymousId, "I'm looking for a rain jacket under $250");
    expect(first.reply.author).toBe("agent");
    const cards = first.reply.parts.filter((part) => (part as { type: string }).type === "product") as Array<{ title: string; price: string }>;
    expect(cards.length).toBeGreaterThan(0);
    // The text stands on its own (email and SMS send only text): it names each product with its price.
    for (const card of cards) expect(first.reply.body).toContain(card.title);
    expect(first.reply.body).toMatch(/\$\d+\.\d\d/);

    // The turn's backup job was committed with the message, so a crash mid-turn still gets it answered.
    const { rows } = await pool().query(`SELECT 1 FROM pgboss.job WHERE name = 'agent.turn' AND data->>'messageId' = $1`, [first.view.messages.at(-2)!.id]);
    expect(rows).toHaveLength(1);

    const thanks = await say(anonymousId, "thanks, that's all", first.conversationId);
    expect(thanks.view.status).toBe("resolved");

    const conversation = await db().conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(conversation).toMatchObject({ status: "resolved", skill: "product-recommendations" });
    expect(conversation.tags).toEqual(expect.arrayContaining(["product:jackets"]));

    const delivered = await eventually(async () => {
      const events = eventsOf(first.conversationId);
      return events.length >= 3 ? events : null;
    });
    expect(delivered.map((event) => event.metric).sort()).toEqual(["Conversation Resolved", "Received Product Recommendation", "Started Conversation"]);
    const resolved = delivered.find((event) => event.metric === "Conversation Resolved")!;
    expect(resolved.properties).toMatchObject({ Skill: "product-recommendations", Channel: expect.any(String) });
    expect(resolved.properties["Resolution Time Seconds"]).toEqual(expect.any(Number));
    expect(resolved.properties.Tags).toEqual(expect.arrayContaining(["product:jackets"]));
  });

  it("escalates 'I want a refund, let me talk to someone' with the rule's name, and then stays quiet for staff", async () => {
    const anonymousId = randomUUID();
    const asked = await say(anonymousId, "I want a refund, let me talk to someone");
    expect(asked.view.status).toBe("escalated");
    const conversation = await db().conversation.findUniqueOrThrow({ where: { id: asked.conversationId } });
    expect(conversation.escalationReason).toBe("Refund request");

    // Only staff answer an escalated conversation; the shopper sees the team's reply on the next poll.
    const more = await say(anonymousId, "hello? anyone?", asked.conversationId);
    expect(more.reply).toMatchObject({ author: "shopper" });
    expect(more.view.agentTyping).toBe(false);
    await addStaffReply(shop.id, asked.conversationId, "Hi, this is Sam from the team. I've started your refund.");
    const poll = await readShopperConversation(shop.id, asked.conversationId, anonymousId);
    expect(poll.messages.at(-1)).toMatchObject({ author: "staff", body: "Hi, this is Sam from the team. I've started your refund." });

    const escalated = await eventually(async () => eventsOf(asked.conversationId).find((event) => event.metric === "Conversation Escalated"));
    expect(escalated.properties["Escalation Reason"]).toBe("Refund request");
    await eventually(async () => (eventsOf(asked.conversationId).length >= 2 ? true : null));
    expect(eventsOf(asked.conversationId).map((event) => event.metric).sort()).toEqual(["Conversation Escalated", "Started Conversation"]);
  });

  it("shows an order to the shopper who proves it with the order's email, and nothing to a wrong email", async () => {
    const order = [...catalog.orders].reverse().find((candidate) => candidate.fulfillments.length > 0 && candidate.email)!;
    const number = order.name.replace("#", "");

    const proven = await say(randomUUID(), `Where is my order ${order.name}? My email is ${order.email}`);
    expect(proven.reply.body).toContain(order.name);
    expect(proven.reply.parts).toEqual(expect.arrayContaining([expect.objectContaining({ type: "order" })]));

    const stranger = await say(randomUUID(), `Where is my order ${number}? My email is someone.else@example.com`);
    expect(stranger.reply.body).not.toContain(order.name);
    for (const item of order.lineItems) expect(stranger.reply.body).not.toContain(item.title);
    expect(stranger.reply.parts).not.toEqual(expect.arrayContaining([expect.objectContaining({ type: "order" })]));
  });
});
