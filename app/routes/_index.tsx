import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** Shopify opens the app at its root with `shop`/`host`; everything merchant-facing lives under /app. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response("Customer Agent for Shopify + Klaviyo. Install it from the Shopify App Store.", {
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
};
