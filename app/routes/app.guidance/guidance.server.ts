import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { checkLlmConnection, type ConnectionCheck } from "../../agent/brains/llm/check-connection.server";
import { agentSettings, storedAgentSettings, updateAgentSettings } from "../../agent/settings.server";
import { SKILL_NAMES } from "../../agent/types";
import { encryptSecret, decryptSecret } from "../../crypto.server";
import { db } from "../../db.server";
import { en } from "../../admin/strings/en";
import { fieldErrors, formValues, SETTINGS_SECTIONS, type FieldErrors, type SectionValues, type SettingsSection } from "../../settings/sections";
import { readShopSettings, updateShopSettings } from "../../settings/settings.server";
import { publishWidgetLook } from "../../settings/widget-look.server";

const ARRAY_FIELDS = ["styleRules", "enabledSkills", "hiddenPageTypes"] as const;
const DEFAULT_GREETING = "Hi! Ask us anything about products, sizing or your order.";
const DEFAULT_NAME = "Assistant";

/** What the Guidance page's forms start from. The LLM key is never included: only whether one is saved. */
export async function guidanceValues(shopId: string) {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  const settings = readShopSettings(shop.settings);
  const stored = storedAgentSettings(shop.settings);
  const agent = agentSettings(shop.settings);
  return {
    identity: { name: agent.persona.name ?? DEFAULT_NAME, greeting: agent.persona.greeting ?? DEFAULT_GREETING, brandSummary: agent.persona.brandSummary ?? "" },
    voice: { tone: agent.persona.tone, customTone: stored.customTone ?? "", styleRules: agent.persona.styleRules },
    skills: { enabledSkills: agent.persona.enabledSkills },
    brain: { brain: stored.brain ?? (stored.llm?.baseUrl ? "llm" : "builtin"), baseUrl: stored.llm?.baseUrl ?? "", model: stored.llm?.model ?? "", hasApiKey: Boolean(stored.llm?.encryptedApiKey) },
    timing: {
      quietResolutionMinutes: String(agent.quietResolutionMinutes),
      recommendationWindowHours: String(settings.recommendationWindowHours),
      attributionWindowDays: String(settings.attributionWindowDays),
    },
    widget: settings.widget,
  };
}
export type GuidanceValues = Awaited<ReturnType<typeof guidanceValues>>;

export type GuidanceResult =
  | { section: SettingsSection; ok: true; message: string; warning?: string }
  | { section: SettingsSection; ok: false; fieldErrors: FieldErrors }
  | { section: "brain"; ok: true; check: ConnectionCheck };

export function isSection(value: unknown): value is SettingsSection {
  return typeof value === "string" && Object.hasOwn(SETTINGS_SECTIONS, value);
}

function invalid(section: SettingsSection, errors: FieldErrors): GuidanceResult {
  return { section, ok: false, fieldErrors: errors };
}

/** The key to use: the one typed now, else the saved one (decrypted only here, never sent to the browser). */
async function apiKeyFor(shopId: string, typed: string): Promise<string | null> {
  if (typed) return typed;
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  const sealed = storedAgentSettings(shop.settings).llm?.encryptedApiKey;
  return sealed ? decryptSecret(sealed) : null;
}

/**
 * Validates one section's form with its schema and saves it; a failed validation saves nothing and names each
 * field. `check-brain` tests the endpoint with the values typed, saving nothing.
 */
export async function submitGuidance(shopId: string, admin: Pick<AdminApiContext, "graphql">, intent: string, form: FormData): Promise<GuidanceResult> {
  const section = intent === "check-brain" ? "brain" : intent;
  if (!isSection(section)) throw new Response("Unknown section", { status: 400 });
  const parsed = SETTINGS_SECTIONS[section].safeParse(formValues(form, ARRAY_FIELDS));
  if (!parsed.success) return invalid(section, fieldErrors(parsed.error));
  const values = parsed.data;
  const saved = en.common.saved;

  switch (section) {
    case "identity": {
      const { name, greeting, brandSummary } = values as SectionValues<"identity">;
      await updateAgentSettings(shopId, { name, greeting, ...(brandSummary ? { brandSummary } : {}) }, brandSummary ? [] : ["brandSummary"]);
      return published(section, await publishWidgetLook(admin, shopId));
    }
    case "voice": {
      const { tone, customTone, styleRules } = values as SectionValues<"voice">;
      await updateAgentSettings(shopId, { tone, styleRules, ...(tone === "custom" ? { customTone } : {}) }, tone === "custom" ? [] : ["customTone"]);
      return { section, ok: true, message: saved };
    }
    case "skills": {
      const { enabledSkills } = values as SectionValues<"skills">;
      await updateAgentSettings(shopId, { disabledSkills: SKILL_NAMES.filter((skill) => !enabledSkills.includes(skill)) });
      return { section, ok: true, message: saved };
    }
    case "brain": {
      const brain = values as SectionValues<"brain">;
      if (brain.brain === "builtin") {
        if (intent === "check-brain") return invalid(section, { brain: [en.errors.unknownOption] });
        await updateAgentSettings(shopId, { brain: "builtin" });
        return { section, ok: true, message: saved };
      }
      const apiKey = await apiKeyFor(shopId, brain.apiKey);
      if (!apiKey) return invalid(section, { apiKey: [en.errors.apiKeyRequired] });
      if (intent === "check-brain") return { section, ok: true, check: await checkLlmConnection({ baseUrl: brain.baseUrl, model: brain.model, apiKey }) };
      const current = storedAgentSettings((await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } })).settings).llm ?? {};
      await updateAgentSettings(shopId, { brain: "llm", llm: { ...current, baseUrl: brain.baseUrl, model: brain.model, encryptedApiKey: brain.apiKey ? encryptSecret(brain.apiKey) : current.encryptedApiKey } });
      return { section, ok: true, message: saved };
    }
    case "timing": {
      const { quietResolutionMinutes, recommendationWindowHours, attributionWindowDays } = values as SectionValues<"timing">;
      await updateAgentSettings(shopId, { quietResolutionMinutes });
      await updateShopSettings(shopId, { recommendationWindowHours, attributionWindowDays });
      return { section, ok: true, message: saved };
    }
    case "widget": {
      await updateShopSettings(shopId, { widget: values as SectionValues<"widget"> });
      return published(section, await publishWidgetLook(admin, shopId));
    }
  }
}

function published(section: SettingsSection, result: Awaited<ReturnType<typeof publishWidgetLook>>): GuidanceResult {
  return result.ok
    ? { section, ok: true, message: section === "widget" ? en.guidance.widget.published : en.common.saved }
    : { section, ok: true, message: en.common.saved, warning: en.guidance.widget.publishFailed(result.detail) };
}
