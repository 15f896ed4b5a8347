import { searchProducts } from "../catalog/search.server";
import { searchKnowledge } from "../knowledge/search.server";
import { lookupOrder } from "../orders/lookup.server";
import type { AgentTools } from "./skills/tools";

/** The domain functions behind the skills: the catalog search, the store knowledge search and the order lookup. */
export const agentTools: AgentTools = { searchProducts, searchKnowledge, lookupOrder };
