import type { ChannelSender, MessagingChannel } from "./channel";
import { emailSender } from "./email/sender.server";
import { twilioSender } from "./twilio/sender.server";

/** The sender the outbound queue uses for each channel's parts. SMS and WhatsApp share one provider, Twilio. */
export const CHANNEL_SENDERS: Record<MessagingChannel, ChannelSender> = {
  email: emailSender,
  sms: twilioSender,
  whatsapp: twilioSender,
};
