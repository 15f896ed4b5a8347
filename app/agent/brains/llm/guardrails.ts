/**
 * Checks an LLM reply before a shopper sees it. Every price, order detail and policy fact must come from a tool
 * result of this turn (or the shopper's own words), and nothing may leak that no answer should hold: the
 * instructions, a secret, or a discount code. A reply that fails is replaced by the built-in brain's answer.
 */
export interface Evidence {
  /** The JSON the tools returned in this turn. */
  toolResults: string[];
  shopperText: string;
  /** Strings that must never appear in a reply (the instructions' marker, the API key). */
  secrets: string[];
}

export type GuardrailVerdict = { ok: true } | { ok: false; reason: string };

const URL = /https?:\/\/[^\s"'<>)\]]+/gi;
const NUMBER = /\d+(?:[.,]\d+)*/g;
/** Tracking numbers, SKUs and codes: long runs of capitals and digits with at least one digit. */
const CODE = /\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{7,}\b/g;
const DISCOUNT = /\b(discount|promo|coupon|voucher|gift card|code promo|réduction|remise|descuento|cupón|cupon|rabatt|gutschein)\w*\b[^.\n]{0,40}\b[A-Z0-9]{4,}\b/i;

/** "189.00", "189,00", "1,189.00" and "189" are the same amount. */
function amounts(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.match(NUMBER) ?? []) {
    const normalised = match.replace(/[.,](?=\d{3}(\D|$))/g, "").replace(",", ".");
    const value = Number(normalised);
    if (Number.isFinite(value)) {
      found.add(String(value));
      found.add(value.toFixed(2));
    }
    found.add(match.replace(/\D/g, ""));
  }
  return found;
}

function stripUrls(text: string): string {
  return text.replace(URL, " ");
}

export function checkGrounded(reply: string, evidence: Evidence): GuardrailVerdict {
  for (const secret of evidence.secrets) {
    if (secret && reply.includes(secret)) return { ok: false, reason: "reveals a secret or the instructions" };
  }
  if (DISCOUNT.test(reply)) return { ok: false, reason: "offers a discount code" };
  const sources = [...evidence.toolResults, evidence.shopperText].join("\n");
  const known = amounts(stripUrls(sources));
  for (const url of reply.match(URL) ?? []) {
    const bare = url.replace(/[.,;:!?]+$/, "");
    if (!sources.includes(bare)) return { ok: false, reason: `links ${bare}, which no tool returned` };
  }
  for (const code of stripUrls(reply).match(CODE) ?? []) {
    if (!sources.includes(code)) return { ok: false, reason: `states ${code}, which no tool returned` };
  }
  for (const number of stripUrls(reply).match(NUMBER) ?? []) {
    const digits = number.replace(/\D/g, "");
    // Small counts ("2 options", "1 item") are not facts; prices, days, order and tracking numbers are.
    if (digits.length < 2 && !/[.,]/.test(number)) continue;
    const candidates = amounts(number);
    if (![...candidates].some((candidate) => known.has(candidate))) return { ok: false, reason: `states ${number}, which no tool returned` };
  }
  return { ok: true };
}
