import { endpoints, klaviyoExchangeId, parseConfig, validateIdentity, type ConversationView, type WidgetConfig } from "./api";

interface CustomerPrivacy {
  analyticsProcessingAllowed(): boolean;
  marketingAllowed(): boolean;
}

declare global {
  interface Window {
    Shopify?: { customerPrivacy?: CustomerPrivacy };
    CustomerAgent?: { open(): void; close(): void; identify(identity: { email?: string; phone?: string }): void };
  }
}

const STORAGE_KEY = "customer-agent:anonymous-id";
const CONVERSATION_KEY = "customer-agent:conversation";
const POLL_INTERVAL_MS = 4000;

function anonymousId(): string {
  let id = localStorage.getItem(STORAGE_KEY);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(STORAGE_KEY, id);
  }
  return id;
}

function consent() {
  const privacy = window.Shopify?.customerPrivacy;
  if (!privacy) return {};
  return { analytics: privacy.analyticsProcessingAllowed(), marketing: privacy.marketingAllowed() };
}

function emit(name: "ready" | "error", detail: unknown) {
  document.dispatchEvent(new CustomEvent(`customer-agent:${name}`, { detail }));
}

function styles(config: WidgetConfig) {
  const side = config.settings.position;
  return `
  .ca-launcher{position:fixed;${side}:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;background:${config.settings.accentColor};color:#fff;font:600 15px system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2);cursor:pointer}
  .ca-panel{position:fixed;${side}:20px;bottom:84px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 32px rgba(0,0,0,.25);font:14px system-ui,sans-serif;color:#1a1a1a;overflow:hidden}
  .ca-panel[hidden]{display:none}
  .ca-header{display:flex;justify-content:space-between;align-items:center;padding:12px 16px;background:${config.settings.accentColor};color:#fff;font-weight:600}
  .ca-header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}
  .ca-messages{flex:1;overflow-y:auto;padding:12px 16px;display:flex;flex-direction:column;gap:8px}
  .ca-message{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}
  .ca-shopper{align-self:flex-end;background:${config.settings.accentColor};color:#fff}
  .ca-agent,.ca-staff{align-self:flex-start;background:#f1f1f1}
  .ca-system{align-self:center;color:#616161;font-size:13px;text-align:center}
  .ca-form{display:flex;gap:8px;padding:12px;border-top:1px solid #eee}
  .ca-form textarea{flex:1;resize:none;border:1px solid #ccc;border-radius:8px;padding:8px;font:inherit}
  .ca-form button,.ca-human{border:0;border-radius:8px;padding:8px 12px;background:${config.settings.accentColor};color:#fff;font:inherit;cursor:pointer}
  .ca-human{margin:0 12px 12px;background:#fff;color:${config.settings.accentColor};border:1px solid ${config.settings.accentColor}}
  .ca-error{color:#8e1f0b;padding:0 16px 8px}
  ${config.settings.showOnMobile ? "" : "@media (max-width: 749px){.ca-launcher,.ca-panel{display:none!important}}"}`;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function mount(config: WidgetConfig) {
  const shopperId = anonymousId();
  const identity: { email?: string; phone?: string } = config.customer?.email ? { email: config.customer.email } : {};
  let conversationId = sessionStorage.getItem(CONVERSATION_KEY);
  let pollTimer: number | undefined;

  const root = element("div", { class: "customer-agent" });
  const shadow = root.attachShadow({ mode: "open" });
  shadow.append(element("style", {}, styles(config)));
  const launcher = element("button", { class: "ca-launcher", type: "button", "aria-label": "Open chat", "aria-expanded": "false" }, "Chat with us");
  const panel = element("div", { class: "ca-panel", role: "dialog", "aria-label": "Chat with the store", hidden: "" });
  const header = element("div", { class: "ca-header" });
  const close = element("button", { type: "button", "aria-label": "Close chat" }, "×");
  header.append(element("span", {}, "Customer Agent"), close);
  const messages = element("div", { class: "ca-messages", "aria-live": "polite" });
  const error = element("div", { class: "ca-error", role: "alert" });
  const form = element("form", { class: "ca-form" });
  const input = element("textarea", { rows: "2", "aria-label": "Your message", placeholder: "Type your message…", maxlength: "4000" });
  form.append(input, element("button", { type: "submit" }, "Send"));
  const human = element("button", { class: "ca-human", type: "button" }, "Talk to a person");
  panel.append(header, messages, error, form, human);
  shadow.append(launcher, panel);
  document.body.append(root);

  function render(view: ConversationView | null) {
    messages.replaceChildren(element("div", { class: "ca-message ca-agent" }, config.settings.greeting));
    for (const message of view?.messages ?? []) messages.append(element("div", { class: `ca-message ca-${message.author}` }, message.body));
    human.hidden = !view || view.status === "escalated";
    messages.scrollTop = messages.scrollHeight;
  }

  async function call(url: string, init?: RequestInit): Promise<ConversationView> {
    const response = await fetch(url, { ...init, headers: { "Content-Type": "application/json", Accept: "application/json" }, credentials: "same-origin" });
    const body = (await response.json().catch(() => ({}))) as ConversationView & { error?: string };
    if (!response.ok) throw new Error(body.error ?? `The chat is unavailable (${response.status})`);
    return body;
  }

  async function refresh() {
    if (!conversationId) return render(null);
    try {
      render(await call(endpoints.poll(config.proxyPath, conversationId, shopperId)));
    } catch {
      conversationId = null;
      sessionStorage.removeItem(CONVERSATION_KEY);
      render(null);
    }
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
    void refresh();
    pollTimer = window.setInterval(() => void refresh(), POLL_INTERVAL_MS);
  }

  function hide() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    window.clearInterval(pollTimer);
    launcher.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : hide()));
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message) return;
    error.textContent = "";
    const body = { anonymousId: shopperId, message, ...identity, consent: consent() };
    const request = conversationId
      ? call(endpoints.message(config.proxyPath, conversationId), { method: "POST", body: JSON.stringify(body) })
      : call(endpoints.start(config.proxyPath), { method: "POST", body: JSON.stringify({ ...body, klaviyoExchangeId: klaviyoExchangeId(document.cookie) }) });
    input.value = "";
    request
      .then((view) => {
        conversationId = view.conversationId;
        sessionStorage.setItem(CONVERSATION_KEY, view.conversationId);
        render(view);
      })
      .catch((failure: Error) => {
        input.value = message;
        error.textContent = failure.message;
        emit("error", { message: failure.message });
      });
  });
  human.addEventListener("click", () => {
    if (!conversationId) return;
    call(endpoints.escalate(config.proxyPath, conversationId), { method: "POST", body: JSON.stringify({ anonymousId: shopperId }) })
      .then(render)
      .catch((failure: Error) => {
        error.textContent = failure.message;
      });
  });

  render(null);
  window.CustomerAgent = {
    open,
    close: hide,
    identify(candidate) {
      Object.assign(identity, validateIdentity(candidate));
    },
  };
  emit("ready", { shop: config.shop });
}

try {
  mount(parseConfig(document.getElementById("customer-agent-config")?.textContent));
} catch (failure) {
  emit("error", { message: (failure as Error).message });
}
