import { ChannelSendError, type ChannelSender } from "../channel";
import { CHANNEL_STRINGS } from "../strings";

/**
 * EMAIL CHANNEL HOOK: the email channel's sender (SMTP through nodemailer, with the shop's settings from
 * ShopChannelSettings) replaces this. Until then an email reply fails at once with a clear reason on its
 * ChannelMessage row instead of being retried.
 */
export const emailSender: ChannelSender = {
  async send() {
    throw new ChannelSendError(CHANNEL_STRINGS.emailNotConfigured, false);
  },
};
