import { ChannelSendError, type ChannelSender } from "../channel";
import { readTwilioSettings, twilioStatusCallbackUrl } from "../settings.server";
import { CHANNEL_STRINGS } from "../strings";
import { sendTwilioMessage, type TwilioTemplate } from "./client.server";

/** How a queued WhatsApp re-engagement template says so in its row's details (app/channels/outbound.server.ts). */
export interface TemplateDetails {
  whatsappTemplate: TwilioTemplate;
}

function templateOf(details: Record<string, unknown>): TwilioTemplate | null {
  const template = (details as Partial<TemplateDetails>).whatsappTemplate;
  return template && typeof template.contentSid === "string" ? { contentSid: template.contentSid, contentVariables: template.contentVariables ?? {} } : null;
}

/** SMS and WhatsApp parts through the shop's Twilio account, from the shop's number for the channel. */
export const twilioSender: ChannelSender = {
  async send(message) {
    if (message.channel === "email") throw new Error("The Twilio sender carries SMS and WhatsApp only");
    const twilio = await readTwilioSettings(message.shopId);
    const from = message.channel === "sms" ? twilio?.smsNumber : twilio?.whatsappNumber;
    if (!twilio || !from) throw new ChannelSendError(CHANNEL_STRINGS.notConfigured(message.channel), false);
    return sendTwilioMessage(twilio, {
      channel: message.channel,
      from,
      to: message.recipient,
      content: templateOf(message.details) ?? { body: message.body },
      statusCallback: twilioStatusCallbackUrl(message.shopDomain),
    });
  },
};
