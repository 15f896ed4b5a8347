import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { adminDocumentRequest, adminFetchRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

/** A form post from the embedded admin, as Remix's <Form method="post"> sends it. */
async function post(path: string, shop: TestShop, fields: Array<[string, string]>) {
  return send(
    await adminFetchRequest(path, shop, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
}

async function settingsOf(shop: TestShop) {
  return (await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings;
}

describe("admin settings pages over HTTP", () => {
  it("answers 400 naming each bad field of a guidance section, and saves nothing", async () => {
    const shop = await createTestShop();
    const before = await settingsOf(shop);
    const response = await post("/app/guidance", shop, [
      ["intent", "timing"],
      ["quietResolutionMinutes", "0"],
      ["recommendationWindowHours", "abc"],
      ["attributionWindowDays", "7"],
    ]);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Enter a number from 1 to 10080.");
    expect(html).toContain("Enter a whole number.");
    expect(await settingsOf(shop)).toEqual(before);
  });

  it("refuses a custom tone without a description, and an LLM brain without a key, saving nothing", async () => {
    const shop = await createTestShop();
    const voice = await post("/app/guidance", shop, [["intent", "voice"], ["tone", "custom"], ["customTone", ""], ["styleRules", "Be brief"]]);
    expect(voice.status).toBe(400);
    expect(await voice.text()).toContain("Describe the tone, or choose one of the others.");
    const brain = await post("/app/guidance", shop, [["intent", "brain"], ["brain", "llm"], ["baseUrl", "http://127.0.0.1:9/v1"], ["model", "gpt-test"], ["apiKey", ""]]);
    expect(brain.status).toBe(400);
    expect(await brain.text()).toContain("Enter the API key for this endpoint.");
    expect(await settingsOf(shop)).toEqual({});
  });

  it("saves the tone and style rules, and stores the LLM key encrypted without ever sending it back", async () => {
    const shop = await createTestShop();
    expect((await post("/app/guidance", shop, [["intent", "voice"], ["tone", "professional"], ["styleRules", "Never use emoji"], ["styleRules", ""]])).status).toBe(200);
    expect((await post("/app/guidance", shop, [["intent", "brain"], ["brain", "llm"], ["baseUrl", "http://127.0.0.1:9/v1"], ["model", "gpt-test"], ["apiKey", "sk-secret-never-shown"]])).status).toBe(200);
    const agent = (await settingsOf(shop)) as { agent: Record<string, unknown> };
    expect(agent.agent).toMatchObject({ tone: "professional", styleRules: ["Never use emoji"], brain: "llm", llm: { baseUrl: "http://127.0.0.1:9/v1", model: "gpt-test" } });
    expect(JSON.stringify(agent)).not.toContain("sk-secret-never-shown");
    const page = await (await send(await adminDocumentRequest("/app/guidance", shop))).text();
    expect(page).not.toContain("sk-secret-never-shown");
    expect(page).not.toContain((agent.agent.llm as { encryptedApiKey: string }).encryptedApiKey);
    expect(page).toContain("A key is saved.");
  });

  it("refuses a bad widget colour with 400 and publishes nothing", async () => {
    const shop = await createTestShop();
    const response = await post("/app/guidance", shop, [["intent", "widget"], ["accentColor", "green"], ["position", "left"], ["launcherLabel", "Ask us"]]);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter a colour as #RRGGBB");
    expect(await settingsOf(shop)).toEqual({});
  });

  it("refuses a rule without a name or phrases, and an FAQ entry without an answer, with 400 and nothing stored", async () => {
    const shop = await createTestShop();
    await send(await adminDocumentRequest("/app/rules", shop));
    const rulesBefore = await db().escalationRule.count({ where: { shopId: shop.id } });
    const rule = await post("/app/rules", shop, [["intent", "create"], ["section", "new"], ["name", ""], ["kind", "phrases"], ["phrases", " "]]);
    expect(rule.status).toBe(400);
    const html = await rule.text();
    expect(html).toContain("Fill this in.");
    expect(html).toContain("Enter at least one phrase.");
    expect(await db().escalationRule.count({ where: { shopId: shop.id } })).toBe(rulesBefore);

    const faq = await post("/app/knowledge", shop, [["intent", "faq-create"], ["section", "new-faq"], ["question", "Do you ship to Canada?"], ["answer", ""], ["enabled", "on"]]);
    expect(faq.status).toBe(400);
    expect(await db().faqEntry.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("adds a rule at the end, moves it up, tests a phrase against it, and keeps to 20 rules", async () => {
    const shop = await createTestShop();
    await send(await adminDocumentRequest("/app/rules", shop));
    expect((await post("/app/rules", shop, [["intent", "create"], ["name", "Engraving request"], ["kind", "phrases"], ["phrases", "engraving\ngift wrap"]])).status).toBe(200);
    const rules = await db().escalationRule.findMany({ where: { shopId: shop.id }, orderBy: { position: "asc" } });
    const added = rules.at(-1)!;
    expect(added).toMatchObject({ name: "Engraving request", condition: { kind: "phrases", phrases: ["engraving", "gift wrap"] } });
    expect((await post("/app/rules", shop, [["intent", "move"], ["id", added.id], ["direction", "up"]])).status).toBe(200);
    const moved = await db().escalationRule.findMany({ where: { shopId: shop.id }, orderBy: { position: "asc" } });
    expect(moved.at(-2)!.id).toBe(added.id);

    const tested = await post("/app/rules", shop, [["intent", "test"], ["phrase", "Could you do a gift wrap for the flask?"]]);
    expect(tested.status).toBe(200);
    const html = await tested.text();
    expect(html).toContain("Rule 9, “Engraving request”, fires.");
    expect(html).toContain("the message contains “gift wrap”");

    for (let index = moved.length; index < 20; index++) {
      expect((await post("/app/rules", shop, [["intent", "create"], ["name", `Rule ${index}`], ["kind", "phrases"], ["phrases", `word${index}`]])).status).toBe(200);
    }
    const over = await post("/app/rules", shop, [["intent", "create"], ["name", "One too many"], ["kind", "phrases"], ["phrases", "extra"]]);
    expect(over.status).toBe(400);
    expect(await db().escalationRule.count({ where: { shopId: shop.id } })).toBe(20);
  });
});
