import { createHmac, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import { executeAdminGraphql, type AdminApiShopState, type AdminGraphqlRequest } from "./admin-api";
import type { DemoCatalog, DemoCustomer } from "./catalog";
import { addToCart, CartError, cartJson, productImageSvg, renderCartPage, renderProxiedLiquid, renderStorefrontPage, updateCart, type StorefrontCart, type StorefrontContext } from "./storefront";
import { EXTENSION_DIRECTORY, loadAppEmbedBlocks } from "./theme-extension";

/**
 * A local stand-in for the parts of Shopify this app talks to, speaking Shopify's HTTP contracts:
 * - `POST /admin/api/{version}/graphql.json?shop={domain}`: the Admin GraphQL API (see admin-api.ts), behind the
 *   shop's access token;
 * - `GET /`, `/collections/{handle}`, `/products/{handle}`: the Online Store, rendering the app's real app embed;
 *   `?customer_id={id}` signs a demo customer in (a cookie keeps them signed in, `?customer_id=` signs out) and
 *   `?shop={domain}` picks the shop when the fake serves several;
 * - `ANY /apps/customer-agent/*`: the app proxy, forwarding to `{appUrl}/proxy/*` signed, without cookies;
 * - `GET /cart.js`, `POST /cart/add.js`, `POST /cart/update.js` (JSON or form bodies) and `GET /cart`: the AJAX Cart
 *   API over a cart kept per `cart` cookie, with line items, a note and attributes (see storefront.ts);
 * - `GET /images/{handle}.svg` and `GET /extension-assets/{file}`: product images and the extension's assets.
 * Used by the tests and by the offline demo.
 */
export const APP_PROXY_PREFIX = "/apps/customer-agent";
/** The storefront's session cookie: holds the signed-in demo customer's numeric id. */
export const CUSTOMER_SESSION_COOKIE = "_fake_customer_session";
const SHOP_COOKIE = "_fake_shop";
/** Shopify's cart token cookie, readable by the theme's scripts. */
export const CART_COOKIE = "cart";
const INVALID_TOKEN_BODY = JSON.stringify({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
const HOP_BY_HOP_HEADERS = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"]);

export interface FakeShopifyOptions {
  /** 0 or absent: any free port. */
  port?: number;
  /** The app's API secret: signs app proxy requests. */
  apiSecret: string;
  /** Where the app runs; the app proxy forwards to `{appUrl}/proxy/*`. */
  appUrl: string;
  shops: DemoCatalog[];
  /** Admin API access token per shop domain; a shop without one accepts `shpat_{shop domain}`. */
  accessTokens?: Record<string, string>;
  /** Klaviyo's onsite script URL for every storefront page (the store uses Klaviyo's own app embed too). */
  klaviyoOnsiteScript?: string;
}

export interface FakeShopify {
  /** Origin of the fake, e.g. http://localhost:4000: the storefront, the Admin API and the app proxy. */
  url: string;
  close(): Promise<void>;
  addShop(catalog: DemoCatalog, accessToken: string): void;
  /** The theme editor's app embed toggle: decides the storefront's widget and the main theme's settings_data.json. */
  setAppEmbedEnabled(shop: string, enabled: boolean): void;
  /** The cart behind a `cart` cookie's token, as the shop's checkout would receive it. */
  cart(shop: string, token: string): StorefrontCart | undefined;
}

interface ShopEntry extends AdminApiShopState {
  accessToken: string;
}

/**
 * Shopify's app proxy signature: hex HMAC-SHA256 with the app secret over every query parameter but `signature`,
 * each as `key=value` (a repeated key's values joined by commas), sorted, concatenated without a separator.
 */
export function signAppProxyQuery(params: URLSearchParams | Record<string, string | string[]>, secret: string): string {
  const grouped = new Map<string, string[]>();
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((item) => [key, item] as const));
  for (const [key, value] of entries) {
    if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped].map(([key, values]) => `${key}=${values.join(",")}`).sort().join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(/;\s*/) ?? []) {
    const separator = part.indexOf("=");
    if (separator > 0) cookies.set(part.slice(0, separator), decodeURIComponent(part.slice(separator + 1)));
  }
  return cookies;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "X-Request-Id": randomUUID(), ...headers }).end(body);
}

function forwardableHeaders(headers: IncomingHttpHeaders, drop: ReadonlySet<string>): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP_HEADERS.has(name) && !drop.has(name)));
}

/** A JSON body, or a form one (`id=1&quantity=2`, `attributes[key]=value`, `updates[id]=n`) as themes' forms post. */
function parseCartBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (!text.trim()) return {};
  if (contentType?.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new CartError(400, "The request body must be a JSON object");
    return parsed as Record<string, unknown>;
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const nested = /^(\w+)\[([^\]]*)\]$/.exec(key);
    if (nested) body[nested[1]!] = { ...(body[nested[1]!] as Record<string, string> | undefined), [nested[2]!]: value };
    else body[key] = value;
  }
  return body;
}

export async function startFakeShopify(options: FakeShopifyOptions): Promise<FakeShopify> {
  const shops = new Map<string, ShopEntry>();
  /** Carts by `{shop} {token}`. */
  const carts = new Map<string, StorefrontCart>();
  let origin = "";

  function addShop(catalog: DemoCatalog, accessToken: string) {
    shops.set(catalog.shop.myshopifyDomain, { catalog, accessToken, appEmbedEnabled: true, appMetafields: new Map() });
  }
  for (const catalog of options.shops) {
    const domain = catalog.shop.myshopifyDomain;
    addShop(catalog, options.accessTokens?.[domain] ?? `shpat_${domain}`);
  }

  /** `?shop=`, else the Host header (when the fake is reached as `{shop}.myshopify.com`), else the chosen shop's cookie, else the first shop. */
  function storefrontShop(request: IncomingMessage, url: URL, cookies: Map<string, string>): ShopEntry | undefined {
    const requested = url.searchParams.get("shop");
    if (requested) return shops.get(requested);
    const candidates = [request.headers.host?.replace(/:\d+$/, ""), cookies.get(SHOP_COOKIE)];
    const known = candidates.find((domain) => domain && shops.has(domain));
    return known ? shops.get(known) : shops.values().next().value;
  }

  function signedInCustomer(shop: ShopEntry, customerId: string | undefined): DemoCustomer | null {
    return (customerId && shop.catalog.customers.find((customer) => customer.legacyResourceId === customerId)) || null;
  }

  async function adminGraphql(request: IncomingMessage, response: ServerResponse, url: URL, version: string) {
    const domain = url.searchParams.get("shop") ?? request.headers.host?.replace(/:\d+$/, "") ?? "";
    const shop = shops.get(domain);
    if (!shop) return sendJson(response, 404, JSON.stringify({ errors: "Not Found" }));
    if (request.headers["x-shopify-access-token"] !== shop.accessToken) return sendJson(response, 401, INVALID_TOKEN_BODY);
    const body = await readBody(request);
    let graphqlRequest: AdminGraphqlRequest | null = null;
    if (request.headers["content-type"]?.startsWith("application/graphql")) {
      graphqlRequest = { query: body };
    } else {
      try {
        const parsed = JSON.parse(body) as Partial<AdminGraphqlRequest>;
        if (typeof parsed.query === "string") graphqlRequest = { query: parsed.query, variables: parsed.variables ?? null, operationName: parsed.operationName ?? null };
      } catch {
        graphqlRequest = null;
      }
    }
    if (!graphqlRequest?.query) return sendJson(response, 400, JSON.stringify({ errors: { query: "Required parameter missing or invalid" } }));
    const result = await executeAdminGraphql(shop, loadAppEmbedBlocks, origin, graphqlRequest);
    sendJson(response, 200, JSON.stringify(result), { "X-Shopify-API-Version": version });
  }

  async function storefront(request: IncomingMessage, response: ServerResponse, url: URL) {
    const cookies = readCookies(request.headers.cookie);
    const shop = storefrontShop(request, url, cookies);
    if (!shop) return response.writeHead(404, { "Content-Type": "text/plain" }).end("No such shop");
    const setCookies: string[] = [];
    if (url.searchParams.has("shop")) setCookies.push(`${SHOP_COOKIE}=${encodeURIComponent(shop.catalog.shop.myshopifyDomain)}; Path=/; SameSite=Lax`);
    let customerId = cookies.get(CUSTOMER_SESSION_COOKIE);
    if (url.searchParams.has("customer_id")) {
      customerId = url.searchParams.get("customer_id") ?? "";
      setCookies.push(customerId ? `${CUSTOMER_SESSION_COOKIE}=${encodeURIComponent(customerId)}; Path=/; HttpOnly; SameSite=Lax` : `${CUSTOMER_SESSION_COOKIE}=; Path=/; Max-Age=0`);
    }
    const cart = carts.get(`${shop.catalog.shop.myshopifyDomain} ${cookies.get(CART_COOKIE)}`) ?? null;
    const cartItemCount = cart?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
    const context: StorefrontContext = { catalog: shop.catalog, customer: signedInCustomer(shop, customerId), appEmbedEnabled: shop.appEmbedEnabled, appMetafields: shop.appMetafields, cartItemCount, klaviyoOnsiteScript: options.klaviyoOnsiteScript ?? null };
    const page = url.pathname === "/cart" ? await renderCartPage(context, cart) : await renderStorefrontPage(context, url.pathname);
    response.writeHead(page.status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...(setCookies.length ? { "Set-Cookie": setCookies } : {}) }).end(page.html);
  }

  /** The AJAX Cart API; a cart (and its cookie) is created by the first request that needs one, as on Shopify. */
  async function cartApi(request: IncomingMessage, response: ServerResponse, url: URL) {
    const cookies = readCookies(request.headers.cookie);
    const shop = storefrontShop(request, url, cookies);
    if (!shop) return sendJson(response, 404, JSON.stringify({ status: 404, message: "Not Found", description: "No such shop" }));
    const domain = shop.catalog.shop.myshopifyDomain;
    let cart = carts.get(`${domain} ${cookies.get(CART_COOKIE)}`);
    const headers: Record<string, string> = {};
    if (!cart) {
      cart = { token: randomUUID().replace(/-/g, ""), note: null, attributes: {}, lines: [] };
      carts.set(`${domain} ${cart.token}`, cart);
      headers["Set-Cookie"] = `${CART_COOKIE}=${cart.token}; Path=/; Max-Age=1209600; SameSite=Lax`;
    }
    const isPost = request.method === "POST";
    try {
      if (url.pathname === "/cart.js") {
        if (isPost) throw new CartError(405, "Use GET for /cart.js");
        return sendJson(response, 200, JSON.stringify(cartJson(shop.catalog, cart)), headers);
      }
      if (!isPost) throw new CartError(405, `Use POST for ${url.pathname}`);
      let body: Record<string, unknown>;
      try {
        body = parseCartBody(await readBody(request), request.headers["content-type"]);
      } catch (error) {
        throw error instanceof CartError ? error : new CartError(400, "The request body is not valid JSON");
      }
      const answer = url.pathname === "/cart/add.js" ? addToCart(shop.catalog, cart, body) : updateCart(shop.catalog, cart, body);
      sendJson(response, 200, JSON.stringify(answer), headers);
    } catch (error) {
      if (!(error instanceof CartError)) throw error;
      sendJson(response, error.status, JSON.stringify({ status: error.status, message: "Cart Error", description: error.description }), headers);
    }
  }

  /** Forwards like Shopify: cookies stripped, shop/path_prefix/timestamp/logged_in_customer_id added and signed, bodies streamed. */
  async function appProxy(request: IncomingMessage, response: ServerResponse, url: URL) {
    const cookies = readCookies(request.headers.cookie);
    const shop = storefrontShop(request, url, cookies);
    if (!shop) return response.writeHead(404, { "Content-Type": "text/plain" }).end("No such shop");
    const customer = signedInCustomer(shop, cookies.get(CUSTOMER_SESSION_COOKIE));
    const storefrontContext: StorefrontContext = { catalog: shop.catalog, customer, appEmbedEnabled: shop.appEmbedEnabled, appMetafields: shop.appMetafields };
    const appBase = new URL(options.appUrl);
    const target = new URL(`${appBase.pathname.replace(/\/$/, "")}/proxy${url.pathname.slice(APP_PROXY_PREFIX.length)}`, appBase);
    url.searchParams.forEach((value, key) => target.searchParams.append(key, value));
    target.searchParams.set("shop", shop.catalog.shop.myshopifyDomain);
    target.searchParams.set("logged_in_customer_id", customer?.legacyResourceId ?? "");
    target.searchParams.set("path_prefix", APP_PROXY_PREFIX);
    target.searchParams.set("timestamp", String(Math.floor(Date.now() / 1000)));
    target.searchParams.delete("signature");
    target.searchParams.set("signature", signAppProxyQuery(target.searchParams, options.apiSecret));

    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    // Without accept-encoding the app answers uncompressed, so a Liquid answer can be rendered.
    // Like Shopify, the shopper's address goes on in X-Forwarded-For (after any the request already carried).
    const forwardedFor = [request.headers["x-forwarded-for"], request.socket.remoteAddress].filter(Boolean).join(", ");
    const forwarded = { ...forwardableHeaders(request.headers, new Set(["cookie", "accept-encoding"])), "x-forwarded-for": forwardedFor };
    const upstream = send(target, { method: request.method, headers: forwarded }, (answer) => {
      const headers = forwardableHeaders(answer.headers, new Set(["set-cookie"]));
      if (answer.headers["content-type"]?.startsWith("application/liquid")) {
        renderLiquidAnswer(answer, headers).catch((error: unknown) => {
          if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain" });
          response.end(`Liquid error in the app's answer: ${(error as Error).message}`);
        });
        return;
      }
      response.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(response);
    });
    upstream.on("error", (error) => {
      if (!response.headersSent) response.writeHead(502, { "Content-Type": "text/plain" });
      response.end(`The app did not answer the app proxy request: ${error.message}`);
    });
    request.pipe(upstream);

    async function renderLiquidAnswer(answer: IncomingMessage, headers: IncomingHttpHeaders) {
      const html = await renderProxiedLiquid(storefrontContext, url.pathname, await readBody(answer));
      delete headers["content-length"];
      delete headers["content-encoding"];
      response.writeHead(answer.statusCode ?? 200, { ...headers, "content-type": "text/html; charset=utf-8" }).end(html);
    }
  }

  function productImage(request: IncomingMessage, response: ServerResponse, url: URL) {
    const handle = path.basename(url.pathname, ".svg");
    const preferred = storefrontShop(request, url, readCookies(request.headers.cookie));
    const product = [preferred, ...shops.values()].flatMap((shop) => shop?.catalog.products ?? []).find((candidate) => candidate.handle === handle);
    if (!product) return response.writeHead(404, { "Content-Type": "text/plain" }).end("No such image");
    response.writeHead(200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=3600" }).end(productImageSvg(product));
  }

  async function extensionAsset(response: ServerResponse, url: URL) {
    const file = path.basename(decodeURIComponent(url.pathname));
    const types: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png" };
    try {
      const content = await readFile(path.join(EXTENSION_DIRECTORY, "assets", file));
      response.writeHead(200, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-cache" }).end(content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      response.writeHead(404, { "Content-Type": "text/plain" }).end("No such asset");
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://fake.invalid");
    const admin = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.exec(url.pathname);
    if (admin) {
      if (request.method !== "POST") return response.writeHead(405, { Allow: "POST" }).end();
      return adminGraphql(request, response, url, admin[1]!);
    }
    if (url.pathname === APP_PROXY_PREFIX || url.pathname.startsWith(`${APP_PROXY_PREFIX}/`)) return appProxy(request, response, url);
    if (url.pathname === "/cart.js" || url.pathname === "/cart/add.js" || url.pathname === "/cart/update.js") return cartApi(request, response, url);
    if (request.method !== "GET" && request.method !== "HEAD") return response.writeHead(405, { Allow: "GET" }).end();
    if (/^\/images\/[^/]+\.svg$/.test(url.pathname)) return productImage(request, response, url);
    if (url.pathname.startsWith("/extension-assets/")) return extensionAsset(response, url);
    if (url.pathname === "/" || url.pathname === "/cart" || /^\/(products|collections)\/[^/]+$/.test(url.pathname)) return storefront(request, response, url);
    response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain" });
      response.end(`Fake Shopify failed: ${(error as Error).stack ?? String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const address = server.address();
  origin = `http://localhost:${typeof address === "object" && address ? address.port : options.port}`;

  return {
    url: origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
    addShop,
    setAppEmbedEnabled(shop, enabled) {
      const entry = shops.get(shop);
      if (!entry) throw new Error(`The fake Shopify has no shop ${shop}; it serves ${[...shops.keys()].join(", ")}`);
      entry.appEmbedEnabled = enabled;
    },
    cart: (shop, token) => carts.get(`${shop} ${token}`),
  };
}
