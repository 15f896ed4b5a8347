import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { config } from "../config.server";
import { abandonOAuth, completeOAuth, KlaviyoOAuthError } from "../klaviyo/connection.server";

const callbackQuery = z.union([
  z.object({ state: z.string().min(1).max(200), code: z.string().min(1).max(2000) }),
  z.object({ state: z.string().max(200).optional(), error: z.string().max(200), error_description: z.string().max(1000).optional() }),
]);

/**
 * Klaviyo sends the merchant back here at the top level of the browser, outside the Shopify admin: no session
 * token, so the single-use state is what ties the request to the shop that started the sign-in.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const parsed = callbackQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return errorPage("This is not a complete answer from Klaviyo. Start again from the app's Klaviyo page.");
  if ("error" in parsed.data) {
    const attempt = parsed.data.state ? await abandonOAuth(parsed.data.state) : null;
    const reason = parsed.data.error === "access_denied" ? "access was not approved" : (parsed.data.error_description ?? parsed.data.error);
    return errorPage(`Klaviyo was not connected: ${reason}. You can try again from the app's Klaviyo page.`, attempt?.shopDomain);
  }
  try {
    const { shopDomain } = await completeOAuth(parsed.data.state, parsed.data.code);
    return redirect(klaviyoPageUrl(shopDomain));
  } catch (error) {
    if (error instanceof KlaviyoOAuthError) return errorPage(error.message, error.shopDomain);
    throw error;
  }
};

/** The app's Klaviyo page inside the shop's admin (in the demo, the local stand-in for the admin). */
function klaviyoPageUrl(shopDomain: string) {
  const settings = config();
  if (settings.DEMO_MODE) return `/demo/admin?${new URLSearchParams({ shop: shopDomain, path: "/app/klaviyo" })}`;
  return `https://admin.shopify.com/store/${shopDomain.replace(/\.myshopify\.com$/, "")}/apps/${settings.SHOPIFY_API_KEY}/app/klaviyo`;
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character]!);
}

function errorPage(message: string, shopDomain?: string) {
  const back = shopDomain
    ? `<p><a href="${escapeHtml(klaviyoPageUrl(shopDomain))}">Back to the app's Klaviyo page</a></p>`
    : `<p><a href="https://admin.shopify.com">Back to Shopify admin</a></p>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Klaviyo was not connected</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#303030;background:#f1f1f1;margin:0}main{max-width:560px;margin:64px auto;background:#fff;border-radius:12px;padding:24px 28px;box-shadow:0 1px 3px rgba(0,0,0,.15)}h1{font-size:20px;margin:0 0 12px}a{color:#005bd3}</style>
</head><body><main><h1>Klaviyo was not connected</h1><p>${escapeHtml(message)}</p>${back}</main></body></html>`;
  return new Response(html, { status: 400, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
