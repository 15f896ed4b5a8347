import { en } from "../admin/strings/en";
import type { MessagingChannel } from "./channel";

/**
 * What the channels say to shoppers (HELP and START answers, email subjects) and the errors staff see when a reply
 * cannot go out, in one place for translation; the Channels page's own texts are the admin's (app/admin/strings).
 */
const CHANNEL_NAMES = en.channels;

export const CHANNEL_STRINGS = {
  optedOut: (channel: MessagingChannel) =>
    `The shopper texted STOP on ${CHANNEL_NAMES[channel]}: nothing can be sent to them there until they text START. Your reply was not sent.`,
  replyWindowClosed: (channel: MessagingChannel, hours: number) =>
    `${CHANNEL_NAMES[channel]} only allows free-form replies within ${hours} hours of the shopper's last message, and that window has closed. Your reply was not sent; it can go out once the shopper writes again. To reach them now, set a WhatsApp re-engagement template (an approved Content SID) on the Channels page: your reply then sends it and goes out when the shopper answers.`,
  /** What the outbound log shows for the re-engagement template (Twilio renders the approved text itself). */
  reengagementTemplateSent: (contentSid: string) => `WhatsApp re-engagement template ${contentSid}`,
  /** Sent to a shopper who texts HELP. */
  helpAnswer: (shopName: string) => `${shopName}: reply to this number to chat with us. Text STOP to stop messages, START to resume.`,
  /** Sent to a shopper who texts START after STOP. */
  startAnswer: (shopName: string) => `${shopName}: you will get our messages again. Text STOP to stop them.`,
  notConfigured: (channel: MessagingChannel) => `${CHANNEL_NAMES[channel]} is not set up for this shop (Channels page).`,
  emailNotConfigured: "Email sending is not set up for this shop: enter a from address and an SMTP host on the Channels page.",
  smtpRefused: (answer: string) => `The SMTP server refused the email: ${answer}`,
  /** The subject of an email the agent or staff start without a shopper's email to answer. */
  emailSubject: (shopName: string) => `Your message to ${shopName}`,
  emailTestSubject: "Test email from your Customer Agent",
} as const;
