import { describe, expect, it } from "vitest";
import { brainSection, escalationRuleForm, faqEntryForm, fieldErrors, formValues, identitySection, timingSection, voiceSection, widgetSection } from "./sections";

function errorsOf(result: { success: boolean; error?: unknown }) {
  expect(result.success).toBe(false);
  return fieldErrors(result.error as never);
}

describe("settings sections", () => {
  it("trims the identity and refuses an empty name or greeting, naming the field", () => {
    expect(identitySection.parse({ name: "  Juniper ", greeting: "Hi!", brandSummary: "" })).toEqual({ name: "Juniper", greeting: "Hi!", brandSummary: "" });
    expect(errorsOf(identitySection.safeParse({ name: " ", greeting: "", brandSummary: "" }))).toEqual({ name: ["Fill this in."], greeting: ["Fill this in."] });
    expect(errorsOf(identitySection.safeParse({ name: "x".repeat(41), greeting: "Hi", brandSummary: "" }))).toEqual({ name: ["Keep it under 40 characters."] });
  });

  it("needs a description for a custom tone, drops empty style rules and keeps at most 20", () => {
    expect(voiceSection.parse({ tone: "friendly", customTone: "", styleRules: ["Be brief", " ", ""] })).toEqual({ tone: "friendly", customTone: "", styleRules: ["Be brief"] });
    expect(errorsOf(voiceSection.safeParse({ tone: "custom", customTone: "", styleRules: [] }))).toEqual({ customTone: ["Describe the tone, or choose one of the others."] });
    expect(errorsOf(voiceSection.safeParse({ tone: "grumpy", styleRules: [] }))).toEqual({ tone: ["Choose one of the options."] });
    expect(errorsOf(voiceSection.safeParse({ tone: "neutral", styleRules: Array.from({ length: 21 }, (_, index) => `Rule ${index}`) }))).toEqual({ styleRules: ["At most 20 rules."] });
  });

  it("asks the language model's endpoint for a URL and a model, and keeps the key optional (empty keeps the saved one)", () => {
    expect(brainSection.parse({ brain: "builtin" })).toMatchObject({ brain: "builtin" });
    expect(brainSection.parse({ brain: "llm", baseUrl: "http://127.0.0.1:4020/v1", model: "gpt-4o-mini", apiKey: "" })).toEqual({ brain: "llm", baseUrl: "http://127.0.0.1:4020/v1", model: "gpt-4o-mini", apiKey: "" });
    expect(Object.keys(errorsOf(brainSection.safeParse({ brain: "llm", baseUrl: "ftp://x", model: "" }))).sort()).toEqual(["baseUrl", "model"]);
  });

  it("reads the timing fields as whole numbers within their ranges", () => {
    expect(timingSection.parse({ quietResolutionMinutes: "30", recommendationWindowHours: "24", attributionWindowDays: "7" })).toEqual({ quietResolutionMinutes: 30, recommendationWindowHours: 24, attributionWindowDays: 7 });
    const errors = errorsOf(timingSection.safeParse({ quietResolutionMinutes: "1.5", recommendationWindowHours: "0", attributionWindowDays: "abc" }));
    expect(errors).toEqual({ quietResolutionMinutes: ["Enter a whole number."], recommendationWindowHours: ["Enter a number from 1 to 720."], attributionWindowDays: ["Enter a whole number."] });
  });

  it("takes a #RRGGBB colour (stored lower case), a side, a label and known page types", () => {
    expect(widgetSection.parse({ accentColor: "#AA3300", position: "left", launcherLabel: " Ask us ", hiddenPageTypes: ["cart"] })).toEqual({ accentColor: "#aa3300", position: "left", launcherLabel: "Ask us", hiddenPageTypes: ["cart"] });
    expect(errorsOf(widgetSection.safeParse({ accentColor: "red", position: "middle", hiddenPageTypes: ["checkout"] }))).toEqual({
      accentColor: ["Enter a colour as #RRGGBB, for example #1F6F5C."],
      position: ["Choose one of the options."],
      hiddenPageTypes: ["Choose one of the options."],
    });
  });

  it("turns a rule form into the condition the matcher reads", () => {
    expect(escalationRuleForm.parse({ name: "Lawyer", kind: "phrases", phrases: "lawyer\nsmall claims, attorney" })).toEqual({ name: "Lawyer", condition: { kind: "phrases", phrases: ["lawyer", "small claims", "attorney"] } });
    expect(escalationRuleForm.parse({ name: "Big", kind: "order-value-above", amount: "500" })).toEqual({ name: "Big", condition: { kind: "order-value-above", amount: 500 } });
    expect(errorsOf(escalationRuleForm.safeParse({ name: "", kind: "phrases", phrases: " , " }))).toMatchObject({ name: ["Fill this in."] });
    expect(errorsOf(escalationRuleForm.safeParse({ name: "Topics", kind: "intents", intents: [] }))).toEqual({ intents: ["Choose at least one topic."] });
    expect(errorsOf(escalationRuleForm.safeParse({ name: "Mood", kind: "negative-sentiment", threshold: "2" }))).toEqual({ threshold: ["Enter a number from -5 to 0."] });
  });

  it("reads an FAQ entry with its switch", () => {
    expect(faqEntryForm.parse({ question: "Do you ship to Canada?", answer: "Yes.", enabled: "on" })).toEqual({ question: "Do you ship to Canada?", answer: "Yes.", enabled: true });
    expect(errorsOf(faqEntryForm.safeParse({ question: "?", answer: "" }))).toEqual({ question: ["Fill this in."], answer: ["Fill this in."] });
  });

  it("reads repeated form fields as lists, and absent ones as empty lists", () => {
    const form = new FormData();
    form.append("tone", "neutral");
    form.append("styleRules", "One");
    form.append("styleRules", "Two");
    expect(formValues(form, ["styleRules", "enabledSkills"])).toEqual({ tone: "neutral", styleRules: ["One", "Two"], enabledSkills: [] });
  });
});
