import type { EscalationRule } from "@prisma/client";
import { z } from "zod";
import { en } from "../../admin/strings/en";
import {
  createEscalationRule,
  deleteEscalationRule,
  EscalationRuleError,
  escalationRules,
  moveEscalationRule,
  setEscalationRuleEnabled,
  updateEscalationRule,
} from "../../agent/escalation-rules.server";
import { explainPhrase, ruleCondition, type RuleCondition, type RuleMatchReason } from "../../agent/rules";
import { db } from "../../db.server";
import { escalationRuleForm, fieldErrors, formValues, type FieldErrors } from "../../settings/sections";

export interface RuleView {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  condition: RuleCondition | null;
}

function view(rule: EscalationRule): RuleView {
  const condition = ruleCondition.safeParse(rule.condition);
  return { id: rule.id, name: rule.name, enabled: rule.enabled, position: rule.position, condition: condition.success ? condition.data : null };
}

export async function rulesFor(shopId: string): Promise<RuleView[]> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  return (await escalationRules(shopId, shop.settings)).map(view);
}

export type RulesResult =
  | { section: string; ok: true; message: string }
  | { section: string; ok: false; fieldErrors: FieldErrors }
  | { section: "test"; ok: true; phrase: string; match: { name: string; position: number; reason: RuleMatchReason } | null };

const idInput = z.object({ id: z.string().uuid() });

/** The rules page's actions; `section` says which form answered (`new`, `rule:{id}`, `test`, `list`). */
export async function submitRules(shopId: string, form: FormData): Promise<RulesResult> {
  const intent = String(form.get("intent") ?? "");
  const values = formValues(form, ["intents"]);
  try {
    switch (intent) {
      case "create":
      case "update": {
        const section = intent === "create" ? "new" : `rule:${String(values.id)}`;
        const parsed = escalationRuleForm.safeParse(values);
        if (!parsed.success) return { section, ok: false, fieldErrors: fieldErrors(parsed.error) };
        if (intent === "create") await createEscalationRule(shopId, parsed.data);
        else await updateEscalationRule(shopId, idInput.parse(values).id, parsed.data);
        return { section, ok: true, message: en.rules.saved };
      }
      case "toggle": {
        const { id, enabled } = idInput.extend({ enabled: z.enum(["true", "false"]) }).parse(values);
        await setEscalationRuleEnabled(shopId, id, enabled === "true");
        return { section: "list", ok: true, message: en.rules.saved };
      }
      case "move": {
        const { id, direction } = idInput.extend({ direction: z.enum(["up", "down"]) }).parse(values);
        await moveEscalationRule(shopId, id, direction);
        return { section: "list", ok: true, message: en.rules.moved };
      }
      case "delete":
        await deleteEscalationRule(shopId, idInput.parse(values).id);
        return { section: "list", ok: true, message: en.rules.deleted };
      case "test": {
        const phrase = z.string().trim().min(1, en.errors.required).max(2000, en.errors.tooLong(2000)).safeParse(values.phrase);
        if (!phrase.success) return { section: "test", ok: false, fieldErrors: { phrase: phrase.error.issues.map((issue) => issue.message) } };
        const rules = await db().escalationRule.findMany({ where: { shopId } });
        const match = await explainPhrase(rules, phrase.data);
        return { section: "test", ok: true, phrase: phrase.data, match: match ? { name: match.rule.name, position: match.position, reason: match.reason } : null };
      }
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (error) {
    if (error instanceof EscalationRuleError) {
      const section = intent === "create" ? "new" : intent === "update" ? `rule:${String(values.id)}` : "list";
      return { section, ok: false, fieldErrors: { [error.field]: [error.message] } };
    }
    if (error instanceof z.ZodError) throw new Response("Malformed request", { status: 400 });
    throw error;
  }
}
