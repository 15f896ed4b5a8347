import { z } from "zod";
import { ESCALATION_INTENTS, type Intent, type Understanding } from "./types";
import { fold, understand } from "./brains/builtin/understand";

/** What makes a rule fire. One condition per rule; a merchant adds several rules for several conditions. */
export const ruleCondition = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("phrases"), phrases: z.array(z.string().trim().min(1).max(100)).min(1).max(50) }),
  z.object({ kind: z.literal("intents"), intents: z.array(z.enum(ESCALATION_INTENTS)).min(1) }),
  z.object({ kind: z.literal("order-value-above"), amount: z.number().positive() }),
  z.object({ kind: z.literal("agent-failures"), inARow: z.number().int().min(1).max(10) }),
  /** Sentiment scores run from about -5 (furious) to +5; below `threshold` fires. */
  z.object({ kind: z.literal("negative-sentiment"), threshold: z.number().max(0) }),
]);
export type RuleCondition = z.infer<typeof ruleCondition>;

export interface EscalationRuleDefinition {
  name: string;
  condition: RuleCondition;
  enabled: boolean;
  position: number;
}

/** Created for every shop on install (and for the demo shop); merchants edit, disable or reorder them. */
export const DEFAULT_ESCALATION_RULES: EscalationRuleDefinition[] = [
  { name: "Legal threat", condition: { kind: "intents", intents: ["legal-threat"] } },
  { name: "Chargeback or payment dispute", condition: { kind: "intents", intents: ["chargeback"] } },
  { name: "Refund request", condition: { kind: "intents", intents: ["refund"] } },
  { name: "Order cancellation", condition: { kind: "intents", intents: ["cancellation"] } },
  { name: "Damaged or wrong item", condition: { kind: "intents", intents: ["damaged-item"] } },
  { name: "Complaint", condition: { kind: "intents", intents: ["complaint"] } },
  { name: "Very unhappy shopper", condition: { kind: "negative-sentiment", threshold: -1.5 } },
  { name: "Agent could not help", condition: { kind: "agent-failures", inARow: 2 } },
  { name: "High-value order", condition: { kind: "order-value-above", amount: 1000 } },
].map((rule, index) => ({ ...rule, condition: rule.condition as RuleCondition, enabled: true, position: index + 1 }));

/** Everything a rule can look at, known before the agent replies. */
export interface EscalationSignals {
  text: string;
  intents: readonly Intent[];
  sentiment: number;
  /** Turns in a row the agent could not help, counting this one if it just failed. */
  failuresInARow: number;
  /** The total of the order being discussed, once a proven lookup found it. */
  orderValue?: number;
}

export function signalsFrom(text: string, understanding: Understanding, extra: { failuresInARow: number; orderValue?: number }): EscalationSignals {
  return { text, intents: understanding.intents, sentiment: understanding.sentiment, ...extra };
}

function matchesPhrase(foldedText: string, phrase: string): boolean {
  const needle = fold(phrase).trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${needle}($|[^\\p{L}\\p{N}])`, "u").test(foldedText);
}

export function conditionMatches(condition: RuleCondition, signals: EscalationSignals): boolean {
  switch (condition.kind) {
    case "phrases": {
      const text = fold(signals.text);
      return condition.phrases.some((phrase) => matchesPhrase(text, phrase));
    }
    case "intents":
      return condition.intents.some((intent) => signals.intents.includes(intent));
    case "order-value-above":
      return signals.orderValue !== undefined && signals.orderValue > condition.amount;
    case "agent-failures":
      return signals.failuresInARow >= condition.inARow;
    case "negative-sentiment":
      return signals.sentiment < condition.threshold;
  }
}

/**
 * The first enabled rule (by position) that the signals meet, or null. Pure, so the admin can show a merchant
 * which rule a sample phrase would trigger before saving.
 */
export function matchEscalationRule<Rule extends { name: string; condition: unknown; enabled: boolean; position: number }>(
  rules: readonly Rule[],
  signals: EscalationSignals,
): Rule | null {
  const ordered = [...rules].filter((rule) => rule.enabled).sort((a, b) => a.position - b.position);
  for (const rule of ordered) {
    const condition = ruleCondition.safeParse(rule.condition);
    if (condition.success && conditionMatches(condition.data, signals)) return rule;
  }
  return null;
}

/** Why a rule fired, in terms a merchant can check against the message. */
export type RuleMatchReason =
  | { kind: "phrases"; phrase: string }
  | { kind: "intents"; intents: Intent[] }
  | { kind: "negative-sentiment"; sentiment: number; threshold: number }
  | { kind: "other" };

function reasonFor(condition: RuleCondition, signals: EscalationSignals): RuleMatchReason {
  switch (condition.kind) {
    case "phrases": {
      const text = fold(signals.text);
      return { kind: "phrases", phrase: condition.phrases.find((phrase) => matchesPhrase(text, phrase)) ?? condition.phrases[0]! };
    }
    case "intents":
      return { kind: "intents", intents: condition.intents.filter((intent) => signals.intents.includes(intent)) };
    case "negative-sentiment":
      return { kind: "negative-sentiment", sentiment: signals.sentiment, threshold: condition.threshold };
    default:
      return { kind: "other" };
  }
}

/**
 * For the admin's "test a phrase": the rule a sample shopper message would trigger (understood as the agent
 * understands it, with the same matcher the engine uses), its place in the order, and why.
 */
export async function explainPhrase<Rule extends { name: string; condition: unknown; enabled: boolean; position: number }>(
  rules: readonly Rule[],
  phrase: string,
): Promise<{ rule: Rule; position: number; reason: RuleMatchReason } | null> {
  const understanding = await understand(phrase);
  const signals = signalsFrom(phrase, understanding, { failuresInARow: 0 });
  const rule = matchEscalationRule(rules, signals);
  if (!rule) return null;
  const ordered = [...rules].sort((a, b) => a.position - b.position);
  return { rule, position: ordered.indexOf(rule) + 1, reason: reasonFor(ruleCondition.parse(rule.condition), signals) };
}

/** For the admin: which rule (if any) a sample shopper message would trigger, understood as the agent would. */
export async function testPhraseAgainstRules<Rule extends { name: string; condition: unknown; enabled: boolean; position: number }>(
  rules: readonly Rule[],
  phrase: string,
): Promise<Rule | null> {
  const understanding = await understand(phrase);
  return matchEscalationRule(rules, signalsFrom(phrase, understanding, { failuresInARow: 0 }));
}
