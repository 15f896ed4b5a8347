import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { config } from "../config.server";
import { completeOAuth, KlaviyoOAuthError } from "../klaviyo/connection.server";

/** Klaviyo sends the merchant back here, outside the Shopify admin; on success they return to the app's Klaviyo page. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const state = url.searchParams.get("state");
  const code = url.searchParams.get("code");
  const denied = url.searchParams.get("error");
  if (denied || !state || !code) return page(`Klaviyo was not connected${denied ? ` (${denied})` : ""}. Close this tab and try again from the app.`, 400);
  try {
    const { shopDomain } = await completeOAuth(state, code);
    const settings = config();
    const store = shopDomain.replace(".myshopify.com", "");
    throw redirect(
      settings.DEMO_MODE
        ? `/demo/admin?shop=${encodeURIComponent(shopDomain)}&path=/app/klaviyo`
        : `https://admin.shopify.com/store/${store}/apps/${settings.SHOPIFY_API_KEY}/app/klaviyo`,
    );
  } catch (error) {
    if (error instanceof KlaviyoOAuthError) return page(error.message, 400);
    throw error;
  }
};

function page(message: string, status: number) {
  const escaped = message.replace(/[&<>"]/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[character]!);
  return new Response(`<!doctype html><meta charset="utf-8"><title>Klaviyo connection</title><p style="font:16px system-ui;margin:40px">${escaped}</p>`, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}
