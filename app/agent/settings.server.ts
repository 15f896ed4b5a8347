import { z } from "zod";
import { config } from "../config.server";
import { decryptSecret } from "../crypto.server";

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
});
export type StoredAgentSettings = z.infer<typeof agentSettingsSchema>;

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey: string;
  timeoutMs: number;
  tokenBudget: number;
}

export interface AgentSettings {
  brain: "builtin" | "llm";
  quietResolutionMinutes: number;
  llm: LlmSettings | null;
}

export function storedAgentSettings(shopSettings: unknown): StoredAgentSettings {
  const agent = (shopSettings as { agent?: unknown } | null)?.agent;
  const parsed = agentSettingsSchema.safeParse(agent ?? {});
  return parsed.success ? parsed.data : {};
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
  };
}
