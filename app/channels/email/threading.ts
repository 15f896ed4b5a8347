import { randomUUID } from "node:crypto";

/** Where a reply sits in its thread: the headers a mail client threads by (RFC 5322 §3.6.4). */
export interface ThreadHeaders {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  subject: string;
}

/** Mail clients keep at most a few dozen references; the thread's root and its latest ids are the ones that matter. */
const MAX_REFERENCES = 20;

/** A Message-ID of ours for a unique key (a queued message's id: its retries keep the id), under the from address's domain as RFC 5322 recommends. */
export function stableMessageId(key: string, fromAddress: string): string {
  const domain = fromAddress.split("@")[1]?.trim().toLowerCase() || "customer-agent.invalid";
  return `<ca.${key}@${domain}>`;
}

export function newMessageId(fromAddress: string): string {
  return stableMessageId(randomUUID(), fromAddress);
}

/** "Re: " once, whatever the shopper's client added before ("RE:", "Re: Re:", "Aw:", "Fwd:" is left as it is). */
export function replySubject(subject: string | null | undefined, fallback: string): string {
  const base = (subject ?? "").replace(/^(\s*(re|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i, "").trim();
  return `Re: ${base || fallback}`;
}

/**
 * The thread headers of our email `messageId` answering `parent`: In-Reply-To is the parent's Message-ID,
 * References the parent's References followed by it (trimmed to the root and the newest).
 */
export function replyThreadHeaders(parent: { messageId: string; references: string[]; subject: string | null }, messageId: string, fallbackSubject: string): ThreadHeaders {
  const chain = [...parent.references.filter((id) => id !== parent.messageId), parent.messageId];
  const references = chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  return { messageId, inReplyTo: parent.messageId, references, subject: replySubject(parent.subject, fallbackSubject) };
}
