import { createHmac, randomUUID } from "node:crypto";
import { config } from "../config.server";

export const DEMO_SHOP = "demo-outfitters.myshopify.com";
export const DEMO_SHOP_ACCESS_TOKEN = "shpat_demo_outfitters_offline_token";
export const DEMO_KLAVIYO_API_KEY = "pk_demo_outfitters_0000000000000000";
/** The demo shop's account on the fake Twilio, and its numbers (Twilio's own test and WhatsApp sandbox numbers). */
export const DEMO_TWILIO = {
  accountSid: "AC0000000000000000000000000000de30",
  authToken: "00000000000000000000000000de30ff",
  smsNumber: "+15005550006",
  whatsappNumber: "+14155238886",
} as const;

/** The demo routes exist only in DEMO_MODE; anywhere else they answer 404 like any unknown path. */
export function requireDemoMode() {
  if (!config().DEMO_MODE) throw new Response("Not Found", { status: 404 });
}

function base64url(value: string | Buffer) {
  return Buffer.from(value).toString("base64url");
}

/**
 * A session token shaped and signed exactly like the one Shopify's admin hands App Bridge, so the demo admin
 * goes through the library's real verification instead of a bypass.
 */
export function mintSessionToken(shop: string, now = Date.now()): string {
  const settings = config();
  const issuedAt = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: settings.SHOPIFY_API_KEY,
      sub: "1",
      exp: issuedAt + 60,
      nbf: issuedAt - 5,
      iat: issuedAt,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", settings.SHOPIFY_API_SECRET).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

export function embeddedAdminUrl(shop: string, path: string): string {
  const url = new URL(path, config().SHOPIFY_APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64"));
  url.searchParams.set("id_token", mintSessionToken(shop));
  return `${url.pathname}${url.search}`;
}

/**
 * Stands in for App Bridge (loaded from Shopify's CDN inside the real admin): it hands out session tokens and adds
 * them to the app's own fetches as a bearer header, which is what App Bridge does for an embedded app.
 */
function appBridgeStandIn() {
  const params = new URLSearchParams(window.location.search);
  const shop = params.get("shop") ?? window.sessionStorage.getItem("demo-shop") ?? "";
  window.sessionStorage.setItem("demo-shop", shop);
  const nativeFetch = window.fetch.bind(window);
  let cached: { token: string; expiresAt: number } | null = params.get("id_token")
    ? { token: params.get("id_token")!, expiresAt: Date.now() + 45_000 }
    : null;

  async function idToken(): Promise<string> {
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const response = await nativeFetch(`/demo/session-token?shop=${encodeURIComponent(shop)}`);
    cached = { token: await response.text(), expiresAt: Date.now() + 45_000 };
    return cached.token;
  }

  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith("/demo/")) return nativeFetch(input, init);
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("Authorization", `Bearer ${await idToken()}`);
    return nativeFetch(input, { ...init, headers });
  };

  function toast(message: string, options: { isError?: boolean } = {}) {
    const element = document.createElement("div");
    element.setAttribute("role", "status");
    element.textContent = message;
    element.style.cssText = `position:fixed;bottom:24px;left:50%;transform:translateX(-50%);padding:10px 16px;border-radius:8px;color:#fff;font:14px system-ui;z-index:9999;background:${options.isError ? "#8e1f0b" : "#303030"}`;
    document.body.appendChild(element);
    setTimeout(() => element.remove(), 4000);
  }

  // Inside Shopify's admin the nav menu lives in the admin's sidebar; here it becomes a bar above the page.
  const navStyle = document.createElement("style");
  navStyle.textContent =
    "ui-nav-menu{display:flex;flex-wrap:wrap;gap:8px 20px;padding:12px 24px;background:#1a1a1a}ui-nav-menu a{color:#e3e3e3;text-decoration:none;font:500 14px system-ui}ui-nav-menu a:hover{color:#fff}";
  document.head.appendChild(navStyle);

  Object.assign(window, {
    shopify: { idToken, toast: { show: toast }, config: { shop }, loading: () => undefined },
  });
}

export const APP_BRIDGE_STAND_IN_SCRIPT = `(${appBridgeStandIn.toString()})();`;
