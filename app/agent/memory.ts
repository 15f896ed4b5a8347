import { z } from "zod";
import { LANGUAGES, SKILL_NAMES } from "./types";

/** The product search a follow-up ("cheaper", "in blue") refines. */
export const lastSearch = z.object({
  text: z.string(),
  minPrice: z.number().optional(),
  maxPrice: z.number().optional(),
  options: z.array(z.string()).default([]),
  productIds: z.array(z.string()).default([]),
  lowestPrice: z.number().optional(),
});
export type LastSearch = z.infer<typeof lastSearch>;

/**
 * What the agent remembers between turns of one conversation, stored on the conversation row and rewritten in the
 * same transaction as each reply. Unknown or broken values fall back to a fresh memory rather than failing a turn.
 */
export const agentMemory = z.object({
  language: z.enum(LANGUAGES).optional(),
  activeSkill: z.enum(SKILL_NAMES).optional(),
  lastSearch: lastSearch.optional(),
  /** An order number the shopper gave while we still wait for its email or phone. */
  pendingOrderNumber: z.string().optional(),
  failedProofs: z.number().int().min(0).default(0),
  failuresInARow: z.number().int().min(0).default(0),
  /** Successful answers since the conversation (re)opened: a "thanks" resolves only after one. */
  answeredTurns: z.number().int().min(0).default(0),
  llmTokens: z.number().int().min(0).default(0),
});
export type AgentMemory = z.infer<typeof agentMemory>;

export function readMemory(stored: unknown): AgentMemory {
  const parsed = agentMemory.safeParse(stored ?? {});
  return parsed.success ? parsed.data : agentMemory.parse({});
}
