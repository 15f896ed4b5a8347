import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { config } from "../config.server";
import { connectionStatus } from "../klaviyo/connection.server";
import { conversationCount } from "../conversations/daily-figures.server";
import { deliverySummary } from "../klaviyo/outbox.server";
import { setupStatus } from "../klaviyo/setup.server";

export const APP_EMBED_HANDLE = "chat-widget";

const MAIN_THEME_SETTINGS = `#graphql
  query MainThemeSettings {
    themes(roles: [MAIN], first: 1) {
      nodes {
        files(filenames: ["config/settings_data.json"]) {
          nodes { body { ... on OnlineStoreThemeFileBodyText { content } } }
        }
      }
    }
  }`;

export type EmbedState = "on" | "off" | "unknown";

/**
 * Whether the chat widget's app embed is switched on in the live theme: Shopify records it in the main theme's
 * settings_data.json as a block whose type names this app's embed and which is not disabled.
 */
export async function appEmbedState(admin: AdminApiContext): Promise<EmbedState> {
  try {
    const response = await admin.graphql(MAIN_THEME_SETTINGS);
    const body = (await response.json()) as {
      data?: { themes: { nodes: Array<{ files: { nodes: Array<{ body: { content?: string } }> } }> } };
    };
    const content = body.data?.themes.nodes[0]?.files.nodes[0]?.body.content;
    if (!content) return "unknown";
    const settings = JSON.parse(content.replace(/^\/\*[\s\S]*?\*\/\s*/, "")) as {
      current?: { blocks?: Record<string, { type?: string; disabled?: boolean }> };
    };
    const blocks = Object.values(settings.current?.blocks ?? {});
    return blocks.some((block) => block.type?.includes(`/blocks/${APP_EMBED_HANDLE}/`) && block.disabled !== true) ? "on" : "off";
  } catch {
    return "unknown";
  }
}

export function appEmbedActivationUrl(shopDomain: string): string {
  return `https://${shopDomain}/admin/themes/current/editor?context=apps&activateAppId=${config().SHOPIFY_API_KEY}/${APP_EMBED_HANDLE}`;
}

/** Every step of the Home checklist, read from the real state: the live theme, Klaviyo, its set-up, events, conversations. */
export async function setupChecklist(shop: { id: string; domain: string }, admin: AdminApiContext) {
  const [embed, klaviyo, delivery, setup, conversations] = await Promise.all([
    appEmbedState(admin),
    connectionStatus(shop.id),
    deliverySummary(shop.id),
    setupStatus(shop.id),
    conversationCount(shop.id),
  ]);
  const created = setup.filter((item) => item.state !== "not_started" && item.state !== "failed" && item.state !== "waiting_for_metrics").length;
  return {
    embed: { state: embed, activationUrl: appEmbedActivationUrl(shop.domain) },
    klaviyo,
    delivery,
    klaviyoSetup: { created, total: setup.length },
    conversations,
  };
}
