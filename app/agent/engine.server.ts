import type { Prisma } from "@prisma/client";
import { loadTurnInput, storeAgentReply } from "../conversations/agent-replies.server";
import { SHOPPER_REQUESTED } from "../conversations/conversations.server";
import type { Sql } from "../db.server";
import type { RecommendedProduct } from "../klaviyo/events";
import { jobIdFor, jobQueue, QUEUES } from "../jobs/queue.server";
import type { Brain, BrainReply, TurnContext } from "./brains/brain";
import { builtinBrain } from "./brains/builtin/builtin-brain";
import { understand } from "./brains/builtin/understand";
import { llmBrain } from "./brains/llm/llm-brain.server";
import { metrics } from "../operations/metrics.server";
import { escalationRules } from "./escalation-rules.server";
import { readMemory, type AgentMemory } from "./memory";
import { phrases } from "./replies";
import { scheduleQuietResolution } from "./resolution.server";
import { matchEscalationRule, signalsFrom } from "./rules";
import { agentSettings, storedAgentSettings, type AgentSettings } from "./settings.server";
import type { AgentTools } from "./skills/tools";
import { asksForConfirmation, type Intent, type Understanding } from "./types";

const HISTORY_MESSAGES = 20;

export interface TurnOptions {
  tools: AgentTools;
  /** Which brain answers; by default the shop's (built-in unless the LLM brain is configured). */
  brain?: (settings: AgentSettings) => Brain;
}

export type TurnResult =
  | { status: "replied"; replyId: string; outcome: BrainReply["outcome"] | "escalated"; intent: Intent; skill: string | null; escalationReason?: string }
  | { status: "skipped"; reason: "not-found" | "not-a-shopper-message" | "already-answered" | "escalated" };

function recommendedProducts(reply: BrainReply | null): RecommendedProduct[] | undefined {
  if (reply?.result?.skill !== "product-recommendations" || reply.result.status !== "answered") return undefined;
  return reply.result.products.map((product) => ({
    id: product.shopifyProductId,
    title: product.title,
    sku: product.sku,
    url: product.url,
    imageUrl: product.imageUrl,
    price: product.price,
  }));
}

function orderValue(reply: BrainReply): number | undefined {
  return reply.result?.skill === "order-status" && reply.result.status === "answered" ? Number(reply.result.order.totalPrice) : undefined;
}

function nextMemory(memory: AgentMemory, understanding: Understanding, reply: BrainReply | null, failuresInARow: number): AgentMemory {
  return {
    ...memory,
    ...(reply?.memory ?? {}),
    language: understanding.language,
    failuresInARow,
    answeredTurns: memory.answeredTurns + (reply?.outcome === "answered" ? 1 : 0),
    llmTokens: memory.llmTokens + (reply?.tokens ?? 0),
  };
}

/**
 * One agent turn for one shopper message: load the thread, shopper and shop settings; check the escalation rules
 * first; let the brain pick a skill and compose the reply; store it with its skill, intent, tags and parts in one
 * transaction with the status change and outbox events. Safe to run twice for the same message (a retried job,
 * the inline turn and its backup): the second run stores nothing.
 */
export async function runAgentTurn(shopperMessageId: string, options: TurnOptions): Promise<TurnResult> {
  const started = performance.now();
  const input = await loadTurnInput(shopperMessageId, HISTORY_MESSAGES);
  if (!input) return { status: "skipped", reason: "not-found" };
  const { message, conversation, shopper } = input;
  if (message.author !== "shopper") return { status: "skipped", reason: "not-a-shopper-message" };
  const settings = agentSettings(input.shopSettings);
  if (input.answered) {
    // The turn finished but its worker may have died before scheduling the quiet-time resolution.
    if (asksForConfirmation(input.answered.parts)) {
      await scheduleAfterAnswer(conversation.shopId, conversation.id, input.answered.id, settings);
    }
    return { status: "skipped", reason: "already-answered" };
  }
  if (conversation.status === "escalated") return { status: "skipped", reason: "escalated" };

  const memory = readMemory(conversation.agentMemory);
  const understanding = await understand(message.body, { previousLanguage: memory.language });
  const rules = storedAgentSettings(input.shopSettings).defaultRulesCreatedAt
    ? input.escalationRules
    : await escalationRules(conversation.shopId, input.shopSettings);
  const context: TurnContext = {
    shopId: conversation.shopId,
    text: message.body,
    understanding,
    memory,
    loggedInCustomerId: shopper.shopifyCustomerId && conversation.channel === "web_chat" ? shopper.shopifyCustomerId : null,
    history: input.history,
    tools: options.tools,
    persona: settings.persona,
  };

  // Rules first: a matching rule hands off before any brain speaks.
  let rule = matchEscalationRule(rules, signalsFrom(message.body, understanding, { failuresInARow: memory.failuresInARow }));
  let reply: BrainReply | null = null;
  let failuresInARow = memory.failuresInARow;
  const brain = (options.brain ?? defaultBrain)(settings);
  if (!rule) {
    reply = await brain.respond(context);
    failuresInARow = reply.outcome === "failed" ? memory.failuresInARow + 1 : reply.outcome === "needs-info" ? memory.failuresInARow : 0;
    // Rules on what this turn found (the order's value, another failure) still come before the reply is shown.
    rule = matchEscalationRule(rules, signalsFrom(message.body, understanding, { failuresInARow, orderValue: orderValue(reply) }));
  }

  const say = phrases(understanding.language);
  const escalation = rule ? { reason: rule.name } : reply?.outcome === "handoff" ? { reason: SHOPPER_REQUESTED } : undefined;
  const intent = reply?.intent ?? understanding.intent;
  const stored = await storeAgentReply({
    shopId: conversation.shopId,
    conversationId: conversation.id,
    replyToId: message.id,
    body: rule ? say.handoffNotice : reply!.text,
    skill: rule ? "handoff" : reply!.skill,
    intent,
    tags: [...new Set([...(reply?.tags ?? []), ...understanding.intents.filter((entry) => entry !== "unknown" && entry !== "thanks" && entry !== "greeting").map(tagOf)])],
    parts: (rule ? [] : reply!.parts) as Prisma.InputJsonValue[],
    memory: nextMemory(memory, understanding, rule ? null : reply, rule ? 0 : failuresInARow) as Prisma.InputJsonObject,
    ...(escalation ? { escalation } : {}),
    ...(!escalation && reply?.outcome === "confirmed" ? { resolve: true } : {}),
    ...(!rule ? { recommendation: recommendedProducts(reply) } : {}),
  });
  if (!stored.stored) return { status: "skipped", reason: stored.reason };
  if (!escalation && reply?.outcome === "answered") {
    await scheduleAfterAnswer(conversation.shopId, conversation.id, stored.messageId, settings);
  }
  // Under the shop's brain even when a rule answered first: the figure is what shoppers of that setup wait.
  metrics().agentTurnDuration.observe({ brain: brain.name }, (performance.now() - started) / 1000);
  return {
    status: "replied",
    replyId: stored.messageId,
    outcome: escalation ? "escalated" : reply!.outcome,
    intent,
    skill: stored.skill,
    ...(escalation ? { escalationReason: escalation.reason } : {}),
  };
}

function tagOf(intent: Intent): string {
  return intent === "product-search" || intent === "product-refine" ? "products" : intent;
}

function defaultBrain(settings: AgentSettings): Brain {
  return settings.brain === "llm" && settings.llm ? llmBrain(settings.llm) : builtinBrain;
}

async function scheduleAfterAnswer(shopId: string, conversationId: string, answerId: string, settings: AgentSettings) {
  await scheduleQuietResolution({ shopId, conversationId, answerId }, settings.quietResolutionMinutes);
}

/**
 * Queues the turn for a stored shopper message, keyed by the message id (one job per message, whoever sends it).
 * The LLM brain's turns run only this way; built-in turns run inline and this job is their backup after a crash.
 * With `within`, the job is written in the caller's transaction, so it exists exactly when the message does.
 */
export async function enqueueAgentTurn(shopperMessageId: string, options: { delaySeconds?: number; within?: Sql } = {}): Promise<void> {
  const boss = await jobQueue();
  const within = options.within;
  await boss.send(
    QUEUES.agentTurn,
    { messageId: shopperMessageId },
    {
      id: jobIdFor("agent-turn", shopperMessageId),
      ...(options.delaySeconds ? { startAfter: options.delaySeconds } : {}),
      ...(within ? { db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: await within.query(text, values) }) } } : {}),
    },
  );
}
