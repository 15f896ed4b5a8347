import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { agentSettings } from "../agent/settings.server";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { readShopSettings } from "./settings.server";

/**
 * The chat's look reaches the storefront as an app-owned metafield on the app's installation, which the theme app
 * extension's Liquid reads (`app.metafields.customer_agent.widget.value`): Shopify renders it into the page with
 * the embed, so no page view ever waits on the app. Written whenever the merchant saves the look, the agent's name
 * or its greeting (decision record 007).
 */
export const WIDGET_METAFIELD = { namespace: "customer_agent", key: "widget" } as const;

const SET_WIDGET_LOOK = `#graphql
  mutation SetWidgetLook($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key updatedAt }
      userErrors { field message code }
    }
  }`;

const APP_INSTALLATION = `#graphql
  query AppInstallationId { currentAppInstallation { id } }`;

/** What the Liquid reads, in Liquid's snake_case. */
export interface WidgetLookValue {
  accent_color: string;
  position: "right" | "left";
  launcher_label: string;
  hidden_page_types: string[];
  greeting: string | null;
  agent_name: string | null;
}

export function widgetLookValue(storedSettings: unknown): WidgetLookValue {
  const { widget } = readShopSettings(storedSettings);
  const { persona } = agentSettings(storedSettings);
  return {
    accent_color: widget.accentColor,
    position: widget.position,
    launcher_label: widget.launcherLabel,
    hidden_page_types: widget.hiddenPageTypes,
    greeting: persona.greeting,
    agent_name: persona.name,
  };
}

export type PublishResult = { ok: true } | { ok: false; detail: string };

/** Writes the shop's current look to the metafield. A refusal is returned (and logged), the settings stay saved. */
export async function publishWidgetLook(admin: Pick<AdminApiContext, "graphql">, shopId: string): Promise<PublishResult> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  try {
    const installation = (await (await admin.graphql(APP_INSTALLATION)).json()) as { data?: { currentAppInstallation?: { id: string } } };
    const ownerId = installation.data?.currentAppInstallation?.id;
    if (!ownerId) return refused("Shopify did not return the app installation");
    const response = await admin.graphql(SET_WIDGET_LOOK, {
      variables: { metafields: [{ ownerId, ...WIDGET_METAFIELD, type: "json", value: JSON.stringify(widgetLookValue(shop.settings)) }] },
    });
    const body = (await response.json()) as { data?: { metafieldsSet?: { userErrors: Array<{ message: string }> } }; errors?: unknown };
    const result = body.data?.metafieldsSet;
    if (!result) return refused(JSON.stringify(body.errors ?? "no data"));
    if (result.userErrors.length > 0) return refused(result.userErrors.map((error) => error.message).join(" "));
    return { ok: true };
  } catch (error) {
    return refused(error instanceof Error ? error.message : String(error));
  }
}

function refused(detail: string): PublishResult {
  logger().warn({ source: "widget-look", detail }, "Shopify refused the widget look metafield");
  return { ok: false, detail };
}
