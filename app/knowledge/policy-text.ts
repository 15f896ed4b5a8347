/**
 * Shopify serves a policy's body as the HTML the merchant wrote in Settings → Policies (headings, paragraphs,
 * lists, line breaks). The agent quotes passages of it in plain text, so the HTML becomes blocks: each paragraph,
 * and each list as one block (a list answers one question: "Standard 3–5 days; Express 1–2 days"), under the
 * heading it follows.
 */
export interface PolicyPassageText {
  heading: string | null;
  text: string;
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ndash: "–", mdash: "—", hellip: "…", rsquo: "’", lsquo: "‘", rdquo: "”", ldquo: "“", euro: "€", pound: "£", copy: "©" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function inlineText(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
}

/** Short lines under one heading ("Email: …", "Phone: …") say something only together: one passage up to this size. */
const SHORT_BLOCK = 100;
const MERGED_PASSAGE = 500;

/**
 * Splits a policy body into passages; a body without block tags (plain text) splits on blank lines. Consecutive
 * short blocks under the same heading are kept together, so a contact page is quoted whole, not line by line.
 */
export function policyPassages(html: string): PolicyPassageText[] {
  const merged: Array<PolicyPassageText & { lines: boolean }> = [];
  for (const { list, ...block } of policyBlocks(html)) {
    const last = merged.at(-1);
    const line = !list && block.text.length <= SHORT_BLOCK;
    if (line && last?.lines && last.heading === block.heading && last.text.length + block.text.length < MERGED_PASSAGE) {
      last.text = `${last.text}\n${block.text}`;
    } else merged.push({ ...block, lines: line });
  }
  return merged.map(({ lines: _lines, ...passage }) => passage);
}

function policyBlocks(html: string): Array<PolicyPassageText & { list: boolean }> {
  const source = html.replace(/<!--[\s\S]*?-->/g, "").replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, "");
  const passages: Array<PolicyPassageText & { list: boolean }> = [];
  let heading: string | null = null;
  const block = /<(h[1-6]|p|ul|ol|blockquote)\b[^>]*>([\s\S]*?)<\/\1>/gi;
  let matched = false;
  for (const [, tag, inner] of source.matchAll(block)) {
    matched = true;
    const name = tag!.toLowerCase();
    if (name.startsWith("h")) {
      heading = inlineText(inner!) || heading;
      continue;
    }
    const text = name === "ul" || name === "ol"
      ? [...inner!.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/gi)].map(([, item]) => inlineText(item!)).filter(Boolean).join("\n")
      : inlineText(inner!);
    if (text) passages.push({ heading, text, list: name === "ul" || name === "ol" });
  }
  if (!matched) {
    for (const paragraph of source.split(/\n\s*\n|<br\s*\/?>\s*<br\s*\/?>/i)) {
      const text = inlineText(paragraph);
      if (text) passages.push({ heading: null, text, list: false });
    }
  }
  return passages;
}

/** The body as plain text: passages on their own lines, headings included. */
export function policyPlainText(html: string): string {
  const lines: string[] = [];
  let heading: string | null = null;
  for (const passage of policyPassages(html)) {
    if (passage.heading && passage.heading !== heading) lines.push(passage.heading);
    heading = passage.heading;
    lines.push(passage.text);
  }
  return lines.join("\n");
}
