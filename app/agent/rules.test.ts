import { describe, expect, it } from "vitest";
import { DEFAULT_ESCALATION_RULES, matchEscalationRule, ruleCondition, testPhraseAgainstRules, type EscalationSignals } from "./rules";

const quiet: EscalationSignals = { text: "do you have rain jackets", intents: ["product-search"], sentiment: 0, failuresInARow: 0 };

describe("escalation rules", () => {
  it("fires the first enabled rule by position", () => {
    const rules = [
      { name: "Second", condition: { kind: "phrases", phrases: ["lawyer"] }, enabled: true, position: 2 },
      { name: "First", condition: { kind: "intents", intents: ["legal-threat"] }, enabled: true, position: 1 },
      { name: "Off", condition: { kind: "phrases", phrases: ["lawyer"] }, enabled: false, position: 0 },
    ];
    expect(matchEscalationRule(rules, { ...quiet, text: "my lawyer will call", intents: ["legal-threat"] })?.name).toBe("First");
    expect(matchEscalationRule(rules, { ...quiet, text: "my LAWYER will call" })?.name).toBe("Second");
    expect(matchEscalationRule(rules, quiet)).toBeNull();
  });

  it("matches phrases as whole words, ignoring case and accents", () => {
    const rules = [{ name: "Press", condition: { kind: "phrases", phrases: ["journaliste", "press"] }, enabled: true, position: 1 }];
    expect(matchEscalationRule(rules, { ...quiet, text: "Je suis JOURNALISTE" })?.name).toBe("Press");
    expect(matchEscalationRule(rules, { ...quiet, text: "I need a pressure cooker" })).toBeNull();
  });

  it("checks order value, failures in a row and sentiment thresholds", () => {
    const rules = [
      { name: "Big order", condition: { kind: "order-value-above", amount: 500 }, enabled: true, position: 1 },
      { name: "Stuck", condition: { kind: "agent-failures", inARow: 2 }, enabled: true, position: 2 },
      { name: "Angry", condition: { kind: "negative-sentiment", threshold: -1.5 }, enabled: true, position: 3 },
    ];
    expect(matchEscalationRule(rules, { ...quiet, orderValue: 501 })?.name).toBe("Big order");
    expect(matchEscalationRule(rules, { ...quiet, orderValue: 500 })).toBeNull();
    expect(matchEscalationRule(rules, { ...quiet, failuresInARow: 2 })?.name).toBe("Stuck");
    expect(matchEscalationRule(rules, { ...quiet, failuresInARow: 1 })).toBeNull();
    expect(matchEscalationRule(rules, { ...quiet, sentiment: -2 })?.name).toBe("Angry");
  });

  it("skips a rule whose stored condition is not valid instead of failing the turn", () => {
    const rules = [{ name: "Broken", condition: { kind: "moon-phase" }, enabled: true, position: 1 }];
    expect(matchEscalationRule(rules, quiet)).toBeNull();
    expect(ruleCondition.safeParse({ kind: "phrases", phrases: [] }).success).toBe(false);
  });

  it("tests a sample phrase against the default rules in the four languages, as the admin will", async () => {
    const cases: Array<[string, string | null]> = [
      ["I want a refund, let me talk to someone", "Refund request"],
      ["Je veux être remboursé", "Refund request"],
      ["Quiero cancelar mi pedido", "Order cancellation"],
      ["Mein Artikel kam beschädigt an", "Damaged or wrong item"],
      ["My lawyer will contact you", "Legal threat"],
      ["I'm filing a chargeback with my bank", "Chargeback or payment dispute"],
      ["Do you have rain jackets in blue?", null],
      ["What is your refund policy?", null],
    ];
    for (const [phrase, rule] of cases) {
      expect((await testPhraseAgainstRules(DEFAULT_ESCALATION_RULES, phrase))?.name ?? null, phrase).toBe(rule);
    }
  });
});
