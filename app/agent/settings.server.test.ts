import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { agentSettings, storedAgentSettings, updateAgentSettings } from "./settings.server";

async function shopWith(settings: object) {
  return db().shop.create({ data: { domain: `agent-settings-${randomUUID()}.myshopify.com`, settings } });
}

describe("agent settings", () => {
  it("keeps every valid key when one stored value no longer validates", () => {
    const stored = storedAgentSettings({ agent: { name: "Juniper", tone: "grumpy", styleRules: ["Be brief"], disabledSkills: ["order-status"] } });
    expect(stored).toEqual({ name: "Juniper", styleRules: ["Be brief"], disabledSkills: ["order-status"] });
    expect(agentSettings({ agent: stored }).persona).toMatchObject({ name: "Juniper", tone: "friendly", enabledSkills: ["product-recommendations", "store-knowledge", "handoff"] });
  });

  it("merges changes into the stored agent settings, drops the keys asked, and leaves other settings alone", async () => {
    const shop = await shopWith({ attributionWindowDays: 14, agent: { tone: "custom", customTone: "Calm", defaultRulesCreatedAt: "2026-12-01T00:00:00.000Z" } });
    await updateAgentSettings(shop.id, { tone: "playful" }, ["customTone"]);
    const row = await db().shop.findUniqueOrThrow({ where: { id: shop.id } });
    expect(row.settings).toEqual({ attributionWindowDays: 14, agent: { tone: "playful", defaultRulesCreatedAt: "2026-12-01T00:00:00.000Z" } });
  });

  it("refuses an invalid value and stores nothing", async () => {
    const shop = await shopWith({ agent: { name: "Juniper" } });
    await expect(updateAgentSettings(shop.id, { styleRules: Array.from({ length: 21 }, () => "Be brief") })).rejects.toThrow();
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings).toEqual({ agent: { name: "Juniper" } });
  });
});
