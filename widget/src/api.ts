/**
 * The storefront ↔ app contract, through Shopify's app proxy (`{proxyPath}` = /apps/customer-agent):
 *   POST {proxyPath}/conversations                     { anonymousId, message, email?, phone?, klaviyoExchangeId?, consent }
 *   POST {proxyPath}/conversations/{id}/messages       { anonymousId, message, email?, phone?, consent }
 *   POST {proxyPath}/conversations/{id}/escalate       { anonymousId }
 *   GET  {proxyPath}/conversations/{id}?anonymousId=…
 * Each answers { conversationId, status, messages: [{ id, author, body, createdAt }] } or { error } with 4xx.
 * Pure functions only, so they are unit-tested without a browser.
 */
export interface WidgetConfig {
  shop: string;
  proxyPath: string;
  locale: string | null;
  customer: { id: string; email: string | null } | null;
  settings: { accentColor: string; greeting: string; position: "left" | "right"; showOnMobile: boolean };
}

export interface ConversationView {
  conversationId: string;
  status: "open" | "escalated" | "resolved" | "closed";
  messages: Array<{ id: string; author: "shopper" | "agent" | "staff" | "system"; body: string; createdAt: string }>;
}

export const endpoints = {
  start: (proxyPath: string) => `${proxyPath}/conversations`,
  message: (proxyPath: string, conversationId: string) => `${proxyPath}/conversations/${encodeURIComponent(conversationId)}/messages`,
  escalate: (proxyPath: string, conversationId: string) => `${proxyPath}/conversations/${encodeURIComponent(conversationId)}/escalate`,
  poll: (proxyPath: string, conversationId: string, anonymousId: string) =>
    `${proxyPath}/conversations/${encodeURIComponent(conversationId)}?anonymousId=${encodeURIComponent(anonymousId)}`,
};

export class WidgetConfigError extends Error {
  override name = "WidgetConfigError";
}

export function parseConfig(json: string | null | undefined): WidgetConfig {
  if (!json) throw new WidgetConfigError("customer-agent-config is missing: is the app embed enabled?");
  const raw = JSON.parse(json) as Partial<WidgetConfig>;
  if (!raw.shop || !raw.proxyPath?.startsWith("/")) throw new WidgetConfigError("customer-agent-config needs shop and proxyPath");
  const settings = raw.settings ?? ({} as Partial<WidgetConfig["settings"]>);
  return {
    shop: raw.shop,
    proxyPath: raw.proxyPath.replace(/\/$/, ""),
    locale: raw.locale ?? null,
    customer: raw.customer ?? null,
    settings: {
      accentColor: /^#[0-9a-f]{3,8}$/i.test(settings.accentColor ?? "") ? settings.accentColor! : "#1f6f5c",
      greeting: settings.greeting || "Hi! How can we help?",
      position: settings.position === "left" ? "left" : "right",
      showOnMobile: settings.showOnMobile !== false,
    },
  };
}

/**
 * Klaviyo's onsite `__kla_id` cookie is base64 JSON; an identified browser carries `$exchange_id`, which Klaviyo
 * accepts as `_kx` to attribute events to the right profile.
 */
export function klaviyoExchangeId(cookieHeader: string): string | null {
  const entry = cookieHeader.split(/;\s*/).find((part) => part.startsWith("__kla_id="));
  if (!entry) return null;
  try {
    const decoded = JSON.parse(atob(decodeURIComponent(entry.slice("__kla_id=".length)))) as { $exchange_id?: unknown };
    return typeof decoded.$exchange_id === "string" && decoded.$exchange_id ? decoded.$exchange_id : null;
  } catch {
    return null;
  }
}

export function validateIdentity(input: unknown): { email?: string; phone?: string } {
  if (!input || typeof input !== "object") throw new TypeError("CustomerAgent.identify expects an object like { email } or { phone }");
  const { email, phone } = input as { email?: unknown; phone?: unknown };
  if (email === undefined && phone === undefined) throw new TypeError("CustomerAgent.identify needs an email or a phone");
  if (email !== undefined && (typeof email !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) {
    throw new TypeError(`CustomerAgent.identify: "${String(email)}" is not an email address`);
  }
  if (phone !== undefined && (typeof phone !== "string" || !/^\+?[0-9 ()-]{7,20}$/.test(phone))) {
    throw new TypeError(`CustomerAgent.identify: "${String(phone)}" is not a phone number`);
  }
  return { ...(email ? { email: email as string } : {}), ...(phone ? { phone: phone as string } : {}) };
}
