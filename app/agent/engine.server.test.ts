import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { jobIdFor, stopJobQueue } from "../jobs/queue.server";
import { runAgentTurn } from "./engine.server";
import { runQuietResolution } from "./resolution.server";
import { fakeTools, product } from "./skills/test-tools";
import type { AgentTools } from "./skills/tools";

afterAll(() => stopJobQueue());

const CATALOG = [
  product({ title: "Alpine Rain Shell", price: "189.00", productType: "Jackets" }),
  product({ title: "Coastal Rain Shell", price: "149.00", productType: "Jackets" }),
];

async function newConversation(startedAt = new Date()) {
  const shop = await db().shop.create({ data: { domain: `agent-${randomUUID()}.myshopify.com` } });
  const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID(), email: "sam@example.com", analyticsConsent: true, marketingConsent: true } });
  const conversation = await db().conversation.create({
    data: { shopId: shop.id, shopperId: shopper.id, channel: "web_chat", startedAt, lastMessageAt: startedAt },
  });
  return { shop, shopper, conversation };
}

/** What the storefront path does before the turn: store the shopper's message. */
async function shopperSays(conversationId: string, body: string) {
  return db().message.create({ data: { conversationId, author: "shopper", body } });
}

async function events(shopId: string) {
  return db().klaviyoEvent.findMany({ where: { shopId, metric: { not: "Profile properties" } }, orderBy: { createdAt: "asc" } });
}

describe("agent turn", () => {
  it("recommends products as cards, then resolves when the shopper says thanks", async () => {
    const { tools } = fakeTools(CATALOG);
    const { shop, conversation } = await newConversation(new Date(Date.now() - 120_000));
    const ask = await shopperSays(conversation.id, "I'm looking for a rain shell");
    const first = await runAgentTurn(ask.id, { tools });
    expect(first).toMatchObject({ status: "replied", outcome: "answered", skill: "product-recommendations", intent: "product-search" });

    const reply = await db().message.findUniqueOrThrow({ where: { replyToId: ask.id } });
    expect(reply.body).toContain("Alpine Rain Shell: $189.00 https://demo.example/products/alpine-rain-shell");
    expect(reply.parts).toEqual(expect.arrayContaining([expect.objectContaining({ type: "product", title: "Coastal Rain Shell", price: "149.00" })]));
    expect(reply.tags).toEqual(expect.arrayContaining(["products", "product:jackets"]));

    const thanks = await shopperSays(conversation.id, "thanks, that's all");
    expect(await runAgentTurn(thanks.id, { tools })).toMatchObject({ status: "replied", outcome: "confirmed" });

    const after = await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(after).toMatchObject({ status: "resolved", skill: "product-recommendations" });
    expect(after.tags).toEqual(expect.arrayContaining(["products", "product:jackets"]));
    const metrics = (await events(shop.id)).map((event) => event.metric);
    expect(metrics).toEqual(["Received Product Recommendation", "Conversation Resolved"]);
    const resolved = (await events(shop.id))[1]!.payload as { properties: Record<string, unknown> };
    expect(resolved.properties).toMatchObject({ Skill: "product-recommendations", Tags: expect.arrayContaining(["product:jackets"]) });
    expect(resolved.properties["Resolution Time Seconds"]).toBeGreaterThanOrEqual(120);
  });

  it("escalates 'I want a refund, let me talk to someone' by the refund rule, tells the shopper once, then stays quiet", async () => {
    const { tools } = fakeTools(CATALOG);
    const { shop, conversation } = await newConversation();
    const ask = await shopperSays(conversation.id, "I want a refund, let me talk to someone");
    expect(await runAgentTurn(ask.id, { tools })).toMatchObject({ status: "replied", outcome: "escalated", escalationReason: "Refund request" });
    const notice = await db().message.findUniqueOrThrow({ where: { replyToId: ask.id } });
    expect(notice.body).toMatch(/member of our team/);

    const again = await shopperSays(conversation.id, "hello? where is my order?");
    expect(await runAgentTurn(again.id, { tools })).toEqual({ status: "skipped", reason: "escalated" });
    expect(await db().message.count({ where: { conversationId: conversation.id, author: "agent" } })).toBe(1);
    const escalated = (await events(shop.id)).filter((event) => event.metric === "Conversation Escalated");
    expect(escalated).toHaveLength(1);
    expect((escalated[0]!.payload as { properties: Record<string, unknown> }).properties).toMatchObject({ "Escalation Reason": "Refund request" });
  });

  it("escalates a plain request for a person as shopper-requested, with the skill active at that moment", async () => {
    const { tools } = fakeTools(CATALOG);
    const { shop, conversation } = await newConversation();
    await runAgentTurn((await shopperSays(conversation.id, "do you have rain shells?")).id, { tools });
    const result = await runAgentTurn((await shopperSays(conversation.id, "Je voudrais parler à une personne")).id, { tools });
    expect(result).toMatchObject({ outcome: "escalated", escalationReason: "shopper-requested" });
    const escalated = (await events(shop.id)).find((event) => event.metric === "Conversation Escalated")!;
    expect((escalated.payload as { properties: Record<string, unknown> }).properties).toMatchObject({ Skill: "product-recommendations" });
    const notice = await db().message.findFirstOrThrow({ where: { conversationId: conversation.id, skill: "handoff" } });
    expect(notice.body).toMatch(/membre de notre équipe/);
  });

  it("replies in the shopper's language and refines the previous results ('moins cher')", async () => {
    const { tools, productQueries } = fakeTools(CATALOG);
    const { conversation } = await newConversation();
    await runAgentTurn((await shopperSays(conversation.id, "Je cherche un rain shell")).id, { tools });
    await runAgentTurn((await shopperSays(conversation.id, "quelque chose de moins cher ?")).id, { tools });
    expect(productQueries.at(-1)).toMatchObject({ text: "rain shell", cheaperThan: 149 });
    const replies = await db().message.findMany({ where: { conversationId: conversation.id, author: "agent" }, orderBy: { createdAt: "asc" } });
    expect(replies[0]!.body).toMatch(/^Voici quelques produits/);
    expect(replies[0]!.body).toContain("189,00");
  });

  it("never loses the shopper's message nor answers twice when a turn crashes or runs twice", async () => {
    const { tools } = fakeTools(CATALOG);
    const { conversation } = await newConversation();
    const ask = await shopperSays(conversation.id, "I'm looking for a rain shell");
    const crashing: AgentTools = { ...tools, searchProducts: async () => { throw new Error("worker died mid-turn"); } };
    await expect(runAgentTurn(ask.id, { tools: crashing })).rejects.toThrow("worker died mid-turn");
    expect(await db().message.findUnique({ where: { id: ask.id } })).not.toBeNull();
    expect(await db().message.count({ where: { replyToId: ask.id } })).toBe(0);

    // The job's retry, the inline turn and a duplicate delivery all race: one reply.
    const results = await Promise.all([runAgentTurn(ask.id, { tools }), runAgentTurn(ask.id, { tools }), runAgentTurn(ask.id, { tools })]);
    expect(results.filter((result) => result.status === "replied")).toHaveLength(1);
    expect(await db().message.count({ where: { replyToId: ask.id } })).toBe(1);
    expect(await db().productRecommendation.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await runAgentTurn(ask.id, { tools })).toEqual({ status: "skipped", reason: "already-answered" });
  });

  it("hands off after the agent fails twice in a row (the default 'Agent could not help' rule)", async () => {
    const { tools } = fakeTools(CATALOG);
    const { conversation } = await newConversation();
    expect(await runAgentTurn((await shopperSays(conversation.id, "what's the weather today?")).id, { tools })).toMatchObject({ outcome: "failed" });
    expect(await runAgentTurn((await shopperSays(conversation.id, "tell me a joke")).id, { tools })).toMatchObject({
      outcome: "escalated",
      escalationReason: "Agent could not help",
    });
  });

  it("resolves after the quiet time following a successful answer, once, and not after the shopper wrote again", async () => {
    const { tools } = fakeTools(CATALOG);
    const { shop, conversation } = await newConversation();
    const ask = await shopperSays(conversation.id, "rain shell please");
    const turn = await runAgentTurn(ask.id, { tools });
    if (turn.status !== "replied") throw new Error("expected a reply");
    const [job] = await db().$queryRaw<Array<{ start_after: Date }>>`SELECT start_after FROM pgboss.job WHERE id = ${jobIdFor("quiet-resolution", turn.replyId)}::uuid`;
    expect(job!.start_after.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);

    expect(await runQuietResolution({ shopId: shop.id, conversationId: conversation.id, answerId: turn.replyId })).toBe(true);
    expect(await runQuietResolution({ shopId: shop.id, conversationId: conversation.id, answerId: turn.replyId })).toBe(false);
    expect((await events(shop.id)).filter((event) => event.metric === "Conversation Resolved")).toHaveLength(1);

    const other = await newConversation();
    const first = await runAgentTurn((await shopperSays(other.conversation.id, "rain shell please")).id, { tools });
    await shopperSays(other.conversation.id, "hmm, let me think");
    if (first.status !== "replied") throw new Error("expected a reply");
    expect(await runQuietResolution({ shopId: other.shop.id, conversationId: other.conversation.id, answerId: first.replyId })).toBe(false);
  });
});
