import {
  cartEndpoints,
  cartErrorMessage,
  ChatApiError,
  consentFrom,
  CONVERSATION_ATTRIBUTE,
  endpoints,
  formatPrice,
  klaviyoExchangeId,
  newestCreatedAt,
  numericVariantId,
  parseConversationView,
  readableTextColor,
  refusalMessage,
  retryAfterSeconds,
  type ChatMessage,
  type ConversationView,
  type MessagePart,
  type OrderCard,
  type ProductCard,
  type QuickRepliesPart,
  type WidgetConfig,
} from "./api";
import { PANEL_GLOBAL, type PanelControls, type PanelHost } from "./contract";

/**
 * The chat panel, fetched by the loader on first interaction: the thread with the agent's structured parts (product
 * cards with Add to cart through Shopify's AJAX Cart API, an order card, links, quick replies), the handoff to a
 * person, and polling for what is new. Polls ask only for messages at or after the newest one shown; they run every
 * few seconds while the panel is open, back off while the tab is hidden or the app fails, and stop once the panel is
 * closed and no answer is awaited. The conversation id lives in localStorage, so it survives navigation, reloads and
 * other tabs (which hear of a new conversation or message through the `storage` event).
 */
const POLL_OPEN_MS = 4000;
/** While the agent is typing, its answer is polled for sooner. */
const POLL_TYPING_MS = 1500;
const POLL_HIDDEN_MS = 30_000;
const POLL_MAX_BACKOFF_MS = 60_000;
/** How long a first message waits for Shopify's Customer Privacy API before going without a consent decision. */
const PRIVACY_API_WAIT_MS = 1500;
const REQUEST_TIMEOUT_MS = 20_000;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, content?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (content !== undefined) node.textContent = content;
  return node;
}

/** Only http(s) and same-site links are ever put in an href: a part's URL is data, not markup. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function link(url: string, text: string, attributes: Record<string, string> = {}): HTMLAnchorElement {
  const anchor = element("a", { href: url, ...attributes }, text);
  if (new URL(url).origin !== window.location.origin) anchor.rel = "noopener";
  return anchor;
}

function panelStyles({ settings }: WidgetConfig): string {
  const accent = settings.accentColor;
  const onAccent = readableTextColor(accent);
  const side = settings.position;
  return `*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
.panel{position:fixed;${side}:20px;bottom:88px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;color:#1a1a1a;border-radius:14px;box-shadow:0 8px 32px rgba(0,0,0,.25);overflow:hidden;font-size:14px;line-height:1.45}
[hidden]{display:none!important}
.header{display:flex;justify-content:space-between;align-items:center;gap:8px;padding:12px 16px;background:${accent};color:${onAccent}}
.header h2{margin:0;font-size:16px}
.close{background:none;border:0;color:inherit;font-size:24px;line-height:1;cursor:pointer;padding:0 4px;min-width:32px;min-height:32px}
.log{flex:1;overflow-y:auto;padding:12px 16px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.message{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.shopper{align-self:flex-end;background:${accent};color:${onAccent}}
.pending{opacity:.7}
.agent,.staff{align-self:flex-start;background:#f1f1ef}
.staff{border-inline-start:3px solid ${accent}}
.author{display:block;font-size:12px;font-weight:600;color:#444}
.system,.notice{align-self:center;color:#444;font-size:13px;text-align:center}
.notice{margin:0 12px 8px;padding:8px 12px;border-radius:8px;background:#eef6f3;color:#1a1a1a}
.typing span{display:inline-block;width:6px;height:6px;margin:0 2px;border-radius:50%;background:#555;animation:blink 1.2s infinite}
.typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
.parts{align-self:stretch;display:flex;flex-direction:column;gap:8px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;list-style:none;margin:0;padding:0}
.card{display:flex;flex-direction:column;gap:4px;padding:8px;border:1px solid #d9d9d4;border-radius:10px;background:#fff}
.card img{width:100%;aspect-ratio:1;object-fit:cover;border-radius:6px;background:#eee}
.card a{color:#1a1a1a;font-weight:600;text-decoration:none}.card a:hover{text-decoration:underline}
.price{font-weight:600}.price.sale{color:#a0190f}.was{color:#555;font-size:13px}
.add{margin-top:auto;border:0;border-radius:8px;padding:8px;background:${accent};color:${onAccent};font-size:14px;font-weight:600;cursor:pointer;min-height:40px}
.add:disabled{opacity:.7;cursor:default}
.cart-status{font-size:13px;margin:0}.cart-status.failed{color:#8e1f0b}.cart-status a{color:inherit}
.order{padding:10px 12px;border:1px solid #d9d9d4;border-radius:10px;background:#fff}
.order h3{margin:0 0 4px;font-size:15px}.order dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:0}.order dt{color:#444}.order dd{margin:0}
.order ul{margin:0;padding-inline-start:18px}.order a,.links a{color:#1a1a1a}
.links{display:flex;flex-direction:column;gap:4px;margin:0;padding:0;list-style:none}
.replies{display:flex;flex-wrap:wrap;gap:8px}
.reply{border:1px solid ${accent};border-radius:16px;padding:6px 12px;background:#fff;color:#1a1a1a;cursor:pointer;font-size:14px;min-height:36px}
.error{margin:0;padding:0 16px 8px;color:#8e1f0b}
.error:empty{display:none}
.human{margin:0 12px 8px;padding:8px;border-radius:8px;border:1px solid ${accent};background:#fff;color:#1a1a1a;cursor:pointer;font-size:14px;min-height:40px}
form{display:flex;gap:8px;padding:12px;border-top:1px solid #e6e6e6}
textarea{flex:1;min-width:0;resize:none;border:1px solid #8a8a8a;border-radius:8px;padding:8px;font-size:16px;color:#1a1a1a}
form button{border:0;border-radius:8px;padding:8px 14px;background:${accent};color:${onAccent};font-size:14px;font-weight:600;cursor:pointer}
form button:disabled{opacity:.6;cursor:default}
:focus-visible{outline:2px solid ${accent};outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.panel{left:0;right:0;bottom:0;width:100vw;height:min(85vh,100dvh);border-radius:14px 14px 0 0}.cards{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
${settings.showOnMobile ? "" : "@media (max-width:749px){.panel{display:none!important}}"}`;
}

function mountPanel(host: PanelHost): PanelControls {
  const { config, shadow, launcher, store, tabStore, shopperId, identity, privacyReady, emit } = host;
  const { proxyPath, strings, locale } = config;
  const conversationKey = `customer-agent:conversation:${config.shop}`;
  const activityKey = `customer-agent:activity:${config.shop}`;
  const openKey = `customer-agent:open:${config.shop}`;
  const cartRoot = () => window.Shopify?.routes?.root ?? "/";
  let conversationId = store.get(conversationKey);
  let cursor: string | null = null;
  let status: ConversationView["status"] = "open";
  let agentTyping = false;
  let pollTimer: number | undefined;
  let polling = false;
  let failures = 0;
  let cartAttributeWritten: string | null = null;

  async function call(url: string, body?: object): Promise<ConversationView> {
    const controller = new AbortController();
    const timeout = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        method: body ? "POST" : "GET",
        headers: body ? { "Content-Type": "application/json", Accept: "application/json" } : { Accept: "application/json" },
        body: body ? JSON.stringify(body) : undefined,
        signal: controller.signal,
      });
      const payload: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const appMessage = payload && typeof payload === "object" && typeof (payload as { error?: unknown }).error === "string" ? (payload as { error: string }).error : null;
        const retryAfter = retryAfterSeconds(response.headers.get("Retry-After"));
        throw new ChatApiError(response.status, refusalMessage(response.status, appMessage, retryAfter, strings), retryAfter);
      }
      return parseConversationView(payload);
    } catch (failure) {
      throw failure instanceof ChatApiError ? failure : new ChatApiError(0, strings.unavailable);
    } finally {
      window.clearTimeout(timeout);
    }
  }

  // --- the panel ---------------------------------------------------------------------------------------------
  const root = element("section", { class: "panel", id: "customer-agent-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "customer-agent-title", hidden: "" });
  const header = element("div", { class: "header" });
  const closeButton = element("button", { class: "close", type: "button", "aria-label": strings.closeChat }, "×");
  header.append(element("h2", { id: "customer-agent-title" }, strings.title), closeButton);
  // role=log is a polite live region: only messages appended later are announced.
  const log = element("div", { class: "log", role: "log", "aria-live": "polite", tabindex: "0", "aria-label": strings.title });
  log.append(element("div", { class: "message agent" }, config.settings.greeting));
  const typing = element("div", { class: "message agent typing", hidden: "", role: "status" });
  typing.append(element("span", { "aria-hidden": "true" }), element("span", { "aria-hidden": "true" }), element("span", { "aria-hidden": "true" }), element("span", { class: "visually-hidden" }, strings.typing));
  const notice = element("p", { class: "notice", role: "status", hidden: "" }, strings.personAsked);
  const error = element("p", { class: "error", role: "alert" });
  const human = element("button", { class: "human", type: "button", hidden: "" }, strings.talkToPerson);
  const form = element("form");
  const input = element("textarea", { id: "customer-agent-input", rows: "2", maxlength: "4000", placeholder: strings.messagePlaceholder });
  const send = element("button", { type: "submit" }, strings.send);
  form.append(element("label", { class: "visually-hidden", for: "customer-agent-input" }, strings.messageLabel), input, send);
  root.append(header, log, notice, error, human, form);
  shadow.append(element("style", {}, panelStyles(config)), root);

  const rendered = new Set<string>();
  let quickReplies: HTMLElement | null = null;

  closeButton.addEventListener("click", close);
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  const submitInput = () => {
    const message = input.value.trim();
    if (message && !send.disabled) void submit(message, true);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitInput();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitInput();
  });
  human.addEventListener("click", () => void escalate());

  function authorLabel(author: ChatMessage["author"]): string | null {
    return author === "shopper" ? strings.you : author === "staff" ? strings.team : author === "agent" ? strings.assistant : null;
  }

  function bubble(message: Pick<ChatMessage, "author" | "body">): HTMLElement {
    const node = element("div", { class: `message ${message.author}` });
    const label = authorLabel(message.author);
    // Staff replies say who wrote them; for the others the author is only read out, the bubble's side shows it.
    if (label) node.append(element("span", { class: message.author === "staff" ? "author" : "author visually-hidden" }, `${label}: `));
    node.append(message.body);
    return node;
  }

  function productCard(card: ProductCard, index: string): HTMLElement {
    const item = element("li", { class: "card" });
    const titleId = `customer-agent-card-${index}`;
    const url = safeUrl(card.url);
    const image = safeUrl(card.imageUrl);
    // The title next to it names the product: the image is decoration for a screen reader.
    if (image) item.append(element("img", { src: image, alt: "", width: "140", height: "140", loading: "lazy", decoding: "async" }));
    if (url) {
      const title = link(url, card.title, { id: titleId });
      title.addEventListener("click", () => reportCard(card.productId, "product_click"));
      item.append(title);
    } else item.append(element("span", { id: titleId }, card.title));
    const onSale = card.compareAtPrice !== null && Number(card.compareAtPrice) > Number(card.price);
    const price = element("span", { class: onSale ? "price sale" : "price" });
    price.append(element("span", { class: "visually-hidden" }, onSale ? `${strings.salePrice} ` : ""), formatPrice(card.price, card.currencyCode, locale));
    item.append(price);
    if (onSale) {
      const was = element("s", { class: "was" });
      was.append(element("span", { class: "visually-hidden" }, `${strings.regularPrice} `), formatPrice(card.compareAtPrice!, card.currencyCode, locale));
      item.append(was);
    }
    const variant = numericVariantId(card.variantId);
    if (variant !== null) {
      const add = element("button", { class: "add", type: "button", "aria-describedby": titleId }, strings.addToCart);
      const result = element("p", { class: "cart-status", role: "status" });
      add.addEventListener("click", () => void addToCart(variant, add, result).then((added) => added && reportCard(card.productId, "add_to_cart")));
      item.append(add, result);
    }
    return item;
  }

  /** For the merchant's dashboard, best effort; a link click leaves the page, so that one is sent keepalive. */
  function reportCard(productId: string, kind: "add_to_cart" | "product_click") {
    if (!conversationId) return;
    fetch(endpoints.cardInteraction(proxyPath, conversationId), {
      method: "POST",
      keepalive: kind === "product_click",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ anonymousId: shopperId, productId, kind }),
    }).catch(() => {});
  }

  async function addToCart(variantId: number, button: HTMLButtonElement, result: HTMLElement): Promise<boolean> {
    button.disabled = true;
    button.textContent = strings.adding;
    result.className = "cart-status";
    result.textContent = "";
    try {
      const response = await fetch(cartEndpoints.add(cartRoot()), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ items: [{ id: variantId, quantity: 1 }] }),
      });
      const payload: unknown = await response.json().catch(() => null);
      if (!response.ok) throw new Error(cartErrorMessage(payload, strings.unavailable));
      result.append(`${strings.addedToCart} `, link(new URL(cartEndpoints.page(cartRoot()), window.location.href).href, strings.viewCart));
      if (conversationId) void tagCart(conversationId, true);
      return true;
    } catch (failure) {
      result.className = "cart-status failed";
      result.textContent = failure instanceof Error && failure.message ? failure.message : strings.unavailable;
      return false;
    } finally {
      button.disabled = false;
      button.textContent = strings.addToCart;
    }
  }

  function orderCard(order: OrderCard): HTMLElement {
    const card = element("div", { class: "order" });
    const facts = element("dl");
    const fact = (term: string, value: string | Node) => {
      const description = element("dd");
      description.append(value);
      facts.append(element("dt", {}, term), description);
    };
    const placed = new Date(order.placedAt);
    if (!Number.isNaN(placed.getTime())) fact(strings.orderPlaced, new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(placed));
    // Shopify's status codes (PAID, PARTIALLY_FULFILLED); the message's text says them in the shopper's language.
    const statuses = [order.financialStatus, order.fulfillmentStatus].filter((value): value is string => !!value).map((value) => value.toLowerCase().replace(/_/g, " "));
    if (statuses.length) fact(strings.orderStatus, statuses.join(" · "));
    if (order.lineItems.length) {
      const items = element("ul");
      for (const line of order.lineItems) items.append(element("li", {}, `${line.quantity} × ${line.title}`));
      fact(strings.orderItems, items);
    }
    fact(strings.orderTotal, formatPrice(order.totalPrice, order.currencyCode, locale));
    for (const tracking of order.tracking) {
      const text = [tracking.company, tracking.number].filter(Boolean).join(" ");
      const url = safeUrl(tracking.url);
      fact(strings.orderTracking, url ? link(url, text || url) : text);
    }
    card.append(element("h3", {}, `${strings.order} ${order.name}`), facts);
    const statusUrl = safeUrl(order.statusUrl);
    if (statusUrl) card.append(link(statusUrl, strings.orderStatusPage));
    return card;
  }

  function quickReplyButtons(part: QuickRepliesPart): HTMLElement {
    const group = element("div", { class: "replies", role: "group", "aria-label": part.replies.map((reply) => reply.label).join(", ") });
    for (const reply of part.replies) {
      const button = element("button", { class: "reply", type: "button", "data-action": reply.action }, reply.label);
      button.addEventListener("click", () => {
        group.remove();
        quickReplies = null;
        human.hidden = status !== "open";
        if (reply.action === "handoff") void escalate();
        else void submit(reply.label, false);
      });
      group.append(button);
    }
    return group;
  }

  function renderParts(message: ChatMessage, parts: MessagePart[]): HTMLElement | null {
    if (!parts.length) return null;
    const container = element("div", { class: "parts" });
    const cards = parts.filter((part): part is ProductCard => part.type === "product");
    if (cards.length) {
      const list = element("ul", { class: "cards" });
      cards.forEach((card, index) => list.append(productCard(card, `${message.id}-${index}`)));
      container.append(list);
    }
    for (const part of parts) if (part.type === "order") container.append(orderCard(part));
    const links = parts.filter((part) => part.type === "link");
    if (links.length) {
      const list = element("ul", { class: "links" });
      for (const part of links) {
        const url = safeUrl(part.url);
        if (!url) continue;
        const item = element("li");
        item.append(link(url, part.title));
        list.append(item);
      }
      container.append(list);
    }
    for (const part of parts) {
      if (part.type !== "quick-replies") continue;
      quickReplies?.remove();
      quickReplies = quickReplyButtons(part);
      container.append(quickReplies);
    }
    return container;
  }

  /** Appends what is new; the shopper's own optimistic bubble is confirmed in place rather than shown twice. */
  function show(view: ConversationView) {
    let added = false;
    for (const message of view.messages) {
      if (rendered.has(message.id)) continue;
      rendered.add(message.id);
      added = true;
      // Anything newer than a quick reply's question answers it: the buttons would only mislead.
      if (quickReplies) {
        quickReplies.remove();
        quickReplies = null;
      }
      const pending = message.author === "shopper" ? [...log.querySelectorAll<HTMLElement>(".pending")].find((node) => node.dataset.body === message.body) : undefined;
      if (pending) {
        pending.classList.remove("pending");
        continue;
      }
      log.append(bubble(message));
      const parts = renderParts(message, message.parts);
      if (parts) log.append(parts);
    }
    cursor = newestCreatedAt(view.messages, cursor);
    status = view.status;
    agentTyping = view.agentTyping;
    // A person has been asked: the shopper sees it until the conversation is over, whoever asked.
    notice.hidden = view.status !== "escalated";
    if (view.status === "escalated") quickReplies?.querySelector("[data-action=handoff]")?.remove();
    // One way to ask for a person at a time: the quick reply when the agent offers it, else the standing button.
    human.hidden = view.status !== "open" || !conversationId || !!quickReplies?.querySelector("[data-action=handoff]");
    typing.hidden = !view.agentTyping;
    log.append(typing);
    if (added) {
      log.scrollTop = log.scrollHeight;
      if (root.hidden) launcher.append(element("span", { class: "badge", "aria-hidden": "true" }));
      if (root.hidden) launcher.setAttribute("aria-label", `${config.settings.launcherLabel || strings.openChat} (${strings.newMessages})`);
    }
  }

  function fail(failure: unknown) {
    const message = failure instanceof Error ? failure.message : strings.unavailable;
    error.textContent = message;
    emit("error", { message, status: failure instanceof ChatApiError ? failure.status : undefined });
  }

  /** `typed`: the message is the textarea's; a quick reply's leaves whatever the shopper was typing alone. */
  async function submit(message: string, typed: boolean) {
    error.textContent = "";
    // Focus stays in the textarea: the send button is disabled while sending and would drop it to the page.
    input.focus();
    send.disabled = true;
    if (typed) input.value = "";
    const optimistic = bubble({ author: "shopper", body: message });
    optimistic.classList.add("pending");
    optimistic.dataset.body = message;
    log.append(optimistic, typing);
    log.scrollTop = log.scrollHeight;
    await Promise.race([privacyReady, new Promise((resolve) => window.setTimeout(resolve, PRIVACY_API_WAIT_MS))]);
    const body = { anonymousId: shopperId, message, ...identity, consent: consentFrom(window.Shopify?.customerPrivacy) };
    let paused: { seconds: number; message: string } | null = null;
    try {
      const started = !conversationId;
      const view = await post(body);
      adopt(view);
      if (view.identify) identifyWithKlaviyo(view.identify);
      store.set(activityKey, String(Date.now()));
      if (started && conversationId) void tagCart(conversationId, false);
    } catch (failure) {
      optimistic.remove();
      if (typed) input.value = message;
      if (failure instanceof ChatApiError && failure.status === 429) paused = { seconds: failure.retryAfterSeconds ?? 1, message: failure.message };
      fail(failure);
    } finally {
      // Too fast: Send stays off for the wait the app asked for, so the shopper cannot run into the limit again.
      const wait = paused;
      if (wait === null) send.disabled = false;
      else
        window.setTimeout(() => {
          send.disabled = false;
          if (error.textContent === wait.message) error.textContent = "";
        }, wait.seconds * 1000);
    }
  }

  /** Klaviyo's onsite script, when the store runs it, learns the address too, as from Klaviyo's own forms. */
  function identifyWithKlaviyo(properties: NonNullable<ConversationView["identify"]>) {
    try {
      const identify = window.klaviyo?.identify;
      if (typeof identify === "function") void Promise.resolve(identify.call(window.klaviyo, { ...properties })).catch(() => undefined);
    } catch {
      // Someone else's script failing must not break the chat.
    }
  }

  /**
   * A conversation that is gone (404) is forgotten and the message starts a new one; a full one (409) is forgotten
   * too, and the shopper is told that sending again starts a new conversation.
   */
  async function post(body: { anonymousId: string; message: string }): Promise<ConversationView> {
    if (conversationId) {
      try {
        return await call(endpoints.sendMessage(proxyPath, conversationId), body);
      } catch (failure) {
        if (!(failure instanceof ChatApiError && (failure.status === 404 || failure.status === 409))) throw failure;
        forget();
        if (failure.status === 409) throw failure;
      }
    }
    const exchangeId = klaviyoExchangeId(document.cookie);
    return call(endpoints.startConversation(proxyPath), { ...body, ...(exchangeId ? { klaviyoExchangeId: exchangeId } : {}) });
  }

  async function escalate() {
    if (!conversationId) return;
    human.disabled = true;
    error.textContent = "";
    try {
      adopt(await call(endpoints.escalate(proxyPath, conversationId), { anonymousId: shopperId }));
      store.set(activityKey, String(Date.now()));
      notice.focus();
    } catch (failure) {
      fail(failure);
    } finally {
      human.disabled = false;
    }
  }

  /**
   * The attribution hook: the cart names the conversation (`_customer_agent_conversation`), so the order webhook's
   * `note_attributes` attribute the order to it. /cart/update.js merges attributes by key, leaving the theme's and
   * other apps' own untouched; it is read first so an unchanged cart is not written again. Best effort: a cart that
   * cannot be written costs the shopper nothing, and the order is still linked by customer, email or phone.
   */
  async function tagCart(id: string, checkFirst: boolean) {
    if (cartAttributeWritten === id && !checkFirst) return;
    try {
      const cart: unknown = await (await fetch(cartEndpoints.cart(cartRoot()), { headers: { Accept: "application/json" } })).json();
      const attributes = cart && typeof cart === "object" ? (cart as { attributes?: Record<string, unknown> }).attributes : undefined;
      if (attributes?.[CONVERSATION_ATTRIBUTE] !== id) {
        const response = await fetch(cartEndpoints.update(cartRoot()), {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ attributes: { [CONVERSATION_ATTRIBUTE]: id } }),
        });
        if (!response.ok) return;
      }
      cartAttributeWritten = id;
    } catch {
      // Offline or a theme without the AJAX Cart API: nothing to do.
    }
  }

  function adopt(view: ConversationView) {
    if (conversationId !== view.conversationId) store.set(conversationKey, view.conversationId);
    conversationId = view.conversationId;
    failures = 0;
    show(view);
    schedule();
  }

  function forget() {
    conversationId = null;
    cursor = null;
    store.remove(conversationKey);
  }

  // --- polling -----------------------------------------------------------------------------------------------
  /** Open: every few seconds (sooner while typing), slowly while the tab is hidden; closed: only while an answer is awaited. */
  function nextDelay(): number | null {
    if (!conversationId) return null;
    if (root.hidden && !agentTyping) return null;
    const base = document.hidden ? POLL_HIDDEN_MS : agentTyping ? POLL_TYPING_MS : POLL_OPEN_MS;
    return Math.min(base * 2 ** failures, Math.max(base, POLL_MAX_BACKOFF_MS));
  }

  function schedule() {
    window.clearTimeout(pollTimer);
    const delay = nextDelay();
    pollTimer = delay === null ? undefined : window.setTimeout(() => void poll(), delay);
  }

  async function poll() {
    if (!conversationId || polling) return;
    polling = true;
    try {
      show(await call(endpoints.conversation(proxyPath, conversationId, shopperId, cursor)));
      failures = 0;
    } catch (failure) {
      if (failure instanceof ChatApiError && failure.status === 404) forget();
      else failures += 1;
    } finally {
      polling = false;
      schedule();
    }
  }

  document.addEventListener("visibilitychange", () => {
    // Back in view: catch up at once rather than at the end of a long hidden-tab wait.
    if (!document.hidden && nextDelay() !== null) void poll();
    else schedule();
  });
  // Another tab of the shop started a conversation or wrote in it.
  window.addEventListener("storage", (event) => {
    if (event.key === conversationKey && event.newValue && event.newValue !== conversationId) {
      conversationId = event.newValue;
      cursor = null;
      if (!root.hidden) void poll();
    } else if (event.key === activityKey && !root.hidden) {
      void poll();
    }
  });

  function open({ focus }: { focus: boolean }) {
    root.hidden = false;
    tabStore.set(openKey, "1");
    launcher.setAttribute("aria-expanded", "true");
    // A labelled launcher is named by its visible text; an icon-only one by aria-label.
    if (config.settings.launcherLabel) launcher.removeAttribute("aria-label");
    else launcher.setAttribute("aria-label", strings.openChat);
    launcher.querySelector(".badge")?.remove();
    if (focus) input.focus();
    log.scrollTop = log.scrollHeight;
    void poll();
  }

  function close() {
    if (root.hidden) return;
    const hadFocus = shadow.activeElement !== null && root.contains(shadow.activeElement);
    root.hidden = true;
    tabStore.remove(openKey);
    launcher.setAttribute("aria-expanded", "false");
    schedule();
    if (hadFocus) launcher.focus();
  }

  // A returning shopper's thread is fetched at once, so a reply that came while they were away shows on the launcher.
  if (conversationId) void poll();

  return { open, close, isOpen: () => !root.hidden };
}

window[PANEL_GLOBAL] = { mountPanel };
