import type { Prisma } from "@prisma/client";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAi, type FakeOpenAi } from "../../fakes/openai/server";
import { encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { stopJobQueue } from "../jobs/queue.server";
import { runAgentTurn } from "./engine.server";
import { updateAgentSettings } from "./settings.server";
import { fakeTools, product } from "./skills/test-tools";

/** What the merchant writes on the Guidance page reaches the agent's replies, with either brain. */
let openai: FakeOpenAi;
beforeAll(async () => {
  openai = await startFakeOpenAi();
});
afterAll(async () => {
  await openai.close();
  await stopJobQueue();
});

const CATALOG = [product({ title: "Alpine Rain Shell", price: "189.00" })];

async function conversationFor(agent: Record<string, unknown> = {}) {
  const shop = await db().shop.create({ data: { domain: `persona-${randomUUID()}.myshopify.com`, settings: { agent } as Prisma.InputJsonObject } });
  const shopper = await db().shopper.create({ data: { shopId: shop.id, anonymousId: randomUUID() } });
  const conversation = await db().conversation.create({ data: { shopId: shop.id, shopperId: shopper.id, channel: "web_chat" } });
  return { shop, conversation };
}

async function turn(conversationId: string, body: string) {
  const { tools, productQueries } = fakeTools(CATALOG);
  const message = await db().message.create({ data: { conversationId, author: "shopper", body } });
  const result = await runAgentTurn(message.id, { tools });
  return { result, productQueries, reply: await db().message.findUnique({ where: { replyToId: message.id } }) };
}

describe("the merchant's guidance in the agent's replies", () => {
  it("greets with the merchant's greeting, saved through the settings module", async () => {
    const { shop, conversation } = await conversationFor();
    await updateAgentSettings(shop.id, { name: "Juniper", greeting: "Hey there, I'm Juniper from Demo Outfitters. How can I help?" });
    const { reply } = await turn(conversation.id, "Hello!");
    expect(reply!.body).toBe("Hey there, I'm Juniper from Demo Outfitters. How can I help?");
  });

  it("never uses a skill the merchant switched off", async () => {
    const { shop, conversation } = await conversationFor();
    await updateAgentSettings(shop.id, { disabledSkills: ["product-recommendations"] });
    const { reply, productQueries } = await turn(conversation.id, "Do you have a rain jacket?");
    expect(productQueries).toEqual([]);
    expect(reply!.skill).not.toBe("product-recommendations");
    expect(reply!.parts).not.toEqual(expect.arrayContaining([expect.objectContaining({ type: "product" })]));
  });

  it("gives the language model the agent's name, brand, tone and style rules, and only the skills left on", async () => {
    const { conversation } = await conversationFor({
      llm: { baseUrl: openai.baseUrl, model: "gpt-test", encryptedApiKey: encryptSecret(openai.apiKey) },
      name: "Juniper",
      brandSummary: "Outdoor gear for wet weekends.",
      tone: "playful",
      styleRules: ["Never use exclamation marks", "Call the shopper 'friend'"],
      disabledSkills: ["order-status"],
    });
    const before = openai.requests.length;
    openai.script({ content: "Hello friend, what are you after today?" });
    await turn(conversation.id, "I am looking for something for the rain");
    const request = openai.requests[before]!;
    const system = request.messages[0]!.content!;
    expect(system).toContain("Your name is Juniper.");
    expect(system).toContain("About the brand: Outdoor gear for wet weekends.");
    expect(system).toContain("playful");
    expect(system).toContain("- Never use exclamation marks");
    expect(system).toContain("- Call the shopper 'friend'");
    expect(request.tools!.map((tool) => tool.function.name).sort()).toEqual(["handoff", "product-recommendations", "store-knowledge"]);
  });

  it("uses a custom tone as the merchant wrote it", async () => {
    const { conversation } = await conversationFor({
      llm: { baseUrl: openai.baseUrl, model: "gpt-test", encryptedApiKey: encryptSecret(openai.apiKey) },
      tone: "custom",
      customTone: "Like a calm mountain guide.",
    });
    const before = openai.requests.length;
    openai.script({ content: "Take your time. What do you need for the trail?" });
    await turn(conversation.id, "I want to buy something for hiking");
    expect(openai.requests[before]!.messages[0]!.content).toContain("Tone: Like a calm mountain guide.");
  });
});
