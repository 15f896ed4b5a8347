import { z } from "zod";
import type { Skill, SkillResultBase } from "./skill";
import type { KnowledgeMatch } from "./tools";

const args = z.object({ question: z.string().trim().min(1).max(500).describe("The shopper's question about the store") });
export type StoreKnowledgeArgs = z.input<typeof args>;

export interface StoreKnowledgeResult extends SkillResultBase {
  skill: "store-knowledge";
  passages: KnowledgeMatch[];
}

/** Answers from the shop's policies and FAQ only: the reply quotes the passage and links the page. */
export const storeKnowledge: Skill<StoreKnowledgeArgs, StoreKnowledgeResult> = {
  name: "store-knowledge",
  description: "Search the store's policies (refund, shipping, privacy, terms, contact) and FAQ for the passage that answers a question.",
  args,
  async run(context, input) {
    const { question } = args.parse(input);
    const passages = await context.tools.searchKnowledge(context.shopId, question, { limit: 2 });
    return passages.length > 0
      ? { skill: "store-knowledge", status: "answered", passages, memory: { activeSkill: "store-knowledge" } }
      : { skill: "store-knowledge", status: "no-match", passages, memory: {} };
  },
};
