/**
 * The storefront widget's contract with the app, through Shopify's app proxy. `{proxyPath}` is /apps/customer-agent;
 * Shopify forwards it to the app's /proxy/* with a signed query (shop, logged_in_customer_id, …) and no cookies, so
 * the shopper is known only by `anonymousId` (random, kept in localStorage) and the signed customer id.
 *
 *   POST {proxyPath}/conversations
 *        { anonymousId, message, email?, phone?, klaviyoExchangeId?, consent: { analytics, marketing } }
 *   POST {proxyPath}/conversations/{conversationId}/messages
 *        { anonymousId, message, email?, phone?, consent: { analytics, marketing } }
 *   POST {proxyPath}/conversations/{conversationId}/escalate   { anonymousId }
 *   GET  {proxyPath}/conversations/{conversationId}?anonymousId={anonymousId}
 *
 * Every call answers 200 with
 *   { conversationId, status: "open"|"escalated"|"resolved"|"closed",
 *     agentTyping: boolean,
 *     messages: [{ id, author: "shopper"|"agent"|"staff"|"system", body, parts, createdAt }] }   (all messages, oldest first)
 * or 4xx with { error: "<message the shopper may read>" }; 404 when the conversation is not this shopper's.
 * `email`/`phone` come from `CustomerAgent.identify()` or the logged-in customer; `klaviyoExchangeId` from
 * Klaviyo's `__kla_id` cookie; consent values are null when the store has no Customer Privacy API, or it had not
 * loaded: the app then treats consent as not given and tells Klaviyo nothing about that message.
 *
 * This module holds only pure functions, unit-tested without a browser.
 */
export type MessageAuthor = "shopper" | "agent" | "staff" | "system";
export type ConversationStatus = "open" | "escalated" | "resolved" | "closed";

export interface ChatMessage {
  id: string;
  author: MessageAuthor;
  body: string;
  createdAt: string;
}

export interface ConversationView {
  conversationId: string;
  status: ConversationStatus;
  /** The agent is still working on the shopper's last message (an LLM turn runs in the background). */
  agentTyping: boolean;
  messages: ChatMessage[];
}

export interface Consent {
  analytics: boolean | null;
  marketing: boolean | null;
}

export interface Identity {
  email?: string;
  phone?: string;
}

export interface WidgetStrings {
  openChat: string;
  closeChat: string;
  title: string;
  messageLabel: string;
  messagePlaceholder: string;
  send: string;
  talkToPerson: string;
  typing: string;
  unavailable: string;
}

export interface WidgetConfig {
  shop: string;
  proxyPath: string;
  locale: string;
  customer: { id: string; email: string | null } | null;
  settings: { accentColor: string; greeting: string; position: "left" | "right"; showOnMobile: boolean };
  strings: WidgetStrings;
}

const DEFAULT_STRINGS: WidgetStrings = {
  openChat: "Open chat",
  closeChat: "Close chat",
  title: "Chat with us",
  messageLabel: "Your message",
  messagePlaceholder: "Type your message…",
  send: "Send",
  talkToPerson: "Talk to a person",
  typing: "The assistant is typing",
  unavailable: "The chat is unavailable right now. Please try again in a moment.",
};
const DEFAULT_ACCENT = "#1f6f5c";
const AUTHORS: ReadonlyArray<string> = ["shopper", "agent", "staff", "system"];
const STATUSES: ReadonlyArray<string> = ["open", "escalated", "resolved", "closed"];

const conversationPath = (proxyPath: string, conversationId: string) => `${proxyPath}/conversations/${encodeURIComponent(conversationId)}`;

export const endpoints = {
  startConversation: (proxyPath: string) => `${proxyPath}/conversations`,
  sendMessage: (proxyPath: string, conversationId: string) => `${conversationPath(proxyPath, conversationId)}/messages`,
  escalate: (proxyPath: string, conversationId: string) => `${conversationPath(proxyPath, conversationId)}/escalate`,
  conversation: (proxyPath: string, conversationId: string, anonymousId: string) => `${conversationPath(proxyPath, conversationId)}?anonymousId=${encodeURIComponent(anonymousId)}`,
};

export class WidgetConfigError extends Error {
  override name = "WidgetConfigError";
}

/** A refusal from the app, carrying its status so the widget can tell "gone" (404) from "try again". */
export class ChatApiError extends Error {
  override name = "ChatApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() ? value : fallback;
}

/** Reads the embed's JSON config; only a same-origin path is accepted, so messages can never leave the shop's domain. */
export function parseConfig(json: string | null | undefined): WidgetConfig {
  if (!json) throw new WidgetConfigError("#customer-agent-config is missing: is the Customer Agent app embed switched on?");
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new WidgetConfigError("#customer-agent-config is not valid JSON");
  }
  if (!isRecord(raw) || typeof raw.shop !== "string" || !raw.shop) throw new WidgetConfigError("#customer-agent-config needs the shop's domain");
  if (typeof raw.proxyPath !== "string" || !/^\/(?!\/)[\w\-./]*$/.test(raw.proxyPath)) throw new WidgetConfigError("#customer-agent-config needs proxyPath, a path on the shop's own domain");
  const settings = isRecord(raw.settings) ? raw.settings : {};
  const strings = isRecord(raw.strings) ? raw.strings : {};
  const customer = isRecord(raw.customer) && (typeof raw.customer.id === "string" || typeof raw.customer.id === "number") ? raw.customer : null;
  return {
    shop: raw.shop,
    proxyPath: raw.proxyPath.replace(/\/+$/, ""),
    locale: text(raw.locale, "en"),
    customer: customer ? { id: String(customer.id), email: typeof customer.email === "string" ? customer.email : null } : null,
    settings: {
      accentColor: typeof settings.accentColor === "string" && /^#[0-9a-f]{6}$/i.test(settings.accentColor) ? settings.accentColor : DEFAULT_ACCENT,
      greeting: text(settings.greeting, "Hi! How can we help?"),
      position: settings.position === "left" ? "left" : "right",
      showOnMobile: settings.showOnMobile !== false,
    },
    strings: Object.fromEntries(Object.entries(DEFAULT_STRINGS).map(([key, fallback]) => [key, text(strings[key], fallback)])) as unknown as WidgetStrings,
  };
}

/**
 * Klaviyo's onsite script keeps `__kla_id`: base64 JSON that carries `$exchange_id` once the browser is identified
 * (e.g. from an email click). Sent as `_kx`, it lets the app's events land on that Klaviyo profile.
 */
export function klaviyoExchangeId(cookies: string): string | null {
  const entry = cookies.split(/;\s*/).find((part) => part.startsWith("__kla_id="));
  if (!entry) return null;
  try {
    const encoded = decodeURIComponent(entry.slice("__kla_id=".length)).replace(/-/g, "+").replace(/_/g, "/");
    const decoded: unknown = JSON.parse(atob(encoded.padEnd(Math.ceil(encoded.length / 4) * 4, "=")));
    return isRecord(decoded) && typeof decoded.$exchange_id === "string" && decoded.$exchange_id ? decoded.$exchange_id : null;
  } catch {
    return null;
  }
}

/** `CustomerAgent.identify()`'s argument, checked so a merchant's typo fails loudly instead of silently. */
export function validateIdentity(input: unknown): Identity {
  if (!isRecord(input)) throw new TypeError("CustomerAgent.identify expects an object such as { email: \"ada@example.com\" }");
  const unknown = Object.keys(input).filter((key) => key !== "email" && key !== "phone");
  if (unknown.length) throw new TypeError(`CustomerAgent.identify accepts only email and phone, not ${unknown.join(", ")}`);
  const { email, phone } = input;
  if (email === undefined && phone === undefined) throw new TypeError("CustomerAgent.identify needs an email or a phone");
  if (email !== undefined && (typeof email !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))) {
    throw new TypeError(`CustomerAgent.identify: ${JSON.stringify(email)} is not an email address`);
  }
  if (phone !== undefined && (typeof phone !== "string" || !/^\+?[1-9]\d{6,14}$/.test(phone.replace(/[\s().-]/g, "")))) {
    throw new TypeError(`CustomerAgent.identify: ${JSON.stringify(phone)} is not a phone number (use international format, e.g. +15145550123)`);
  }
  return { ...(typeof email === "string" ? { email: email.trim() } : {}), ...(typeof phone === "string" ? { phone: phone.trim() } : {}) };
}

/** Checks the app's answer; messages by authors this widget does not know are left out rather than shown wrongly. */
export function parseConversationView(body: unknown): ConversationView {
  if (!isRecord(body) || typeof body.conversationId !== "string" || !STATUSES.includes(String(body.status)) || !Array.isArray(body.messages)) {
    throw new ChatApiError(502, "The chat answered with something unexpected");
  }
  const messages = body.messages.filter(
    (message): message is ChatMessage => isRecord(message) && typeof message.id === "string" && typeof message.body === "string" && typeof message.createdAt === "string" && AUTHORS.includes(String(message.author)),
  );
  return { conversationId: body.conversationId, status: body.status as ConversationStatus, agentTyping: body.agentTyping === true, messages };
}

/** The shopper's tracking choices from Shopify's Customer Privacy API; null where the store cannot tell. */
export function consentFrom(privacy: { analyticsProcessingAllowed(): boolean; marketingAllowed(): boolean } | undefined): Consent {
  if (!privacy) return { analytics: null, marketing: null };
  try {
    return { analytics: privacy.analyticsProcessingAllowed(), marketing: privacy.marketingAllowed() };
  } catch {
    return { analytics: null, marketing: null };
  }
}

function relativeLuminance(hex: string): number {
  const [red, green, blue] = [1, 3, 5].map((start) => {
    const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** White or near-black text, whichever contrasts more with the merchant's accent colour (WCAG contrast ratio). */
export function readableTextColor(background: string): "#ffffff" | "#1a1a1a" {
  const luminance = relativeLuminance(background);
  const againstWhite = 1.05 / (luminance + 0.05);
  const againstDark = (luminance + 0.05) / (relativeLuminance("#1a1a1a") + 0.05);
  return againstWhite >= againstDark ? "#ffffff" : "#1a1a1a";
}
