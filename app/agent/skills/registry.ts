import { handoff, type HandoffResult } from "./handoff";
import { orderStatus, type OrderStatusResult } from "./order-status";
import { productRecommendations, type ProductRecommendationResult } from "./product-recommendations";
import type { Skill } from "./skill";
import { storeKnowledge, type StoreKnowledgeResult } from "./store-knowledge";
import type { SkillName } from "../types";

export type SkillResult = ProductRecommendationResult | OrderStatusResult | StoreKnowledgeResult | HandoffResult;

/** Every skill the agent has, in one place: both brains route to these and nothing else. */
export const SKILLS: Record<SkillName, Skill<never, SkillResult>> = {
  "product-recommendations": productRecommendations as Skill<never, SkillResult>,
  "order-status": orderStatus as Skill<never, SkillResult>,
  "store-knowledge": storeKnowledge as Skill<never, SkillResult>,
  handoff: handoff as Skill<never, SkillResult>,
};
