import type { LoaderFunctionArgs } from "@remix-run/node";
import { DEMO_SHOP, mintSessionToken, requireDemoMode } from "../demo/demo-mode.server";

export const loader = ({ request }: LoaderFunctionArgs) => {
  requireDemoMode();
  const shop = new URL(request.url).searchParams.get("shop") || DEMO_SHOP;
  return new Response(mintSessionToken(shop), { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
};
