import EmailReplyParser from "email-reply-parser";

/**
 * What the shopper wrote in this email, without the quoted thread below it and without their signature (the
 * maintained `email-reply-parser`: "On … wrote:", `>` quotes, "-----Original Message-----", "--" signatures,
 * "Sent from my iPhone"). Postmark's own StrippedTextReply is used when the parser leaves nothing (Postmark knows a
 * few more mail clients' quote styles); the whole text when both are empty, so a message is never lost.
 */
export function shopperReplyText(input: { text: string; strippedTextReply?: string | null }): string {
  const text = input.text.replace(/\r\n?/g, "\n");
  const visible = new EmailReplyParser().parseReply(text).trim();
  if (visible) return visible;
  const stripped = input.strippedTextReply?.replace(/\r\n?/g, "\n").trim();
  return stripped || text.trim();
}
