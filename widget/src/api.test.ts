import { describe, expect, it } from "vitest";
import {
  refusalMessage,
  retryAfterSeconds,
  cartEndpoints,
  cartErrorMessage,
  ChatApiError,
  consentFrom,
  endpoints,
  formatPrice,
  klaviyoExchangeId,
  newestCreatedAt,
  numericVariantId,
  parseConfig,
  parseConversationView,
  readableTextColor,
  textDirection,
  validateIdentity,
  WidgetConfigError,
} from "./api";

const PROXY = "/apps/customer-agent";

describe("endpoints", () => {
  it("builds the app proxy paths of the contract, escaping ids", () => {
    expect(endpoints.startConversation(PROXY)).toBe("/apps/customer-agent/conversations");
    expect(endpoints.sendMessage(PROXY, "c1")).toBe("/apps/customer-agent/conversations/c1/messages");
    expect(endpoints.escalate(PROXY, "c1")).toBe("/apps/customer-agent/conversations/c1/escalate");
    expect(endpoints.conversation(PROXY, "a/b?c", "x y&z")).toBe("/apps/customer-agent/conversations/a%2Fb%3Fc?anonymousId=x%20y%26z");
    expect(endpoints.conversation(PROXY, "c1", "s1", "2026-12-02T10:00:00.000Z")).toBe("/apps/customer-agent/conversations/c1?anonymousId=s1&after=2026-12-02T10%3A00%3A00.000Z");
  });

  it("puts the AJAX Cart API under the storefront's locale root, and never off the shop's domain", () => {
    expect(cartEndpoints.add("/")).toBe("/cart/add.js");
    expect(cartEndpoints.update("/fr")).toBe("/fr/cart/update.js");
    expect(cartEndpoints.cart("/fr/")).toBe("/fr/cart.js");
    expect(cartEndpoints.add("//evil.example/")).toBe("/cart/add.js");
  });
});

describe("newestCreatedAt", () => {
  it("moves the poll cursor to the newest message, never back", () => {
    const at = (createdAt: string) => ({ createdAt });
    expect(newestCreatedAt([], null)).toBeNull();
    expect(newestCreatedAt([at("2026-12-02T10:00:01.000Z"), at("2026-12-02T10:00:00.500Z")], null)).toBe("2026-12-02T10:00:01.000Z");
    expect(newestCreatedAt([at("2026-12-02T09:00:00.000Z")], "2026-12-02T10:00:00.000Z")).toBe("2026-12-02T10:00:00.000Z");
  });
});

describe("formatPrice", () => {
  it("writes the shop's currency the shopper's way", () => {
    expect(formatPrice("1234.5", "USD", "en-US")).toBe("$1,234.50");
    expect(formatPrice("19", "EUR", "fr-FR")).toBe("19,00\u00a0€");
    expect(formatPrice("19", "EUR", "de")).toBe("19,00\u00a0€");
  });

  it("still shows a readable price for a locale or currency Intl does not know", () => {
    expect(formatPrice("5", "NOPE!", "en")).toBe("5.00 NOPE!");
  });
});

describe("numericVariantId", () => {
  it("takes the number /cart/add.js wants from a numeric id or a gid", () => {
    expect(numericVariantId("44012345678901")).toBe(44012345678901);
    expect(numericVariantId("gid://shopify/ProductVariant/44012345678901")).toBe(44012345678901);
    expect(numericVariantId(null)).toBeNull();
    expect(numericVariantId("gid://shopify/ProductVariant/")).toBeNull();
  });
});

describe("cartErrorMessage", () => {
  it("shows the store's own words for a refused add to cart", () => {
    expect(cartErrorMessage({ status: 422, message: "Cart Error", description: "The product 'Tee - M' is already sold out." }, "fallback")).toBe("The product 'Tee - M' is already sold out.");
    expect(cartErrorMessage({ message: "Cart Error" }, "fallback")).toBe("Cart Error");
    expect(cartErrorMessage(null, "fallback")).toBe("fallback");
  });
});

describe("textDirection", () => {
  it("follows the page's dir, else the locale's script", () => {
    expect(textDirection("rtl", "en")).toBe("rtl");
    expect(textDirection("", "ar")).toBe("rtl");
    expect(textDirection("", "he-IL")).toBe("rtl");
    expect(textDirection("", "fr")).toBe("ltr");
    expect(textDirection("ltr", "ar")).toBe("ltr");
  });
});

describe("klaviyoExchangeId", () => {
  const cookie = (value: object) => btoa(JSON.stringify(value));

  it("reads $exchange_id from Klaviyo's __kla_id cookie, URI-encoded or not", () => {
    const identified = cookie({ cid: "abc", $exchange_id: "01KXEXCH.abc" });
    expect(klaviyoExchangeId(`theme=dark; __kla_id=${encodeURIComponent(identified)}; other=1`)).toBe("01KXEXCH.abc");
    expect(klaviyoExchangeId(`__kla_id=${identified}`)).toBe("01KXEXCH.abc");
  });

  it("accepts base64 without padding or in its URL-safe alphabet", () => {
    const identified = cookie({ $exchange_id: "a?b>" });
    expect(klaviyoExchangeId(`__kla_id=${identified.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}`)).toBe("a?b>");
  });

  it("is null for an anonymous browser, a broken cookie or none", () => {
    expect(klaviyoExchangeId(`__kla_id=${cookie({ cid: "abc" })}`)).toBeNull();
    expect(klaviyoExchangeId(`__kla_id=${cookie({ $exchange_id: 42 })}`)).toBeNull();
    expect(klaviyoExchangeId("__kla_id=not-base64-json!")).toBeNull();
    expect(klaviyoExchangeId("my__kla_id=abc")).toBeNull();
    expect(klaviyoExchangeId("")).toBeNull();
  });
});

describe("parseConfig", () => {
  const valid = { shop: "s.myshopify.com", proxyPath: "/apps/customer-agent/", panelScript: "//cdn.shopify.com/extensions/abc/assets/widget-panel.js", locale: "fr", customer: { id: 7301234560001, email: "ada@example.com" }, settings: { accentColor: "#AA3300", position: "left", showOnMobile: false, greeting: "Salut" }, strings: { send: "Envoyer" } };

  it("reads the embed's config, normalising the customer id to a string", () => {
    expect(parseConfig(JSON.stringify(valid))).toMatchObject({
      shop: "s.myshopify.com",
      proxyPath: "/apps/customer-agent",
      panelScript: "//cdn.shopify.com/extensions/abc/assets/widget-panel.js",
      locale: "fr",
      customer: { id: "7301234560001", email: "ada@example.com" },
      settings: { accentColor: "#AA3300", position: "left", showOnMobile: false, greeting: "Salut", launcherLabel: "" },
      strings: { send: "Envoyer", openChat: "Open chat" },
    });
  });

  it("falls back to safe defaults for odd settings", () => {
    const config = parseConfig(JSON.stringify({ ...valid, customer: null, settings: { accentColor: "red;background:url(x)", position: "middle", greeting: "  " }, strings: { send: 3 } }));
    expect(config.customer).toBeNull();
    expect(config.settings).toEqual({ accentColor: "#1f6f5c", position: "right", showOnMobile: true, greeting: "Hi! How can we help?", launcherLabel: "" });
    expect(config.strings.send).toBe("Send");
  });

  it("refuses a panel script that is not a URL", () => {
    for (const panelScript of [undefined, "javascript:alert(1)", "widget-panel.js"]) {
      expect(() => parseConfig(JSON.stringify({ ...valid, panelScript }))).toThrow(/panelScript/);
    }
  });

  it("refuses a missing or broken config, and a proxy path off the shop's domain", () => {
    expect(() => parseConfig(null)).toThrow(/app embed switched on/);
    expect(() => parseConfig("{")).toThrow(WidgetConfigError);
    expect(() => parseConfig(JSON.stringify({ ...valid, shop: "" }))).toThrow(/domain/);
    for (const proxyPath of ["//evil.example/apps", "https://evil.example/apps", "apps/customer-agent"]) {
      expect(() => parseConfig(JSON.stringify({ ...valid, proxyPath }))).toThrow(/proxyPath/);
    }
  });
});

describe("validateIdentity", () => {
  it("accepts an email, an international phone, or both", () => {
    expect(validateIdentity({ email: " ada@example.com " })).toEqual({ email: "ada@example.com" });
    expect(validateIdentity({ phone: "+1 (514) 555-0123" })).toEqual({ phone: "+1 (514) 555-0123" });
    expect(validateIdentity({ email: "ada@example.com", phone: "+447700900123" })).toEqual({ email: "ada@example.com", phone: "+447700900123" });
  });

  it("explains what is wrong with a bad argument", () => {
    expect(() => validateIdentity("ada@example.com")).toThrow(/expects an object/);
    expect(() => validateIdentity([])).toThrow(/expects an object/);
    expect(() => validateIdentity({})).toThrow(/needs an email or a phone/);
    expect(() => validateIdentity({ mail: "ada@example.com" })).toThrow(/only email and phone, not mail/);
    expect(() => validateIdentity({ email: "nope" })).toThrow(/"nope" is not an email address/);
    expect(() => validateIdentity({ email: 42 })).toThrow(/42 is not an email address/);
    expect(() => validateIdentity({ phone: "call me" })).toThrow(/not a phone number/);
  });
});

describe("parseConversationView", () => {
  const message = { id: "m1", author: "agent", body: "Hello", createdAt: "2026-11-24T10:00:00.000Z" };

  it("keeps the messages it knows how to show", () => {
    const view = parseConversationView({ conversationId: "c1", status: "escalated", messages: [message, { ...message, id: "m2", author: "robot" }, { id: "m3" }] });
    expect(view).toEqual({ conversationId: "c1", status: "escalated", agentTyping: false, messages: [{ ...message, parts: [] }], identify: null });
  });

  it("passes on the address to identify with Klaviyo's onsite script, and nothing else", () => {
    const base = { conversationId: "c1", status: "open", messages: [] };
    expect(parseConversationView({ ...base, identify: { email: "ada@example.org", phone_number: "+12125550147", id: "x" } }).identify).toEqual({ email: "ada@example.org", phone_number: "+12125550147" });
    expect(parseConversationView({ ...base, identify: { email: 42 } }).identify).toBeNull();
    expect(parseConversationView(base).identify).toBeNull();
  });

  it("keeps the parts it can render and leaves the rest to the message's text", () => {
    const card = { type: "product", productId: "gid://shopify/Product/1", title: "Tee", url: "https://s.example/products/tee", imageUrl: null, price: "19.00", compareAtPrice: "25.00", currencyCode: "EUR", variantId: "4401" };
    const replies = { type: "quick-replies", replies: [{ label: "Yes, that helped", action: "confirm-resolved" }, { label: "Talk to a person", action: "handoff" }] };
    const order = { type: "order", name: "#1001", placedAt: "2026-11-01T10:00:00.000Z", financialStatus: "PAID", fulfillmentStatus: null, totalPrice: "40.00", currencyCode: "USD", lineItems: [{ title: "Tee", quantity: 2, sku: "T-1" }], tracking: [], statusUrl: null };
    const parts = [card, replies, order, { ...card, price: 19 }, { type: "video", url: "x" }, { type: "quick-replies", replies: [{ label: "Buy", action: "checkout" }] }];
    const view = parseConversationView({ conversationId: "c1", status: "open", messages: [{ ...message, parts }] });
    expect(view.messages[0]!.parts).toEqual([card, replies, order]);
  });

  it("rejects an answer that is not a conversation", () => {
    for (const body of [null, { error: "nope" }, { conversationId: "c1", status: "lost", messages: [] }, { conversationId: "c1", status: "open" }]) {
      expect(() => parseConversationView(body)).toThrow(ChatApiError);
    }
  });
});

describe("retryAfterSeconds", () => {
  it("reads seconds or an HTTP date, never less than a second", () => {
    expect(retryAfterSeconds("12")).toBe(12);
    expect(retryAfterSeconds("0")).toBe(1);
    expect(retryAfterSeconds(new Date(Date.UTC(2026, 11, 3, 10, 0, 30)).toUTCString(), Date.UTC(2026, 11, 3, 10, 0, 0))).toBe(30);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds("soon")).toBeNull();
  });
});

describe("refusalMessage", () => {
  const strings = parseConfig(JSON.stringify({ shop: "s.myshopify.com", proxyPath: "/apps/customer-agent", panelScript: "/widget-panel.js", strings: { rateLimited: "Attendez {seconds} s.", conversationFull: "Conversation pleine." } })).strings;

  it("says in the shopper's language how long to wait, and that a full conversation starts again", () => {
    expect(refusalMessage(429, "You are sending messages faster than we can answer.", 7, strings)).toBe("Attendez 7 s.");
    expect(refusalMessage(409, "This conversation has reached 200 messages.", null, strings)).toBe("Conversation pleine.");
  });

  it("otherwise shows the app's own words, or that the chat is unavailable", () => {
    expect(refusalMessage(400, "message is empty", null, strings)).toBe("message is empty");
    expect(refusalMessage(503, null, 5, strings)).toBe(strings.unavailable);
  });
});

describe("consentFrom", () => {
  it("reads Shopify's Customer Privacy API, and says null when there is none or it fails", () => {
    expect(consentFrom({ analyticsProcessingAllowed: () => true, marketingAllowed: () => false })).toEqual({ analytics: true, marketing: false });
    expect(consentFrom(undefined)).toEqual({ analytics: null, marketing: null });
    const broken = {
      analyticsProcessingAllowed: () => {
        throw new Error("not loaded");
      },
      marketingAllowed: () => true,
    };
    expect(consentFrom(broken)).toEqual({ analytics: null, marketing: null });
  });
});

describe("readableTextColor", () => {
  it("puts white on dark accents and dark text on light ones", () => {
    expect(readableTextColor("#1f6f5c")).toBe("#ffffff");
    expect(readableTextColor("#000000")).toBe("#ffffff");
    expect(readableTextColor("#ffd500")).toBe("#1a1a1a");
    expect(readableTextColor("#ffffff")).toBe("#1a1a1a");
  });
});
