import { z } from "zod";
import { en } from "../admin/strings/en";
import type { RuleCondition } from "../agent/rules";
import { ESCALATION_INTENTS, SKILL_NAMES } from "../agent/types";

/**
 * One zod schema per settings section of the admin, shared by the page's loader (defaults), its action (parsing the
 * submitted form) and the tests. Each reads what a form submits (strings; repeated names as arrays) and yields the
 * values the settings modules store. Messages come from the admin's strings, so errors show next to their field.
 */
const t = en.errors;

export const TONES = ["neutral", "professional", "friendly", "playful", "custom"] as const;
export type Tone = (typeof TONES)[number];
export const MAX_STYLE_RULES = 20;
export const MAX_ESCALATION_RULES = 20;
/** Shopify's `request.page_type` values a merchant may hide the chat on. */
export const WIDGET_PAGE_TYPES = ["index", "product", "collection", "list-collections", "search", "cart", "page", "blog", "article", "policy"] as const;

const text = (max: number) => z.string({ error: t.required }).trim().max(max, t.tooLong(max));
const required = (max: number) => text(max).min(1, t.required);
const wholeNumber = (min: number, max: number) =>
  z
    .string({ error: t.number })
    .trim()
    .regex(/^-?\d+$/, t.number)
    .transform(Number)
    .pipe(z.number().int().min(min, t.between(min, max)).max(max, t.between(min, max)));
/** Checkbox groups and repeated fields: absent means none chosen. */
const list = <T extends z.ZodType>(item: T) => z.array(item).default([]);

export const identitySection = z.object({
  name: required(40),
  greeting: required(300),
  brandSummary: text(1000),
});

export const voiceSection = z
  .object({
    tone: z.enum(TONES, { error: t.unknownOption }),
    customTone: text(300).default(""),
    // Empty rows of the form are dropped, not refused.
    styleRules: list(z.string().trim().max(200, t.tooLong(200)))
      .transform((rules) => rules.filter(Boolean))
      .pipe(z.array(z.string()).max(MAX_STYLE_RULES, t.tooManyRules(MAX_STYLE_RULES))),
  })
  .superRefine((value, context) => {
    if (value.tone === "custom" && !value.customTone) context.addIssue({ code: "custom", path: ["customTone"], message: t.customToneRequired });
  });

export const skillsSection = z.object({ enabledSkills: list(z.enum(SKILL_NAMES, { error: t.unknownOption })) });

const endpointUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ["https:", "http:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, t.url);

/** The API key is write-only: empty means "keep the saved one", which the action checks exists. */
export const brainSection = z.discriminatedUnion("brain", [
  z.object({ brain: z.literal("builtin"), baseUrl: z.string().optional(), model: z.string().optional(), apiKey: z.string().optional() }),
  z.object({ brain: z.literal("llm"), baseUrl: endpointUrl, model: required(200), apiKey: text(500).default("") }),
], { error: t.unknownOption });

export const timingSection = z.object({
  quietResolutionMinutes: wholeNumber(1, 10_080),
  recommendationWindowHours: wholeNumber(1, 720),
  attributionWindowDays: wholeNumber(1, 90),
});

export const widgetSection = z.object({
  accentColor: z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, t.colour).transform((colour) => colour.toLowerCase()),
  position: z.enum(["right", "left"], { error: t.unknownOption }),
  launcherLabel: text(40).default(""),
  hiddenPageTypes: list(z.enum(WIDGET_PAGE_TYPES, { error: t.unknownOption })),
});

export const SETTINGS_SECTIONS = {
  identity: identitySection,
  voice: voiceSection,
  skills: skillsSection,
  brain: brainSection,
  timing: timingSection,
  widget: widgetSection,
} as const;
export type SettingsSection = keyof typeof SETTINGS_SECTIONS;
export type SectionValues<S extends SettingsSection> = z.output<(typeof SETTINGS_SECTIONS)[S]>;

/** An escalation rule as the rules page submits it: phrases one per line (or comma-separated), topics as a list. */
export const escalationRuleForm = z
  .discriminatedUnion(
    "kind",
    [
      z.object({
        kind: z.literal("phrases"),
        phrases: z
          .string()
          .default("")
          .transform((value) => value.split(/\r?\n|,/).map((phrase) => phrase.trim()).filter(Boolean))
          .pipe(z.array(z.string().max(100, t.tooLong(100))).min(1, t.phraseRequired).max(50)),
      }),
      z.object({ kind: z.literal("intents"), intents: list(z.enum(ESCALATION_INTENTS, { error: t.unknownOption })).pipe(z.array(z.enum(ESCALATION_INTENTS)).min(1, t.intentRequired)) }),
      z.object({ kind: z.literal("order-value-above"), amount: z.string().trim().regex(/^\d+(\.\d+)?$/, t.positive).transform(Number).pipe(z.number().positive(t.positive)) }),
      z.object({ kind: z.literal("agent-failures"), inARow: wholeNumber(1, 10) }),
      z.object({
        kind: z.literal("negative-sentiment"),
        threshold: z.string().trim().regex(/^-?\d+(\.\d+)?$/, t.thresholdRange).transform(Number).pipe(z.number().min(-5, t.thresholdRange).max(0, t.thresholdRange)),
      }),
    ],
    { error: t.unknownOption },
  )
  .and(z.object({ name: required(80) }))
  .transform(({ name, ...condition }) => ({ name, condition: condition as RuleCondition }));

/** An FAQ entry as the knowledge page submits it (the same limits the FAQ module enforces). */
export const faqEntryForm = z.object({
  question: z.string({ error: t.required }).trim().min(3, t.required).max(300, t.tooLong(300)),
  answer: required(2000),
  enabled: z.enum(["on", "off"]).default("off").transform((value) => value === "on"),
});

export type FieldErrors = Record<string, string[]>;

/** The field errors of a failed parse, keyed by the form field's name. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** A submitted form as the schemas read it: each name once, or as an array for the names given (checkbox groups, lists). */
export function formValues(form: FormData, arrays: readonly string[] = []): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).filter((value): value is string => typeof value === "string");
    values[key] = arrays.includes(key) ? all : all[0];
  }
  for (const key of arrays) values[key] ??= [];
  return values;
}
