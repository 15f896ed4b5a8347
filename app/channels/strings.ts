import type { MessagingChannel } from "./channel";

/** Every text of the channels' admin page and errors, in one place for translation. */
export const CHANNEL_NAMES: Record<MessagingChannel, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp" };

export const CHANNEL_STRINGS = {
  optedOut: (channel: MessagingChannel) =>
    `The shopper texted STOP on ${CHANNEL_NAMES[channel]}: nothing can be sent to them there until they text START. Your reply was not sent.`,
  replyWindowClosed: (channel: MessagingChannel, hours: number) =>
    `${CHANNEL_NAMES[channel]} only allows free-form replies within ${hours} hours of the shopper's last message, and that window has closed. Your reply was not sent; it can go out once the shopper writes again.`,
  /** Sent to a shopper who texts HELP. */
  helpAnswer: (shopName: string) => `${shopName}: reply to this number to chat with us. Text STOP to stop messages, START to resume.`,
  /** Sent to a shopper who texts START after STOP. */
  startAnswer: (shopName: string) => `${shopName}: you will get our messages again. Text STOP to stop them.`,
  notConfigured: (channel: MessagingChannel) => `${CHANNEL_NAMES[channel]} is not set up for this shop (Channels page).`,
  emailNotConfigured: "email sending not configured",
  page: {
    title: "Channels",
    intro: "Shoppers can reach the agent by email, SMS and WhatsApp as well as the web chat. Replies, the agent's and yours, go out on the channel the shopper wrote on.",
    twilioHeading: "SMS and WhatsApp (Twilio)",
    twilioHelp: "One Twilio account carries both. In Twilio, set each number's \"A message comes in\" webhook to the address below (HTTP POST).",
    accountSid: "Account SID",
    authToken: "Auth token",
    authTokenStored: "Stored (hidden). Leave empty to keep it; type a new one to replace it.",
    authTokenMissing: "Not set yet",
    smsNumber: "SMS number",
    whatsappNumber: "WhatsApp number",
    numberHelp: "With its country code, e.g. +14155550100",
    webhookUrl: "Inbound webhook URL",
    statusCallbackUrl: "Status callback URL (set automatically on each message)",
    emailHeading: "Email",
    emailHelp: "Forward your support address to the inbound address below; replies go out from your address through your SMTP server.",
    inboundAddress: "Inbound address",
    inboundAddressPending: "Shown here once email receiving is set up",
    fromAddress: "From address",
    smtpHost: "SMTP host",
    smtpPort: "SMTP port",
    smtpUser: "SMTP user",
    smtpPassword: "SMTP password",
    save: "Save",
    saved: "Channel settings saved",
    fixErrors: "Some settings need fixing; nothing was saved.",
    testHeading: "Send a test message",
    testChannel: "Channel",
    testTo: "Send to",
    testToHelp: "A phone number (SMS, WhatsApp) or email address of your own",
    sendTest: (channel: MessagingChannel) => `Send test ${CHANNEL_NAMES[channel]}`,
    testBody: (shopName: string) => `Test message from ${shopName}'s Customer Agent: this channel works.`,
    testSent: (channel: MessagingChannel, to: string) => `Test ${CHANNEL_NAMES[channel]} sent to ${to}.`,
    testFailed: (channel: MessagingChannel, reason: string) => `The test ${CHANNEL_NAMES[channel]} was not sent: ${reason}`,
  },
} as const;
