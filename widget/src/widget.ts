import { parseConfig, readableTextColor, textDirection, validateIdentity, type Identity, type WidgetConfig } from "./api";
import { PANEL_GLOBAL, type KeyValueStore, type MountPanel, type PanelControls, type PanelHost } from "./contract";

/**
 * The loader, on every storefront page (deferred by the app embed): reads the embed's config and, once the page has
 * loaded, draws the launcher, loads Shopify's Customer Privacy API and answers `window.CustomerAgent` (open, close,
 * identify). The panel's code
 * (widget-panel.js) is fetched when the shopper reaches for the launcher (hover, focus, touch), or at idle time when
 * a conversation is already under way, so a page that nobody chats on pays only for this file. Announced by
 * `customer-agent:ready` on document; failures are reported as `customer-agent:error` with `{ message }`.
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
      routes?: { root?: string };
    };
    CustomerAgent?: CustomerAgentApi;
    /** Klaviyo's onsite script, when the store has it on the page. */
    klaviyo?: { identify?(properties: Record<string, string>): unknown };
    [PANEL_GLOBAL]?: { mountPanel: MountPanel };
  }
}

const ANONYMOUS_ID_KEY = "customer-agent:anonymous-id";
const CHAT_ICON = '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';

/** Web Storage, or memory when the browser refuses it (private modes, sandboxed frames). */
function storage(kind: "localStorage" | "sessionStorage"): KeyValueStore {
  const memory = new Map<string, string>();
  let backing: Storage | null = null;
  try {
    backing = window[kind];
    backing.getItem(ANONYMOUS_ID_KEY);
  } catch {
    backing = null;
  }
  return {
    get: (key) => (backing ? backing.getItem(key) : (memory.get(key) ?? null)),
    set: (key, value) => void (backing ? backing.setItem(key, value) : memory.set(key, value)),
    remove: (key) => void (backing ? backing.removeItem(key) : memory.delete(key)),
  };
}

function emit(name: "ready" | "error", detail: Record<string, unknown>) {
  document.dispatchEvent(new CustomEvent(`customer-agent:${name}`, { detail }));
}

function launcherStyles({ settings }: WidgetConfig): string {
  const accent = settings.accentColor;
  return `:host{all:initial}
.launcher{position:fixed;${settings.position}:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;justify-content:center;width:60px;height:60px;border:0;border-radius:50%;background:${accent};color:${readableTextColor(accent)};box-shadow:0 4px 16px rgba(0,0,0,.2);cursor:pointer}
.launcher.labelled{width:auto;gap:8px;padding:0 20px 0 16px;border-radius:30px;font:600 15px/1 system-ui,-apple-system,"Segoe UI",sans-serif}
.launcher:focus-visible{outline:3px solid ${accent};outline-offset:3px}
.launcher .badge{position:absolute;top:4px;inset-inline-end:4px;width:14px;height:14px;border-radius:50%;background:#c4281c;border:2px solid #fff}
${settings.showOnMobile ? "" : "@media (max-width:749px){.launcher,.panel{display:none!important}}"}`;
}

function mount(config: WidgetConfig): CustomerAgentApi {
  const store = storage("localStorage");
  const tabStore = storage("sessionStorage");
  const identity: Identity = config.customer?.email ? { email: config.customer.email } : {};
  let shopperId = store.get(ANONYMOUS_ID_KEY);
  if (!shopperId) {
    shopperId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
    store.set(ANONYMOUS_ID_KEY, shopperId);
  }

  // Loaded at start (Shopify's own loader; most themes have it already) so the first message carries the
  // shopper's decision: without one the app must treat consent as not given.
  const privacyReady = new Promise<void>((resolve) => {
    if (window.Shopify?.customerPrivacy || !window.Shopify?.loadFeatures) return resolve();
    window.Shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], () => resolve());
  });

  const host = document.createElement("div");
  host.id = "customer-agent";
  // The page's own direction is inherited; a right-to-left locale on a page that does not say so is set here.
  if (textDirection(document.documentElement.dir, config.locale) === "rtl") host.dir = "rtl";
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = launcherStyles(config);
  // Icon only, its accessible name (aria-label) is the only label; with the merchant's label, that visible text is
  // the name, so what a shopper reads and what a screen reader says agree.
  const label = config.settings.launcherLabel;
  const launcher = document.createElement("button");
  launcher.className = label ? "launcher labelled" : "launcher";
  launcher.type = "button";
  for (const [name, value] of Object.entries({ ...(label ? {} : { "aria-label": config.strings.openChat }), title: config.strings.openChat, "aria-expanded": "false", "aria-controls": "customer-agent-panel" })) {
    launcher.setAttribute(name, value);
  }
  launcher.innerHTML = CHAT_ICON;
  if (label) launcher.append(label);
  shadow.append(style, launcher);
  document.body.append(host);

  const panelHost: PanelHost = { config, shadow, launcher, store, tabStore, shopperId, identity, privacyReady, emit };
  let panel: Promise<PanelControls> | null = null;

  function loadPanel(): Promise<PanelControls> {
    panel ??= new Promise<PanelControls>((resolve, reject) => {
      const script = document.createElement("script");
      script.src = config.panelScript;
      script.async = true;
      script.onload = () => {
        const bundle = window[PANEL_GLOBAL];
        if (bundle) resolve(bundle.mountPanel(panelHost));
        else reject(new Error("widget-panel.js loaded but did not register"));
      };
      script.onerror = () => reject(new Error(`Could not load ${config.panelScript}`));
      document.head.append(script);
    }).catch((failure: unknown) => {
      panel = null;
      emit("error", { message: failure instanceof Error ? failure.message : String(failure) });
      throw failure;
    });
    return panel;
  }

  const open = (focus: boolean) => void loadPanel().then((controls) => controls.open({ focus }), () => undefined);
  const close = () => void panel?.then((controls) => controls.close(), () => undefined);

  // The shopper reaching for the launcher fetches the panel before the click lands.
  for (const event of ["pointerenter", "focus", "touchstart"]) launcher.addEventListener(event, () => void loadPanel().catch(() => undefined), { once: true, passive: true });
  launcher.addEventListener("click", () => {
    void loadPanel().then((controls) => (controls.isOpen() ? controls.close() : controls.open({ focus: true })), () => undefined);
  });

  // A conversation under way comes back after a navigation or a reload: at idle time, or at once if the panel was open.
  const conversationKey = `customer-agent:conversation:${config.shop}`;
  if (tabStore.get(`customer-agent:open:${config.shop}`) === "1") open(false);
  else if (store.get(conversationKey)) {
    const idle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 2000));
    idle(() => void loadPanel().catch(() => undefined), { timeout: 5000 });
  }

  return {
    open: () => open(true),
    close,
    identify(candidate) {
      Object.assign(identity, validateIdentity(candidate));
    },
  };
}

/**
 * The launcher is drawn once the page has loaded and the main thread is idle: nothing of the chat runs while the
 * store's own page renders (Lighthouse's window), and `customer-agent:ready` tells a theme's script when
 * `window.CustomerAgent` is there.
 */
function whenPageSettled(callback: () => void) {
  const idle = () => (window.requestIdleCallback ? window.requestIdleCallback(callback, { timeout: 2000 }) : window.setTimeout(callback, 200));
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}

try {
  const config = parseConfig(document.getElementById("customer-agent-config")?.textContent);
  whenPageSettled(() => {
    try {
      window.CustomerAgent = mount(config);
      emit("ready", { shop: config.shop });
    } catch (failure) {
      emit("error", { message: failure instanceof Error ? failure.message : String(failure) });
    }
  });
} catch (failure) {
  emit("error", { message: failure instanceof Error ? failure.message : String(failure) });
}
