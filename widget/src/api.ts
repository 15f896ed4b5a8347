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
 *   GET  {proxyPath}/conversations/{conversationId}?anonymousId={anonymousId}[&after={createdAt}]
 *        (with `after`, only the messages created at or after that time: a poll asks for what is new)
 *
 * Every call answers 200 with
 *   { conversationId, status: "open"|"escalated"|"resolved"|"closed",
 *     agentTyping: boolean,
 *     messages: [{ id, author: "shopper"|"agent"|"staff"|"system", body, parts, createdAt }] }   (oldest first)
 * `parts` are an agent message's structured parts (app/agent/types.ts MessagePart): product cards, an order card,
 * links and quick replies; the body always says the same on its own, so a part this widget cannot read is skipped.
 * and, answering a message that typed an email or phone with consent to share it, `identify: { email?, phone_number? }`
 * for Klaviyo's onsite script; or 4xx with { error: "<message the shopper may read>" }: 404 when the conversation is
 * not this shopper's, 429 with Retry-After when messages come too fast, 409 when the conversation is full.
 * `email`/`phone` come from `CustomerAgent.identify()` or the logged-in customer; `klaviyoExchangeId` from
 * Klaviyo's `__kla_id` cookie; consent values are null when the store has no Customer Privacy API, or it had not
 * loaded: the app then treats consent as not given and tells Klaviyo nothing about that message.
 *
 * This module holds only pure functions, unit-tested without a browser.
 */
export type MessageAuthor = "shopper" | "agent" | "staff" | "system";
export type ConversationStatus = "open" | "escalated" | "resolved" | "closed";

export interface ProductCard {
  type: "product";
  productId: string;
  title: string;
  url: string;
  imageUrl: string | null;
  price: string;
  compareAtPrice: string | null;
  currencyCode: string;
  variantId: string | null;
}

export interface OrderCard {
  type: "order";
  name: string;
  placedAt: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  totalPrice: string;
  currencyCode: string;
  lineItems: Array<{ title: string; quantity: number }>;
  tracking: Array<{ company: string | null; number: string | null; url: string | null }>;
  statusUrl: string | null;
}

export interface LinkPart {
  type: "link";
  title: string;
  url: string;
}

export type QuickReplyAction = "confirm-resolved" | "handoff";

export interface QuickRepliesPart {
  type: "quick-replies";
  replies: Array<{ label: string; action: QuickReplyAction }>;
}

export type MessagePart = ProductCard | OrderCard | LinkPart | QuickRepliesPart;

export interface ChatMessage {
  id: string;
  author: MessageAuthor;
  body: string;
  parts: MessagePart[];
  createdAt: string;
}

export interface ConversationView {
  conversationId: string;
  status: ConversationStatus;
  /** The agent is still working on the shopper's last message (an LLM turn runs in the background). */
  agentTyping: boolean;
  messages: ChatMessage[];
  /** An email or phone the shopper typed in the message just sent, for Klaviyo's onsite `klaviyo.identify`. */
  identify: OnsiteIdentify | null;
}

/** The properties Klaviyo's onsite `klaviyo.identify()` takes. */
export interface OnsiteIdentify {
  email?: string;
  phone_number?: string;
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
  you: string;
  assistant: string;
  team: string;
  addToCart: string;
  adding: string;
  addedToCart: string;
  viewCart: string;
  regularPrice: string;
  salePrice: string;
  personAsked: string;
  order: string;
  orderPlaced: string;
  orderStatus: string;
  orderTotal: string;
  orderItems: string;
  orderTracking: string;
  orderStatusPage: string;
  newMessages: string;
  /** `{seconds}` is replaced by the wait the app asked for. */
  rateLimited: string;
  conversationFull: string;
}

export interface WidgetConfig {
  shop: string;
  proxyPath: string;
  locale: string;
  customer: { id: string; email: string | null } | null;
  /** The panel's script (the loader fetches it on first interaction or idle time). */
  panelScript: string;
  /** `launcherLabel`: visible text on the launcher, "" for the icon alone. */
  settings: { accentColor: string; greeting: string; position: "left" | "right"; showOnMobile: boolean; launcherLabel: string };
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
  you: "You",
  assistant: "Assistant",
  team: "From our team",
  addToCart: "Add to cart",
  adding: "Adding…",
  addedToCart: "Added to your cart.",
  viewCart: "View cart",
  regularPrice: "Regular price",
  salePrice: "Sale price",
  personAsked: "We've asked a person on our team to reply. They'll answer here, so you can keep browsing.",
  order: "Order",
  orderPlaced: "Placed",
  orderStatus: "Status",
  orderTotal: "Total",
  orderItems: "Items",
  orderTracking: "Tracking",
  orderStatusPage: "Order status page",
  newMessages: "New messages",
  rateLimited: "You're sending messages faster than we can answer. Please wait {seconds} s and try again.",
  conversationFull: "This conversation has reached its length limit. Send your message again to start a new one.",
};
const DEFAULT_ACCENT = "#1f6f5c";
const AUTHORS: ReadonlyArray<string> = ["shopper", "agent", "staff", "system"];
const STATUSES: ReadonlyArray<string> = ["open", "escalated", "resolved", "closed"];

const conversationPath = (proxyPath: string, conversationId: string) => `${proxyPath}/conversations/${encodeURIComponent(conversationId)}`;

export const endpoints = {
  startConversation: (proxyPath: string) => `${proxyPath}/conversations`,
  sendMessage: (proxyPath: string, conversationId: string) => `${conversationPath(proxyPath, conversationId)}/messages`,
  escalate: (proxyPath: string, conversationId: string) => `${conversationPath(proxyPath, conversationId)}/escalate`,
  cardInteraction: (proxyPath: string, conversationId: string) => `${conversationPath(proxyPath, conversationId)}/interactions`,
  conversation: (proxyPath: string, conversationId: string, anonymousId: string, after?: string | null) =>
    `${conversationPath(proxyPath, conversationId)}?anonymousId=${encodeURIComponent(anonymousId)}${after ? `&after=${encodeURIComponent(after)}` : ""}`,
};

/** Shopify's AJAX Cart API, under the storefront's locale root (`Shopify.routes.root`, e.g. "/fr/"). */
export const cartEndpoints = {
  cart: (root: string) => `${normalRoot(root)}cart.js`,
  add: (root: string) => `${normalRoot(root)}cart/add.js`,
  update: (root: string) => `${normalRoot(root)}cart/update.js`,
  page: (root: string) => `${normalRoot(root)}cart`,
};

function normalRoot(root: string): string {
  return /^\/(?!\/)/.test(root) ? root.replace(/\/*$/, "/") : "/";
}

/** The cart attribute the order webhook reads from `note_attributes`; the leading `_` hides it at checkout. */
export const CONVERSATION_ATTRIBUTE = "_customer_agent_conversation";

export class WidgetConfigError extends Error {
  override name = "WidgetConfigError";
}

/** A refusal from the app, carrying its status so the widget can tell "gone" (404) from "try again". */
export class ChatApiError extends Error {
  override name = "ChatApiError";
  constructor(
    readonly status: number,
    message: string,
    /** From a 429's Retry-After: how long sending stays paused. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After as seconds (delta-seconds or an HTTP date), at least 1; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  const seconds = /^\d+$/.test(trimmed) ? Number(trimmed) : (Date.parse(trimmed) - now) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
}

/**
 * The refusal in the shopper's language where the widget has its own words for it (too fast, conversation full),
 * else the app's own message, else "unavailable".
 */
export function refusalMessage(status: number, appMessage: string | null, retryAfter: number | null, strings: WidgetStrings): string {
  if (status === 429) return strings.rateLimited.replace("{seconds}", String(retryAfter ?? 1));
  if (status === 409) return strings.conversationFull;
  return appMessage ?? strings.unavailable;
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
  if (typeof raw.panelScript !== "string" || !/^(https:)?\/\/|^\/(?!\/)/.test(raw.panelScript)) throw new WidgetConfigError("#customer-agent-config needs panelScript, the panel's asset URL");
  return {
    shop: raw.shop,
    panelScript: raw.panelScript,
    proxyPath: raw.proxyPath.replace(/\/+$/, ""),
    locale: text(raw.locale, "en"),
    customer: customer ? { id: String(customer.id), email: typeof customer.email === "string" ? customer.email : null } : null,
    settings: {
      accentColor: typeof settings.accentColor === "string" && /^#[0-9a-f]{6}$/i.test(settings.accentColor) ? settings.accentColor : DEFAULT_ACCENT,
      greeting: text(settings.greeting, "Hi! How can we help?"),
      position: settings.position === "left" ? "left" : "right",
      showOnMobile: settings.showOnMobile !== false,
      launcherLabel: typeof settings.launcherLabel === "string" ? settings.launcherLabel.trim().slice(0, 40) : "",
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

const str = (value: unknown): value is string => typeof value === "string";
const strOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";

/** Only parts whose every field this widget reads has the right type; anything else is left to the message's text. */
export function parseParts(value: unknown): MessagePart[] {
  if (!Array.isArray(value)) return [];
  return value.filter((part): part is MessagePart => {
    if (!isRecord(part)) return false;
    switch (part.type) {
      case "product":
        return str(part.productId) && str(part.title) && str(part.url) && strOrNull(part.imageUrl) && str(part.price) && strOrNull(part.compareAtPrice) && str(part.currencyCode) && strOrNull(part.variantId);
      case "order":
        return (
          str(part.name) && str(part.placedAt) && strOrNull(part.financialStatus) && strOrNull(part.fulfillmentStatus) && str(part.totalPrice) && str(part.currencyCode) &&
          Array.isArray(part.lineItems) && part.lineItems.every((item) => isRecord(item) && str(item.title) && typeof item.quantity === "number") &&
          Array.isArray(part.tracking) && part.tracking.every((item) => isRecord(item) && strOrNull(item.company) && strOrNull(item.number) && strOrNull(item.url)) &&
          strOrNull(part.statusUrl)
        );
      case "link":
        return str(part.title) && str(part.url);
      case "quick-replies":
        return Array.isArray(part.replies) && part.replies.every((reply) => isRecord(reply) && str(reply.label) && (reply.action === "confirm-resolved" || reply.action === "handoff"));
      default:
        return false;
    }
  });
}

/** Checks the app's answer; messages by authors this widget does not know are left out rather than shown wrongly. */
export function parseConversationView(body: unknown): ConversationView {
  if (!isRecord(body) || typeof body.conversationId !== "string" || !STATUSES.includes(String(body.status)) || !Array.isArray(body.messages)) {
    throw new ChatApiError(502, "The chat answered with something unexpected");
  }
  const messages = body.messages
    .filter((message): message is Record<string, unknown> => isRecord(message) && str(message.id) && str(message.body) && str(message.createdAt) && AUTHORS.includes(String(message.author)))
    .map((message) => ({ id: message.id as string, author: message.author as MessageAuthor, body: message.body as string, parts: parseParts(message.parts), createdAt: message.createdAt as string }));
  return { conversationId: body.conversationId, status: body.status as ConversationStatus, agentTyping: body.agentTyping === true, messages, identify: parseOnsiteIdentify(body.identify) };
}

function parseOnsiteIdentify(value: unknown): OnsiteIdentify | null {
  if (!isRecord(value)) return null;
  const identify: OnsiteIdentify = {
    ...(str(value.email) ? { email: value.email as string } : {}),
    ...(str(value.phone_number) ? { phone_number: value.phone_number as string } : {}),
  };
  return identify.email || identify.phone_number ? identify : null;
}

/** The poll cursor: the newest createdAt the widget has (ISO strings of one format compare as times). */
export function newestCreatedAt(messages: ReadonlyArray<Pick<ChatMessage, "createdAt">>, current: string | null): string | null {
  return messages.reduce<string | null>((newest, message) => (newest === null || message.createdAt > newest ? message.createdAt : newest), current);
}

/** A price in the shop's currency, written the shopper's way (`19,00 €` in French, `€19.00` in English). */
export function formatPrice(amount: string, currencyCode: string, locale: string): string {
  const value = Number(amount);
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode }).format(value);
  } catch {
    // An unknown locale tag or currency code: still a readable price.
    return `${value.toFixed(2)} ${currencyCode}`;
  }
}

/** /cart/add.js takes the variant's numeric id; cards may carry it as is or as a `gid://shopify/ProductVariant/…`. */
export function numericVariantId(id: string | null): number | null {
  const digits = id ? /(\d+)$/.exec(id)?.[1] : undefined;
  return digits ? Number(digits) : null;
}

/** The AJAX Cart API's refusal (`{ status, message, description }`) in the store's own words. */
export function cartErrorMessage(payload: unknown, fallback: string): string {
  if (isRecord(payload)) {
    if (str(payload.description) && payload.description.trim()) return payload.description;
    if (str(payload.message) && payload.message.trim()) return payload.message;
  }
  return fallback;
}

/** Right-to-left scripts: the page's `dir`, else the storefront locale's language. */
export function textDirection(documentDir: string, locale: string): "rtl" | "ltr" {
  if (documentDir === "rtl" || documentDir === "ltr") return documentDir;
  return /^(ar|he|fa|ur|ps|yi|dv|ku|sd|ug)\b/i.test(locale) ? "rtl" : "ltr";
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
