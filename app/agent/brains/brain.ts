import type { AgentMemory } from "../memory";
import type { AgentPersona } from "../settings.server";
import type { SkillResult } from "../skills/registry";
import type { AgentTools } from "../skills/tools";
import type { Intent, MessagePart, SkillName, Understanding } from "../types";

export interface TurnContext {
  shopId: string;
  /** The shopper's message, as typed. */
  text: string;
  understanding: Understanding;
  memory: AgentMemory;
  loggedInCustomerId: string | null;
  /** Earlier messages of the thread, oldest first (without the current one). */
  history: Array<{ author: "shopper" | "agent" | "staff" | "system"; body: string }>;
  tools: AgentTools;
  /** The merchant's persona (name, greeting, tone, style rules, skills on/off); the defaults when absent. */
  persona?: AgentPersona;
}

/**
 * How a turn went, which decides what happens next: `answered` may later resolve the conversation (the shopper
 * confirms, or goes quiet); `failed` counts towards the "agent failing N times" rule; `confirmed` is the shopper
 * saying it helped; `handoff` escalates as shopper-requested.
 */
export type TurnOutcome = "answered" | "needs-info" | "failed" | "confirmed" | "handoff" | "smalltalk";

export interface BrainReply {
  skill: SkillName | null;
  intent: Intent;
  outcome: TurnOutcome;
  text: string;
  parts: MessagePart[];
  memory: Partial<AgentMemory>;
  tags: string[];
  /** The skill's own result: what the engine records (recommendations) and checks rules on (order value). */
  result?: SkillResult;
  /** LLM brain only: tokens this turn spent. */
  tokens?: number;
}

/** Both brains answer through the same skills; the engine checks the escalation rules before either speaks. */
export interface Brain {
  name: "builtin" | "llm";
  respond(context: TurnContext): Promise<BrainReply>;
}
