import { pool, sqlOf, withTransaction } from "../../db.server";
import { readMemory } from "../../agent/memory";
import { ChannelSendError, type ChannelSender, type OutboundChannelMessage } from "../channel";
import { readChannelSettings } from "../settings.server";
import { CHANNEL_STRINGS } from "../strings";
import { renderReplyEmail } from "./render";
import { sendSmtp, smtpSettingsOf } from "./smtp.server";
import { replyThreadHeaders, stableMessageId, replySubject } from "./threading";
import { latestShopperEmail, recordThreadEmail } from "./threads.server";

/**
 * The email channel's sender: one queued reply (the agent's or staff's) as a threaded email from the shop's
 * address through its SMTP server. It answers the shopper's newest email (In-Reply-To its Message-ID, References
 * the chain, "Re: " its subject) with a Message-ID made from the queued row's id, so a retry after an unclear
 * failure sends the same id and mail clients show it once; the HTML part shows product cards, the text part the
 * reply's text. The agent's replies say `Auto-Submitted: auto-replied` (RFC 3834), so other robots do not answer them.
 */
export const emailSender: ChannelSender = {
  async send(part: OutboundChannelMessage) {
    const settings = smtpSettingsOf(await readChannelSettings(part.shopId));
    if (!settings) throw new ChannelSendError(CHANNEL_STRINGS.emailNotConfigured, false);
    const { rows } = await pool().query<{ author: string; parts: unknown; agentMemory: unknown; shopName: string | null }>(
      `SELECT m.author, m.parts, c."agentMemory", s.name AS "shopName"
         FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" JOIN "Shop" s ON s.id = c."shopId"
        WHERE m.id = $1`,
      [part.messageId],
    );
    const message = rows[0];
    const shopName = message?.shopName ?? part.shopDomain.replace(/\.myshopify\.com$/, "");
    const messageId = stableMessageId(part.id, settings.fromAddress);
    const fallbackSubject = CHANNEL_STRINGS.emailSubject(shopName);
    // The thread's place is read and our email recorded before sending: the shopper's answer can arrive before this
    // worker could record anything after the send.
    const thread = await withTransaction(async (client) => {
      const sql = sqlOf(client);
      const parent = part.conversationId ? await latestShopperEmail(sql, part.conversationId) : null;
      const headers = parent
        ? replyThreadHeaders({ messageId: parent.rfcMessageId, references: parent.references, subject: parent.subject }, messageId, fallbackSubject)
        : { messageId, inReplyTo: null, references: [], subject: replySubject(null, fallbackSubject) };
      if (part.conversationId) {
        await recordThreadEmail(sql, part.shopId, {
          conversationId: part.conversationId,
          messageId: part.messageId,
          rfcMessageId: messageId,
          direction: "outbound",
          subject: headers.subject,
          references: headers.references,
        });
      }
      return headers;
    });
    const rendered = renderReplyEmail({ body: part.body, parts: message?.parts ?? [], language: readMemory(message?.agentMemory ?? {}).language });
    const sent = await sendSmtp(settings, {
      from: { name: shopName, address: settings.fromAddress },
      to: part.recipient,
      subject: thread.subject,
      messageId,
      ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo, references: thread.references } : {}),
      text: rendered.text,
      html: rendered.html,
      ...(message?.author === "agent" ? { headers: { "Auto-Submitted": "auto-replied" } } : {}),
    });
    return { providerMessageId: messageId, providerStatus: sent.response.slice(0, 200) };
  },
};
