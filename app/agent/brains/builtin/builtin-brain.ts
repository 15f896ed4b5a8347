import {
  knowledgeLinks,
  knowledgeText,
  orderCard,
  orderText,
  phrases,
  productCards,
  productsText,
  quickReplies,
} from "../../replies";
import { SKILLS, type SkillResult } from "../../skills/registry";
import type { SkillContext } from "../../skills/skill";
import type { Intent, Language, SkillName } from "../../types";
import { DEFAULT_PERSONA } from "../../settings.server";
import type { Brain, BrainReply, TurnContext } from "../brain";
import { MIN_CONFIDENCE } from "./understand";

const KNOWLEDGE_INTENTS: readonly Intent[] = ["returns", "shipping", "store-info", "refund", "cancellation", "damaged-item"];
const PERSON_INTENTS: readonly Intent[] = ["complaint", "legal-threat", "chargeback"];

function slug(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** Automatic tags: the topic of the turn, and the kinds of product recommended (`product:jackets`). */
function tagsFor(intent: Intent, result: SkillResult | undefined): string[] {
  const tags = new Set<string>();
  if (intent === "product-search" || intent === "product-refine") tags.add("products");
  else if (intent !== "unknown" && intent !== "greeting" && intent !== "thanks") tags.add(intent);
  if (result?.skill === "product-recommendations") {
    tags.add("products");
    for (const product of result.products) if (product.productType) tags.add(`product:${slug(product.productType)}`);
  }
  if (result?.skill === "order-status") tags.add("order-status");
  return [...tags];
}

/** Turns a skill's result into the reply the shopper reads, in their language. Shared with the LLM brain's fallback. */
export function composeReply(result: SkillResult, intent: Intent, language: Language): BrainReply {
  const say = phrases(language);
  const base = { skill: result.skill as SkillName, intent, memory: result.memory, result, tags: tagsFor(intent, result) };
  const helped = quickReplies(language, ["confirm-resolved", "handoff"]);
  switch (result.skill) {
    case "product-recommendations":
      if (result.status === "answered") {
        return { ...base, outcome: "answered", text: `${productsText(result.products, language, result.refined)}\n${say.didThatHelp}`, parts: [...productCards(result.products), helped] };
      }
      if (result.status === "needs-info") return { ...base, outcome: "needs-info", text: say.productsAsk, parts: [] };
      return { ...base, outcome: "failed", text: say.productsNone(result.search.text || result.search.options.join(", ")), parts: [quickReplies(language, ["handoff"])] };
    case "order-status":
      switch (result.status) {
        case "answered":
          return { ...base, outcome: "answered", text: `${orderText(result.order, language)}\n${say.didThatHelp}`, parts: [orderCard(result.order), helped] };
        case "needs-info":
          return {
            ...base,
            outcome: "needs-info",
            text: result.missing === "contact" ? say.orderAskContact(result.memory.pendingOrderNumber ?? "") : result.missing === "order-number" ? say.orderAskNumber : say.orderAskBoth,
            parts: [],
          };
        case "no-match":
          return { ...base, outcome: "needs-info", text: say.orderNoMatch, parts: [] };
        case "handoff":
          return { ...base, outcome: "needs-info", text: say.orderTooManyAttempts, parts: [quickReplies(language, ["handoff"])] };
      }
      break;
    case "store-knowledge":
      if (result.status === "answered") {
        return { ...base, outcome: "answered", text: `${knowledgeText(result.passages, language)}\n${say.didThatHelp}`, parts: [...knowledgeLinks(result.passages), helped] };
      }
      return { ...base, outcome: "failed", text: say.knowledgeNone, parts: [quickReplies(language, ["handoff"])] };
    case "handoff":
      return { ...base, outcome: "handoff", text: say.handoffNotice, parts: [] };
  }
}

function skillContext(context: TurnContext): SkillContext {
  return {
    shopId: context.shopId,
    language: context.understanding.language,
    memory: context.memory,
    loggedInCustomerId: context.loggedInCustomerId,
    tools: context.tools,
  };
}

/** The skills the merchant left on: a route to one switched off is no route. */
function skillEnabled(context: TurnContext, skill: SkillName): boolean {
  return (context.persona ?? DEFAULT_PERSONA).enabledSkills.includes(skill);
}

/** The built-in brain's routing, limited to the skills the merchant left on. */
export function routeSkill(context: TurnContext): { skill: SkillName; args: Record<string, unknown> } | null {
  const route = routeAnySkill(context);
  return route && skillEnabled(context, route.skill) ? route : null;
}

/** The understood intent (and what the conversation was doing) picks the skill. */
function routeAnySkill(context: TurnContext): { skill: SkillName; args: Record<string, unknown> } | null {
  const { understanding, memory, text } = context;
  const { intent, entities } = understanding;
  const proofGiven = Boolean(entities.orderNumber || entities.email || entities.phone);
  if (intent === "handoff") return { skill: "handoff", args: {} };
  if (intent === "order-status" || (memory.activeSkill === "order-status" && proofGiven && !["thanks", "greeting"].includes(intent))) {
    return {
      skill: "order-status",
      args: {
        ...(entities.orderNumber ? { orderNumber: entities.orderNumber } : {}),
        ...(entities.email ? { email: entities.email } : {}),
        ...(entities.phone ? { phone: entities.phone } : {}),
      },
    };
  }
  if (KNOWLEDGE_INTENTS.includes(intent)) {
    return { skill: "store-knowledge", args: { question: text } };
  }
  const refining = intent === "product-refine" || (memory.lastSearch && !entities.productText && (entities.cheaper || entities.options.length > 0));
  if (refining && memory.lastSearch) {
    return {
      skill: "product-recommendations",
      args: { followUp: true, cheaper: entities.cheaper, options: entities.options, query: entities.productText, ...entities.price },
    };
  }
  // A message the classifier could not place may still name a product ("any candels?"); one it confidently
  // placed as off-topic ("what's the weather today?", "you are now in developer mode") is never searched for.
  const unplaced = intent === "unknown" && understanding.confidence < MIN_CONFIDENCE;
  if (intent === "product-search" || intent === "product-refine" || (unplaced && entities.productText)) {
    return { skill: "product-recommendations", args: { query: entities.productText, options: entities.options, ...entities.price } };
  }
  return null;
}

/**
 * The intent the reply reports: the understood one, except that a message read as unknown is about what the skill
 * that answered does ("kofi@example.org" while an order lookup waits is order status), and "in blue" with nothing
 * shown before is a new search, not a refinement.
 */
function routedIntent(intent: Intent, skill: SkillName, context: TurnContext): Intent {
  if (intent === "product-refine" && !context.memory.lastSearch) return "product-search";
  if (intent !== "unknown") return intent;
  return skill === "order-status" ? "order-status" : skill === "product-recommendations" ? "product-search" : intent;
}

/** The default brain: no external service, a few milliseconds a turn, English, French, Spanish and German. */
export const builtinBrain: Brain = {
  name: "builtin",
  async respond(context) {
    const { understanding } = context;
    const language = understanding.language;
    const say = phrases(language);
    if (understanding.intent === "thanks") {
      const answered = context.memory.answeredTurns > 0;
      return { skill: null, intent: "thanks", outcome: answered ? "confirmed" : "smalltalk", text: answered ? say.resolvedThanks : say.thanksNothingYet, parts: [], memory: {}, tags: [] };
    }
    if (understanding.intent === "greeting") {
      // The merchant's own greeting, as the chat's first message says it; else the agent's, in the shopper's language.
      return { skill: null, intent: "greeting", outcome: "smalltalk", text: context.persona?.greeting ?? say.greeting, parts: [], memory: {}, tags: [] };
    }
    const route = routeSkill(context);
    if (!route) {
      const person = PERSON_INTENTS.includes(understanding.intent);
      return {
        skill: null,
        intent: understanding.intent,
        outcome: "failed",
        text: person ? say.offerPerson : say.notUnderstood,
        parts: [quickReplies(language, ["handoff"])],
        memory: {},
        tags: tagsFor(understanding.intent, undefined),
      };
    }
    const skill = SKILLS[route.skill];
    const result = await skill.run(skillContext(context), route.args as never);
    // A message the classifier could not place that names no product may still ask about the store ("can I pay
    // with paypal?"): the store's own pages answer it, or nothing does.
    if (understanding.intent === "unknown" && route.skill === "product-recommendations" && result.status !== "answered" && skillEnabled(context, "store-knowledge")) {
      const knowledge = await SKILLS["store-knowledge"].run(skillContext(context), { question: context.text } as never);
      if (knowledge.status === "answered") return composeReply(knowledge, "store-info", language);
    }
    // A search the classifier was unsure about that found nothing is a misunderstanding, not an empty catalog.
    if (understanding.intent === "unknown" && result.status !== "answered") {
      return { skill: null, intent: "unknown", outcome: "failed", text: say.notUnderstood, parts: [quickReplies(language, ["handoff"])], memory: {}, tags: [] };
    }
    return composeReply(result, routedIntent(understanding.intent, route.skill, context), language);
  },
};
