import type { EscalationRule, Prisma } from "@prisma/client";
import { db } from "../db.server";
import { en } from "../admin/strings/en";
import { MAX_ESCALATION_RULES } from "../settings/sections";
import { DEFAULT_ESCALATION_RULES, ruleCondition, type RuleCondition } from "./rules";
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

/** The one error type of rule editing: what is wrong and with which field; nothing was changed. */
export class EscalationRuleError extends Error {
  override name = "EscalationRuleError";
  constructor(
    message: string,
    readonly field: "name" | "form" = "form",
  ) {
    super(message);
  }
}

export interface EscalationRuleInput {
  name: string;
  condition: RuleCondition;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Adds a rule at the end of the shop's order; a shop has at most MAX_ESCALATION_RULES. */
export async function createEscalationRule(shopId: string, input: EscalationRuleInput): Promise<EscalationRule> {
  const condition = ruleCondition.parse(input.condition);
  try {
    return await db().$transaction(async (tx) => {
      // Serialises adds for one shop, so the limit and the positions hold under concurrent clicks.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('escalation-rules:' || ${shopId}))`;
      const count = await tx.escalationRule.count({ where: { shopId } });
      if (count >= MAX_ESCALATION_RULES) throw new EscalationRuleError(en.rules.limit(MAX_ESCALATION_RULES));
      const last = await tx.escalationRule.aggregate({ where: { shopId }, _max: { position: true } });
      return tx.escalationRule.create({ data: { shopId, name: input.name, condition: condition as Prisma.InputJsonObject, position: (last._max.position ?? 0) + 1 } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EscalationRuleError(en.errors.duplicateRuleName, "name");
    throw error;
  }
}

export async function updateEscalationRule(shopId: string, id: string, input: EscalationRuleInput): Promise<void> {
  const condition = ruleCondition.parse(input.condition);
  try {
    const { count } = await db().escalationRule.updateMany({ where: { id, shopId }, data: { name: input.name, condition: condition as Prisma.InputJsonObject } });
    if (count === 0) throw new EscalationRuleError(en.rules.gone);
  } catch (error) {
    if (isUniqueViolation(error)) throw new EscalationRuleError(en.errors.duplicateRuleName, "name");
    throw error;
  }
}

export async function setEscalationRuleEnabled(shopId: string, id: string, enabled: boolean): Promise<void> {
  const { count } = await db().escalationRule.updateMany({ where: { id, shopId }, data: { enabled } });
  if (count === 0) throw new EscalationRuleError(en.rules.gone);
}

export async function deleteEscalationRule(shopId: string, id: string): Promise<void> {
  const { count } = await db().escalationRule.deleteMany({ where: { id, shopId } });
  if (count === 0) throw new EscalationRuleError(en.rules.gone);
}

/** Swaps a rule with its neighbour above or below; positions are renumbered 1..n so gaps never accumulate. */
export async function moveEscalationRule(shopId: string, id: string, direction: "up" | "down"): Promise<void> {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('escalation-rules:' || ${shopId}))`;
    const rules = await tx.escalationRule.findMany({ where: { shopId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true } });
    const index = rules.findIndex((rule) => rule.id === id);
    if (index === -1) throw new EscalationRuleError(en.rules.gone);
    const target = direction === "up" ? index - 1 : index + 1;
    if (target < 0 || target >= rules.length) return;
    [rules[index], rules[target]] = [rules[target]!, rules[index]!];
    for (const [position, rule] of rules.entries()) await tx.escalationRule.update({ where: { id: rule.id }, data: { position: position + 1 } });
  });
}
