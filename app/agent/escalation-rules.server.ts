import type { EscalationRule, Prisma } from "@prisma/client";
import { db } from "../db.server";
import { DEFAULT_ESCALATION_RULES } from "./rules";
import { storedAgentSettings } from "./settings.server";

/** Creates the default rules once per shop (install, demo seed, or the first turn of a shop installed earlier). */
export async function createDefaultEscalationRules(shopId: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
    const settings = storedAgentSettings(shop.settings);
    if (settings.defaultRulesCreatedAt) return;
    await tx.escalationRule.createMany({
      data: DEFAULT_ESCALATION_RULES.map((rule) => ({ shopId, ...rule, condition: rule.condition as Prisma.InputJsonObject })),
      skipDuplicates: true,
    });
    const current = (shop.settings ?? {}) as Prisma.JsonObject;
    const agent = { ...((current.agent as Prisma.JsonObject | undefined) ?? {}), defaultRulesCreatedAt: new Date().toISOString() };
    await tx.shop.update({ where: { id: shopId }, data: { settings: { ...current, agent } } });
  });
}

export async function escalationRules(shopId: string, shopSettings: unknown): Promise<EscalationRule[]> {
  if (!storedAgentSettings(shopSettings).defaultRulesCreatedAt) await createDefaultEscalationRules(shopId);
  return db().escalationRule.findMany({ where: { shopId }, orderBy: { position: "asc" } });
}
