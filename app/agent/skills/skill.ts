import type { z } from "zod";
import type { AgentMemory } from "../memory";
import type { Language, SkillName } from "../types";
import type { AgentTools } from "./tools";

export interface SkillContext {
  shopId: string;
  language: Language;
  memory: AgentMemory;
  /** From the app proxy's signed query only: a proven shopper. */
  loggedInCustomerId: string | null;
  tools: AgentTools;
}

/** A skill: what it does (the LLM brain reads the description), its typed arguments, and what it found. */
export interface Skill<Args, Result> {
  name: SkillName;
  description: string;
  args: z.ZodType<Args>;
  run(context: SkillContext, args: Args): Promise<Result>;
}

/** What every skill result carries: how it went and what the agent should remember. */
export interface SkillResultBase {
  status: "answered" | "needs-info" | "no-match" | "handoff";
  memory: Partial<AgentMemory>;
}
