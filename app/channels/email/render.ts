import { formatMoney } from "../../agent/replies";
import { messagePart, type Language, type MessagePart } from "../../agent/types";

export interface RenderedEmail {
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe to place in HTML content or a quoted attribute. Every value from a message or the catalog goes through it. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/** Only web links become href or src: a `javascript:` or `data:` URL from a product record never reaches a mail client. */
function webUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => `<p style="margin:0 0 12px">${block.split("\n").map(escapeHtml).join("<br>")}</p>`)
    .join("\n");
}

function productItem(product: Extract<MessagePart, { type: "product" }>, language: Language): string {
  const url = webUrl(product.url);
  const image = webUrl(product.imageUrl);
  const title = escapeHtml(product.title);
  const price = escapeHtml(formatMoney(product.price, product.currencyCode, language));
  const link = (content: string) => (url ? `<a href="${escapeHtml(url)}" style="color:#1a5fb4">${content}</a>` : content);
  return [
    `<li style="margin:0 0 12px;list-style:none">`,
    image ? link(`<img src="${escapeHtml(image)}" alt="${title}" width="96" height="96" style="display:block;border:0;object-fit:cover">`) : "",
    `<div>${link(`<strong>${title}</strong>`)} ${price}</div>`,
    `</li>`,
  ].join("");
}

/**
 * An agent or staff message as an email: the text part is the message's own text (it stands alone, as in SMS);
 * the HTML part shows the same text, with product recommendations as a list of linked cards with images instead
 * of their text lines, and knowledge links as links. Everything interpolated is escaped.
 */
export function renderReplyEmail(input: { body: string; parts: unknown; language?: Language }): RenderedEmail {
  const language = input.language ?? "en";
  const parts = (Array.isArray(input.parts) ? input.parts : []).flatMap((part) => {
    const parsed = messagePart.safeParse(part);
    return parsed.success ? [parsed.data] : [];
  });
  const products = parts.filter((part) => part.type === "product");
  const links = parts.filter((part) => part.type === "link");
  const productList = products.length ? `<ul style="margin:0 0 12px;padding:0">${products.map((product) => productItem(product, language)).join("")}</ul>` : "";
  // The text names each product on a line with its link; in HTML the list of cards stands where those lines were.
  const productUrls = products.map((product) => product.url);
  const blocks: string[] = [];
  let prose: string[] = [];
  let listPlaced = false;
  for (const line of input.body.split("\n")) {
    if (!productUrls.some((url) => line.includes(url))) {
      prose.push(line);
      continue;
    }
    if (listPlaced) continue;
    blocks.push(paragraphs(prose.join("\n")), productList);
    prose = [];
    listPlaced = true;
  }
  blocks.push(paragraphs(prose.join("\n")));
  if (!listPlaced) blocks.push(productList);
  const linkList = links.length
    ? `<ul style="margin:0 0 12px">${links
        .map((link) => {
          const url = webUrl(link.url);
          return `<li>${url ? `<a href="${escapeHtml(url)}">${escapeHtml(link.title)}</a>` : escapeHtml(link.title)}</li>`;
        })
        .join("")}</ul>`
    : "";
  const html = [
    `<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.45;color:#202223">`,
    ...blocks,
    linkList,
    `</body></html>`,
  ]
    .filter(Boolean)
    .join("\n");
  return { text: input.body.trim(), html };
}
