import type { Identity, WidgetConfig } from "./api";

/**
 * What the loader (widget.js, on every page) hands the panel (widget-panel.js, fetched on first interaction or idle
 * time). Types, and the one global's name.
 */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export interface PanelHost {
  config: WidgetConfig;
  shadow: ShadowRoot;
  launcher: HTMLButtonElement;
  /** localStorage (shared by the shop's tabs), or memory when the browser refuses it. */
  store: KeyValueStore;
  /** sessionStorage: this tab's panel state across navigations. */
  tabStore: KeyValueStore;
  shopperId: string;
  /** Filled by `CustomerAgent.identify()` and the logged-in customer; read at each message. */
  identity: Identity;
  /** Settles once Shopify's Customer Privacy API has loaded (or cannot). */
  privacyReady: Promise<void>;
  emit(name: "ready" | "error", detail: Record<string, unknown>): void;
}

export interface PanelControls {
  open(options: { focus: boolean }): void;
  close(): void;
  isOpen(): boolean;
}

export type MountPanel = (host: PanelHost) => PanelControls;

/** The panel bundle's one global; the loader calls it once the script has run. */
export const PANEL_GLOBAL = "__customerAgentPanel";
