/**
 * A reply as text for SMS and WhatsApp, cut into parts the channel carries well. Product cards are already named
 * in the reply's text with their link (app/agent/replies.ts `productsText`); here each product link is shortened
 * to the product's page on the shop's domain, without query string or fragment, so a text spends its characters
 * on words.
 */
export function shortenProductLinks(text: string): string {
  return text.replace(/https?:\/\/[^\s]+\/products\/[^\s?#]+[?#][^\s]*/g, (link) => link.replace(/[?#].*$/, ""));
}

const BOUNDARIES = [/\n\s*\n/g, /\n/g, /(?<=[.!?…])\s+/g, /\s+/g];

/**
 * Cuts `text` into parts of at most `limit` characters (code points, so an emoji is never halved), preferring a
 * paragraph break, then a line break, then a sentence end, then a space; a word longer than a part is cut.
 * Parts are trimmed; an empty text gives no parts.
 */
export function splitIntoParts(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest) {
    const characters = Array.from(rest);
    if (characters.length <= limit) {
      parts.push(rest);
      break;
    }
    const window = characters.slice(0, limit + 1).join("");
    let cut = -1;
    for (const boundary of BOUNDARIES) {
      let last = -1;
      for (const match of window.matchAll(boundary)) if (match.index! > 0 && match.index! <= window.length - 1) last = match.index!;
      if (last > 0 && Array.from(window.slice(0, last)).length >= limit / 3) {
        cut = last;
        break;
      }
    }
    const head = cut > 0 ? window.slice(0, cut) : characters.slice(0, limit).join("");
    parts.push(head.trim());
    rest = rest.slice(head.length).trim();
  }
  return parts.filter(Boolean);
}
