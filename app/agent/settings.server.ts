import { z } from "zod";
import { config } from "../config.server";
import { decryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { MAX_STYLE_RULES, TONES, type Tone } from "../settings/sections";
import { SKILL_NAMES, type SkillName } from "./types";

/** `Shop.settings.agent`: the merchant's choices for the agent. The LLM key is stored encrypted (app/crypto). */
export const agentSettingsSchema = z.object({
  brain: z.enum(["builtin", "llm"]).optional(),
  quietResolutionMinutes: z.number().int().min(1).max(10_080).optional(),
  llm: z
    .object({
      baseUrl: z.url().optional(),
      model: z.string().min(1).optional(),
      encryptedApiKey: z.string().min(1).optional(),
      tokenBudget: z.number().int().min(1000).optional(),
      timeoutMs: z.number().int().min(500).max(120_000).optional(),
    })
    .optional(),
  /** Set when the default escalation rules were created, so a merchant who deletes them all keeps none. */
  defaultRulesCreatedAt: z.string().optional(),
  /** The persona the merchant writes on the Guidance page. */
  name: z.string().min(1).max(40).optional(),
  greeting: z.string().min(1).max(300).optional(),
  brandSummary: z.string().max(1000).optional(),
  tone: z.enum(TONES).optional(),
  customTone: z.string().max(300).optional(),
  styleRules: z.array(z.string().min(1).max(200)).max(MAX_STYLE_RULES).optional(),
  /** Skills switched off (kept as the off ones, so a skill added later starts on). */
  disabledSkills: z.array(z.enum(SKILL_NAMES)).optional(),
});
export type StoredAgentSettings = z.infer<typeof agentSettingsSchema>;

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey: string;
  timeoutMs: number;
  tokenBudget: number;
}

/** Who the agent is and how it speaks: both brains read it (app/agent/brains). */
export interface AgentPersona {
  name: string | null;
  /** The merchant's greeting; null: the agent's own, in the shopper's language. */
  greeting: string | null;
  brandSummary: string | null;
  tone: Tone;
  customTone: string | null;
  styleRules: string[];
  enabledSkills: SkillName[];
}

export const DEFAULT_PERSONA: AgentPersona = {
  name: null,
  greeting: null,
  brandSummary: null,
  tone: "friendly",
  customTone: null,
  styleRules: [],
  enabledSkills: [...SKILL_NAMES],
};

export interface AgentSettings {
  brain: "builtin" | "llm";
  quietResolutionMinutes: number;
  llm: LlmSettings | null;
  persona: AgentPersona;
}

/** Like the shop settings, a stored key that no longer validates falls back alone, keeping the others. */
export function storedAgentSettings(shopSettings: unknown): StoredAgentSettings {
  const agent = (shopSettings as { agent?: unknown } | null)?.agent;
  const record = agent && typeof agent === "object" && !Array.isArray(agent) ? (agent as Record<string, unknown>) : {};
  const stored: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(agentSettingsSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(record[key]);
    if (parsed.success && parsed.data !== undefined) stored[key] = parsed.data;
  }
  return stored as StoredAgentSettings;
}

function personaOf(stored: StoredAgentSettings): AgentPersona {
  const disabled = new Set(stored.disabledSkills ?? []);
  return {
    name: stored.name ?? null,
    greeting: stored.greeting ?? null,
    brandSummary: stored.brandSummary || null,
    tone: stored.tone ?? DEFAULT_PERSONA.tone,
    customTone: stored.tone === "custom" ? (stored.customTone ?? null) : null,
    styleRules: stored.styleRules ?? [],
    enabledSkills: SKILL_NAMES.filter((skill) => !disabled.has(skill)),
  };
}

/**
 * Merges changes into `Shop.settings.agent` in one statement (other keys, and other modules' settings, stay);
 * keys in `remove` are dropped. Validated strictly first, so nothing invalid is ever stored.
 */
export async function updateAgentSettings(shopId: string, changes: Partial<StoredAgentSettings>, remove: ReadonlyArray<keyof StoredAgentSettings> = []): Promise<StoredAgentSettings> {
  const valid = agentSettingsSchema.strict().parse(changes);
  const [row] = await db().$queryRaw<Array<{ settings: unknown }>>`
    UPDATE "Shop" SET settings = jsonb_set(settings, '{agent}', ((COALESCE(settings->'agent', '{}'::jsonb) - ${[...remove]}::text[]) || ${JSON.stringify(valid)}::jsonb)), "updatedAt" = now()
    WHERE id = ${shopId} RETURNING settings`;
  if (!row) throw new RangeError(`Shop ${shopId} not found`);
  return storedAgentSettings(row.settings);
}

/**
 * The shop's own settings, falling back to the environment's defaults. The LLM brain runs only with a base URL,
 * model and key all known; otherwise the built-in brain answers.
 */
export function agentSettings(shopSettings: unknown): AgentSettings {
  const stored = storedAgentSettings(shopSettings);
  const env = config();
  const baseUrl = stored.llm?.baseUrl ?? env.AGENT_LLM_BASE_URL;
  const model = stored.llm?.model ?? env.AGENT_LLM_MODEL;
  const apiKey = stored.llm?.encryptedApiKey ? decryptSecret(stored.llm.encryptedApiKey) : env.AGENT_LLM_API_KEY;
  const llm =
    baseUrl && model && apiKey
      ? { baseUrl, model, apiKey, timeoutMs: stored.llm?.timeoutMs ?? env.AGENT_LLM_TIMEOUT_MS, tokenBudget: stored.llm?.tokenBudget ?? env.AGENT_LLM_TOKEN_BUDGET }
      : null;
  return {
    brain: stored.brain === "builtin" || !llm ? "builtin" : "llm",
    quietResolutionMinutes: stored.quietResolutionMinutes ?? env.AGENT_QUIET_RESOLUTION_MINUTES,
    llm,
    persona: personaOf(stored),
  };
}
