import { z } from "zod";
import { ReplyWindowClosedError, ShopperOptedOutError } from "../../channels/channel";
import type { ReplyDelivery } from "../../channels/outbound.server";
import { addStaffReply, classifyConversation, closeConversation, resolveConversation } from "../../conversations/conversations.server";
import { conversationThread, shopperLabel } from "../../conversations/inbox.server";
import { ConversationNotFoundError, MAX_MESSAGE_LENGTH } from "../../conversations/shopper-messages.server";
import { messagePart, type MessagePart } from "../../agent/types";
import { en } from "../../admin/strings/en";

/** Parts the admin shows; a part that no longer matches the contract (older data) is left out, never an error. */
function readableParts(parts: unknown): MessagePart[] {
  if (!Array.isArray(parts)) return [];
  return parts.flatMap((part) => {
    const parsed = messagePart.safeParse(part);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function loadConversationPage(shopId: string, conversationId: string) {
  const thread = await conversationThread(shopId, conversationId);
  if (!thread) throw new Response("This conversation does not exist, or was deleted with the shopper's data.", { status: 404 });
  const waiting = new Set(thread.channelMessages.map((part) => part.messageId));
  return {
    now: new Date().toISOString(),
    id: thread.id,
    shopper: shopperLabel(thread.shopper),
    identifiers: { email: thread.shopper.email, phone: thread.shopper.phone, customerId: thread.shopper.shopifyCustomerId },
    status: thread.status,
    channel: thread.channel,
    emailSubject: thread.emailThreadMessages[0]?.subject || null,
    skill: thread.skill,
    tags: thread.tags,
    escalationReason: thread.escalationReason,
    messages: thread.messages.map((message) => ({
      id: message.id,
      author: message.author,
      body: message.body,
      skill: message.skill,
      intent: message.intent,
      parts: readableParts(message.parts),
      waitingForShopper: waiting.has(message.id),
      at: message.createdAt.toISOString(),
    })),
    events: thread.klaviyoEvents.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })),
  };
}

const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reply"), body: z.string().trim().min(1, en.conversation.writeReplyFirst).max(MAX_MESSAGE_LENGTH) }),
  z.object({ intent: z.literal("close") }),
  z.object({ intent: z.literal("resolve") }),
  z.object({
    intent: z.literal("classify"),
    skill: z.string().trim().max(60).transform((value) => value || null),
    tags: z.string().max(500).transform((value) => value.split(",").map((tag) => tag.trim()).filter(Boolean)),
  }),
]);

export type ConversationActionResult = { intent: string; error: string | null; done: string | null };

/**
 * One staff action on the conversation. A reply the channel cannot carry (its reply window closed, the shopper opted
 * out) comes back as the error's own message, so the page shows it and keeps the typed text.
 */
export async function runConversationAction(shopId: string, conversationId: string, form: FormData): Promise<ConversationActionResult> {
  const text = en.conversation;
  const parsed = intent.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { intent: String(form.get("intent") ?? ""), error: parsed.error.issues.map((issue) => issue.message).join("; "), done: null };
  try {
    switch (parsed.data.intent) {
      case "reply": {
        let delivery: ReplyDelivery;
        try {
          ({ delivery } = await addStaffReply(shopId, conversationId, parsed.data.body));
        } catch (error) {
          // The channel cannot carry this reply (WhatsApp's 24-hour window, an opted-out shopper): say so, store nothing.
          if (error instanceof ReplyWindowClosedError || error instanceof ShopperOptedOutError) return { intent: "reply", error: error.message, done: null };
          throw error;
        }
        const done = { queued: text.replySent, "waiting-template-sent": text.replyWaitingTemplateSent, waiting: text.replyWaiting }[delivery];
        return { intent: "reply", error: null, done };
      }
      case "close":
        await closeConversation({ shopId, conversationId });
        return { intent: "close", error: null, done: text.closed };
      case "resolve": {
        // Only an open conversation is the agent's to resolve: one waiting for a person is closed by the team.
        const { resolved } = await resolveConversation({ shopId, conversationId });
        return resolved ? { intent: "resolve", error: null, done: text.resolved } : { intent: "resolve", error: text.resolveOnlyOpen, done: null };
      }
      case "classify":
        await classifyConversation({ shopId, conversationId, skill: parsed.data.skill, tags: parsed.data.tags });
        return { intent: "classify", error: null, done: text.saved };
    }
  } catch (error) {
    if (error instanceof ConversationNotFoundError) throw new Response("This conversation does not exist, or was deleted with the shopper's data.", { status: 404 });
    throw error;
  }
}
