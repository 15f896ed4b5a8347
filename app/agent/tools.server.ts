import { searchProducts } from "../catalog/search.server";
import type { AgentTools } from "./skills/tools";

// LEAD-TEMP: replaced by the knowledge branch's real searchKnowledge and lookupOrder before landing.
export const agentTools: AgentTools = {
  searchProducts,
  searchKnowledge: async () => [],
  lookupOrder: async () => ({ found: false }),
};
