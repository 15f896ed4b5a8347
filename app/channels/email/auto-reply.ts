import { headerValue, type EmailHeaders } from "./headers";

/** Why an inbound email is not a shopper writing, so it gets no conversation and no reply. */
export type AutomatedEmailReason =
  | "auto-submitted"
  | "precedence"
  | "autoreply-header"
  | "mailer-daemon"
  | "own-address";

const AUTOMATED_PRECEDENCE = new Set(["bulk", "junk", "list", "auto_reply"]);
// Bounces and delivery reports come from these local parts (RFC 3834 §2, common MTAs).
const SYSTEM_SENDERS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)(\+[^@]*)?@/i;

/**
 * Whether an inbound email was written by a machine: an out-of-office answer, a bounce, a mailing list, or our own
 * reply coming back. Answering any of them could loop two autoresponders forever (RFC 3834: never auto-answer a
 * message that is itself automatic). `ownAddresses` are the shop's from and inbound addresses, normalised.
 */
export function automatedEmailReason(input: { from: string; headers: EmailHeaders; ownAddresses: ReadonlyArray<string> }): AutomatedEmailReason | null {
  const autoSubmitted = headerValue(input.headers, "Auto-Submitted")?.toLowerCase();
  // "no" (RFC 3834) is what a person's mail says; anything else (auto-replied, auto-generated, auto-notified) is a machine.
  if (autoSubmitted && autoSubmitted.split(";")[0]!.trim() !== "no") return "auto-submitted";
  const precedence = headerValue(input.headers, "Precedence")?.toLowerCase();
  if (precedence && AUTOMATED_PRECEDENCE.has(precedence)) return "precedence";
  if (headerValue(input.headers, "X-Autoreply") !== null || headerValue(input.headers, "X-Autorespond") !== null) return "autoreply-header";
  const from = input.from.trim().toLowerCase();
  if (SYSTEM_SENDERS.test(from)) return "mailer-daemon";
  if (input.ownAddresses.includes(from)) return "own-address";
  return null;
}
