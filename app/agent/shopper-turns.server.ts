import { receiveShopperMessage, type ReceivedMessage, type ShopperMessageInput } from "../conversations/shopper-messages.server";
import type { Sql } from "../db.server";
import type { InstalledShop } from "../shops/shops.server";
import { enqueueAgentTurn, runAgentTurn } from "./engine.server";
import { agentSettings } from "./settings.server";
import { agentTools } from "./tools.server";
import { logger } from "../logger.server";

/** Longer than an inline built-in turn can take: the backup job finds the turn answered and does nothing. */
const INLINE_TURN_BACKUP_SECONDS = 30;

/**
 * A shopper's message on any channel, and the agent's turn for it. The message and its turn's job are one commit,
 * so a crash at any point leaves the message stored and the turn queued; the job, keyed by the message, and the
 * reply, unique per message, make sure it is answered once. The built-in brain answers inline (the reply is in
 * the response); the LLM brain's turn runs in the background and the widget shows "typing" until it lands.
 * Escalated conversations get no turn: only staff answer them.
 */
export async function answerShopperMessage(
  shop: Pick<InstalledShop, "settings">,
  input: ShopperMessageInput,
  /** The channel's own part of the commit (a channel conversation remembers the shopper's address). */
  alsoInTransaction?: (sql: Sql, received: ReceivedMessage) => Promise<void>,
): Promise<ReceivedMessage> {
  const inline = agentSettings(shop.settings).brain === "builtin";
  const received = await receiveShopperMessage(input, async (sql, message) => {
    await alsoInTransaction?.(sql, message);
    if (message.status !== "escalated") {
      await enqueueAgentTurn(message.messageId, { within: sql, ...(inline ? { delaySeconds: INLINE_TURN_BACKUP_SECONDS } : {}) });
    }
  });
  if (inline && received.status !== "escalated") {
    try {
      await runAgentTurn(received.messageId, { tools: agentTools });
    } catch (error) {
      // The message is stored and its backup job is queued: the shopper is answered when that job runs.
      logger().warn({ source: "agent", messageId: received.messageId, err: error }, "inline turn failed; its queued job will answer");
    }
  }
  return received;
}
