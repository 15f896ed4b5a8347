import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { DEMO_SHOP, embeddedAdminUrl, requireDemoMode } from "../demo/demo-mode.server";

/** The demo's way into the embedded admin without Shopify: the same URL Shopify's admin would load. */
export const loader = ({ request }: LoaderFunctionArgs) => {
  requireDemoMode();
  const url = new URL(request.url);
  const path = url.searchParams.get("path") ?? "/app";
  if (!path.startsWith("/app")) throw new Response("path must be an admin page under /app", { status: 400 });
  throw redirect(embeddedAdminUrl(url.searchParams.get("shop") ?? DEMO_SHOP, path));
};
