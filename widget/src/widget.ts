import {
  ChatApiError,
  consentFrom,
  endpoints,
  klaviyoExchangeId,
  parseConfig,
  parseConversationView,
  readableTextColor,
  validateIdentity,
  type ChatMessage,
  type ConversationView,
  type Identity,
  type WidgetConfig,
} from "./api";

/**
 * The storefront chat: a launcher button at load, the panel built on first open. Public API on
 * `window.CustomerAgent` (open, close, identify), announced by `customer-agent:ready` on document; failures are
 * reported as `customer-agent:error` with `{ message }`.
 */
interface CustomerPrivacy {
  analyticsProcessingAllowed(): boolean;
  marketingAllowed(): boolean;
}

interface CustomerAgentApi {
  open(): void;
  close(): void;
  identify(identity: Identity): void;
}

declare global {
  interface Window {
    Shopify?: {
      customerPrivacy?: CustomerPrivacy;
      loadFeatures?(features: Array<{ name: string; version: string }>, callback: (error?: unknown) => void): void;
    };
    CustomerAgent?: CustomerAgentApi;
  }
}

const ANONYMOUS_ID_KEY = "customer-agent:anonymous-id";
const POLL_INTERVAL_MS = 4000;
/** While the agent is typing, its answer is polled for sooner. */
const TYPING_POLL_INTERVAL_MS = 1500;
/** How long a first message waits for Shopify's Customer Privacy API before going without a consent decision. */
const PRIVACY_API_WAIT_MS = 1500;
const REQUEST_TIMEOUT_MS = 20_000;
const CHAT_ICON = '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';

/** localStorage, or memory when the browser refuses it (private modes, sandboxed frames). */
const store = (() => {
  const memory = new Map<string, string>();
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
    storage.getItem(ANONYMOUS_ID_KEY);
  } catch {
    storage = null;
  }
  return {
    get: (key: string) => (storage ? storage.getItem(key) : (memory.get(key) ?? null)),
    set: (key: string, value: string) => (storage ? storage.setItem(key, value) : memory.set(key, value)),
    remove: (key: string) => (storage ? storage.removeItem(key) : memory.delete(key)),
  };
})();

function rememberNewAnonymousId(): string {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
  store.set(ANONYMOUS_ID_KEY, id);
  return id;
}

function emit(name: "ready" | "error", detail: Record<string, unknown>) {
  document.dispatchEvent(new CustomEvent(`customer-agent:${name}`, { detail }));
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, content?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (content !== undefined) node.textContent = content;
  return node;
}

function styles({ settings }: WidgetConfig): string {
  const accent = settings.accentColor;
  const onAccent = readableTextColor(accent);
  const side = settings.position;
  return `:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
.launcher{position:fixed;${side}:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;justify-content:center;width:60px;height:60px;border:0;border-radius:50%;background:${accent};color:${onAccent};box-shadow:0 4px 16px rgba(0,0,0,.2);cursor:pointer}
.panel{position:fixed;${side}:20px;bottom:88px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;color:#1a1a1a;border-radius:14px;box-shadow:0 8px 32px rgba(0,0,0,.25);overflow:hidden;font-size:14px;line-height:1.45}
[hidden]{display:none!important}
.header{display:flex;justify-content:space-between;align-items:center;padding:12px 16px;background:${accent};color:${onAccent}}
.header h2{margin:0;font-size:16px}
.close{background:none;border:0;color:inherit;font-size:24px;line-height:1;cursor:pointer;padding:0 4px}
.log{flex:1;overflow-y:auto;padding:12px 16px;display:flex;flex-direction:column;gap:8px}
.message{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.shopper{align-self:flex-end;background:${accent};color:${onAccent}}
.pending{opacity:.7}
.agent,.staff{align-self:flex-start;background:#f1f1ef}
.staff{border-left:3px solid ${accent}}
.typing{letter-spacing:2px}
.system{align-self:center;color:#555;font-size:13px;text-align:center}
.error{margin:0;padding:0 16px 8px;color:#8e1f0b}
.error:empty{display:none}
.human{margin:0 12px 8px;padding:8px;border-radius:8px;border:1px solid ${accent};background:#fff;color:#1a1a1a;cursor:pointer;font-size:14px}
form{display:flex;gap:8px;padding:12px;border-top:1px solid #e6e6e6}
textarea{flex:1;resize:none;border:1px solid #8a8a8a;border-radius:8px;padding:8px;font-size:14px;color:#1a1a1a}
form button{border:0;border-radius:8px;padding:8px 14px;background:${accent};color:${onAccent};font-size:14px;font-weight:600;cursor:pointer}
form button:disabled{opacity:.6;cursor:default}
:focus-visible{outline:2px solid ${accent};outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.panel{left:0;right:0;bottom:0;width:100vw;height:85vh;border-radius:14px 14px 0 0}}
${settings.showOnMobile ? "" : "@media (max-width:749px){.launcher,.panel{display:none!important}}"}`;
}

function mount(config: WidgetConfig): CustomerAgentApi {
  const { proxyPath, strings } = config;
  const conversationKey = `customer-agent:conversation:${config.shop}`;
  const identity: Identity = config.customer?.email ? { email: config.customer.email } : {};
  const shopperId = store.get(ANONYMOUS_ID_KEY) ?? rememberNewAnonymousId();
  let conversationId = store.get(conversationKey);
  let panel: ReturnType<typeof buildPanel> | null = null;
  let pollTimer: number | undefined;
  let polling = false;

  // Loaded at start (Shopify's own loader; most themes have it already) so the first message carries the
  // shopper's decision: without one the app must treat consent as not given.
  const privacyReady = new Promise<void>((resolve) => {
    if (window.Shopify?.customerPrivacy || !window.Shopify?.loadFeatures) return resolve();
    window.Shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], () => resolve());
  });

  const host = element("div", { id: "customer-agent" });
  const shadow = host.attachShadow({ mode: "open" });
  // Icon only, so its accessible name (aria-label) is the only label: no visible text to contradict it.
  const launcher = element("button", { class: "launcher", type: "button", "aria-label": strings.openChat, title: strings.openChat, "aria-expanded": "false", "aria-controls": "customer-agent-panel" });
  launcher.innerHTML = CHAT_ICON;
  shadow.append(element("style", {}, styles(config)), launcher);
  document.body.append(host);

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
        const message = payload && typeof payload === "object" && typeof (payload as { error?: unknown }).error === "string" ? (payload as { error: string }).error : strings.unavailable;
        throw new ChatApiError(response.status, message);
      }
      return parseConversationView(payload);
    } catch (failure) {
      throw failure instanceof ChatApiError ? failure : new ChatApiError(0, strings.unavailable);
    } finally {
      window.clearTimeout(timeout);
    }
  }

  function buildPanel() {
    const root = element("section", { class: "panel", id: "customer-agent-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "customer-agent-title" });
    const header = element("div", { class: "header" });
    const close = element("button", { class: "close", type: "button", "aria-label": strings.closeChat }, "×");
    header.append(element("h2", { id: "customer-agent-title" }, strings.title), close);
    // role=log is a polite live region: only messages appended later are announced.
    const log = element("div", { class: "log", role: "log", "aria-live": "polite" });
    log.append(element("div", { class: "message agent" }, config.settings.greeting));
    const typing = element("div", { class: "message agent typing", hidden: "", "aria-label": strings.typing }, "…");
    const error = element("p", { class: "error", role: "alert" });
    const human = element("button", { class: "human", type: "button", hidden: "" }, strings.talkToPerson);
    const form = element("form");
    const input = element("textarea", { id: "customer-agent-input", rows: "2", maxlength: "4000", placeholder: strings.messagePlaceholder });
    const send = element("button", { type: "submit" }, strings.send);
    form.append(element("label", { class: "visually-hidden", for: "customer-agent-input" }, strings.messageLabel), input, send);
    root.append(header, log, error, human, form);
    shadow.append(root);

    const rendered = new Set<string>();
    close.addEventListener("click", hide);
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") hide();
    });
    const submitInput = () => {
      const message = input.value.trim();
      if (message && !send.disabled) void submit(message);
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

    /** Appends what is new; the shopper's own optimistic bubble is confirmed in place rather than shown twice. */
    function show(view: ConversationView) {
      for (const message of view.messages) {
        if (rendered.has(message.id)) continue;
        rendered.add(message.id);
        const pending = message.author === "shopper" ? [...log.querySelectorAll<HTMLElement>(".pending")].find((bubble) => bubble.textContent === message.body) : undefined;
        if (pending) pending.classList.remove("pending");
        else log.append(bubble(message));
      }
      human.hidden = view.status !== "open";
      typing.hidden = !view.agentTyping;
      log.append(typing);
      log.scrollTop = log.scrollHeight;
    }

    function bubble(message: Pick<ChatMessage, "author" | "body">) {
      return element("div", { class: `message ${message.author}` }, message.body);
    }

    function fail(failure: unknown) {
      const message = failure instanceof Error ? failure.message : strings.unavailable;
      error.textContent = message;
      emit("error", { message, status: failure instanceof ChatApiError ? failure.status : undefined });
    }

    async function submit(message: string) {
      error.textContent = "";
      // Focus stays in the textarea: the send button is disabled while sending and would drop it to the page.
      input.focus();
      send.disabled = true;
      input.value = "";
      const optimistic = bubble({ author: "shopper", body: message });
      optimistic.classList.add("pending");
      log.append(optimistic);
      log.scrollTop = log.scrollHeight;
      await Promise.race([privacyReady, new Promise((resolve) => window.setTimeout(resolve, PRIVACY_API_WAIT_MS))]);
      const body = { anonymousId: shopperId, message, ...identity, consent: consentFrom(window.Shopify?.customerPrivacy) };
      try {
        adopt(await post(body));
      } catch (failure) {
        optimistic.remove();
        input.value = message;
        fail(failure);
      } finally {
        send.disabled = false;
      }
    }

    /** A conversation that is gone (404) is forgotten and the message starts a new one. */
    async function post(body: { anonymousId: string; message: string }): Promise<ConversationView> {
      if (conversationId) {
        try {
          return await call(endpoints.sendMessage(proxyPath, conversationId), body);
        } catch (failure) {
          if (!(failure instanceof ChatApiError && failure.status === 404)) throw failure;
          forget();
        }
      }
      const exchangeId = klaviyoExchangeId(document.cookie);
      return call(endpoints.startConversation(proxyPath), { ...body, ...(exchangeId ? { klaviyoExchangeId: exchangeId } : {}) });
    }

    async function escalate() {
      if (!conversationId) return;
      human.disabled = true;
      try {
        adopt(await call(endpoints.escalate(proxyPath, conversationId), { anonymousId: shopperId }));
      } catch (failure) {
        fail(failure);
      } finally {
        human.disabled = false;
      }
    }

    return { root, input, show };
  }

  function adopt(view: ConversationView) {
    conversationId = view.conversationId;
    store.set(conversationKey, view.conversationId);
    panel?.show(view);
    schedulePolling(view.agentTyping ? TYPING_POLL_INTERVAL_MS : POLL_INTERVAL_MS);
  }

  let pollEvery = 0;
  function schedulePolling(interval: number) {
    if (!panel || panel.root.hidden || interval === pollEvery) return;
    pollEvery = interval;
    window.clearInterval(pollTimer);
    pollTimer = window.setInterval(() => void poll(), interval);
  }

  function forget() {
    conversationId = null;
    store.remove(conversationKey);
  }

  /** Fetches staff replies; skipped while the tab is hidden or a previous poll is still running. */
  async function poll() {
    if (!conversationId || polling || document.hidden) return;
    polling = true;
    try {
      adopt(await call(endpoints.conversation(proxyPath, conversationId, shopperId)));
    } catch (failure) {
      if (failure instanceof ChatApiError && failure.status === 404) forget();
    } finally {
      polling = false;
    }
  }

  function open() {
    if (!panel) panel = buildPanel();
    panel.root.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    panel.input.focus();
    void poll();
    pollEvery = 0;
    schedulePolling(POLL_INTERVAL_MS);
  }

  function hide() {
    if (!panel || panel.root.hidden) return;
    const hadFocus = shadow.activeElement !== null && panel.root.contains(shadow.activeElement);
    panel.root.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    window.clearInterval(pollTimer);
    pollEvery = 0;
    if (hadFocus) launcher.focus();
  }

  launcher.addEventListener("click", () => (panel && !panel.root.hidden ? hide() : open()));

  return {
    open,
    close: hide,
    identify(candidate) {
      Object.assign(identity, validateIdentity(candidate));
    },
  };
}

try {
  const config = parseConfig(document.getElementById("customer-agent-config")?.textContent);
  window.CustomerAgent = mount(config);
  emit("ready", { shop: config.shop });
} catch (failure) {
  emit("error", { message: failure instanceof Error ? failure.message : String(failure) });
}
