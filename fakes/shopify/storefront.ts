import path from "node:path";
import { Liquid, Tag, TypeGuards, type TagToken, type TopLevelToken } from "liquidjs";
import type { StoredMetafield } from "./admin-api";
import type { DemoCatalog, DemoCustomer, DemoProduct } from "./catalog";
import { EXTENSION_DIRECTORY, loadAppEmbedBlocks, loadStorefrontTranslations } from "./theme-extension";

/**
 * The demo store's pages: a small theme (home, collections, product pages) that includes the app's real app embed
 * blocks rendered with Liquid, as the Online Store does when the merchant has switched the embed on, plus a
 * stand-in for Shopify's Customer Privacy API driven by a consent banner.
 */
export interface StorefrontContext {
  catalog: DemoCatalog;
  customer: DemoCustomer | null;
  appEmbedEnabled: boolean;
  /** The app's own metafields (`metafieldsSet` on its installation), which Liquid reads as `app.metafields`. */
  appMetafields?: ReadonlyMap<string, StoredMetafield>;
  /** Items in the visitor's cart, for the header's cart link. */
  cartItemCount?: number;
  /** Klaviyo's onsite script, as Klaviyo's own app embed puts it on every page of a store that uses Klaviyo. */
  klaviyoOnsiteScript?: string | null;
}

export interface StorefrontPage {
  status: number;
  html: string;
}

const HOME_PRODUCT_COUNT = 24;

/** `{% schema %}` is read by Shopify, never rendered. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    while (remainTokens.length) {
      const next = remainTokens.shift()!;
      if (TypeGuards.isTagToken(next) && next.name === "endschema") return;
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }

  *render(): Generator<unknown, void, unknown> {}
}

/** Shopify's `json` filter encodes <, > and & so its output is safe inside a <script>. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Shopify's `color_to_hex`: any CSS colour a color setting can hold, as #rrggbb (alpha dropped). */
function colorToHex(color: string): string {
  const value = String(color).trim().toLowerCase();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(value);
  if (short) return `#${short[1]!.repeat(2)}${short[2]!.repeat(2)}${short[3]!.repeat(2)}`;
  const long = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/.exec(value);
  if (long) return `#${long[1]}`;
  const rgb = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/.exec(value);
  if (rgb) return `#${rgb.slice(1, 4).map((channel) => Math.min(255, Number(channel)).toString(16).padStart(2, "0")).join("")}`;
  return value;
}

function lookup(translations: Record<string, unknown>, key: string): string | undefined {
  const value = key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), translations);
  return typeof value === "string" ? value : undefined;
}

async function createLiquid(locale: string): Promise<Liquid> {
  const { primary, fallback } = await loadStorefrontTranslations(locale);
  const liquid = new Liquid({ partials: path.join(EXTENSION_DIRECTORY, "snippets"), extname: ".liquid", strictFilters: true, cache: false });
  liquid.registerTag("schema", SchemaTag);
  liquid.registerFilter("asset_url", (file: string) => `/extension-assets/${encodeURIComponent(file)}`);
  liquid.registerFilter("json", jsonForScript);
  liquid.registerFilter("color_to_hex", colorToHex);
  // Keyword arguments (`| t: name: customer.first_name`) arrive as [key, value] pairs.
  liquid.registerFilter("t", (key: string, ...keywordArguments: Array<[string, unknown]>) => {
    const text = lookup(primary, key) ?? lookup(fallback, key);
    if (text === undefined) return `Translation missing: ${locale}.${key}`;
    const values = Object.fromEntries(keywordArguments);
    return text.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) => String(values[name] ?? ""));
  });
  return liquid;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Liquid's `app.metafields.{namespace}.{key}`: a metafield drop whose `value` is the typed value (a json metafield's
 * parsed object), as Shopify renders app-owned metafields in a theme app extension.
 */
function appObject(metafields: ReadonlyMap<string, StoredMetafield> | undefined) {
  const namespaces: Record<string, Record<string, { value: unknown; type: string }>> = {};
  for (const metafield of metafields?.values() ?? []) {
    const value = metafield.type === "json" ? JSON.parse(metafield.value) : metafield.type === "boolean" ? metafield.value === "true" : metafield.type === "number_integer" ? Number(metafield.value) : metafield.value;
    (namespaces[metafield.namespace] ??= {})[metafield.key] = { value, type: metafield.type };
  }
  return { metafields: namespaces };
}

function liquidObjects(context: StorefrontContext, requestPath: string) {
  const { catalog, customer } = context;
  return {
    app: appObject(context.appMetafields),
    shop: { name: catalog.shop.name, permanent_domain: catalog.shop.myshopifyDomain, domain: catalog.shop.myshopifyDomain, currency: catalog.shop.currencyCode, email: catalog.shop.email },
    customer: customer
      ? { id: Number(customer.legacyResourceId), email: customer.email, first_name: customer.firstName, last_name: customer.lastName, name: `${customer.firstName} ${customer.lastName}`, phone: customer.phone, accepts_marketing: customer.acceptsMarketing }
      : null,
    request: { locale: { iso_code: "en", primary: true, name: "English" }, path: requestPath, page_type: pageType(requestPath), design_mode: false },
  };
}

function pageType(requestPath: string): string {
  if (requestPath.startsWith("/products/")) return "product";
  if (requestPath.startsWith("/collections/")) return "collection";
  if (requestPath.startsWith("/apps/")) return "page";
  if (requestPath === "/cart") return "cart";
  return "index";
}

/** Every app embed block of the extension, with its schema defaults, as Shopify renders them for an enabled embed. */
async function renderAppEmbeds(context: StorefrontContext, requestPath: string): Promise<{ head: string; body: string }> {
  if (!context.appEmbedEnabled) return { head: "", body: "" };
  const liquid = await createLiquid("en");
  const rendered = { head: "", body: "" };
  for (const block of await loadAppEmbedBlocks()) {
    rendered[block.target] += await liquid.parseAndRender(block.source, { ...liquidObjects(context, requestPath), block: { id: `app-embed-${block.handle}`, settings: block.defaultSettings, shopify_attributes: "" } });
  }
  return rendered;
}

/** An app proxy answer with `Content-Type: application/liquid` is rendered by the shop, inside its layout. */
export async function renderProxiedLiquid(context: StorefrontContext, requestPath: string, source: string): Promise<string> {
  const liquid = await createLiquid("en");
  const main = await liquid.parseAndRender(source, liquidObjects(context, requestPath));
  return layout(context, requestPath, context.catalog.shop.name, main, await renderAppEmbeds(context, requestPath));
}

function formatMoney(amount: string, currencyCode: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(Number(amount));
}

function priceHtml(product: DemoProduct, currencyCode: string): string {
  const prices = product.variants.map((variant) => Number(variant.price));
  const low = Math.min(...prices).toFixed(2);
  const compareAt = product.variants[0]!.compareAtPrice;
  const from = prices.some((price) => price.toFixed(2) !== low) ? "From " : "";
  return `${compareAt ? `<s>${formatMoney(compareAt, currencyCode)}</s> ` : ""}<span class="price${compareAt ? " sale" : ""}">${from}${formatMoney(low, currencyCode)}</span>`;
}

function collectionHandle(productType: string): string {
  return productType.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function card(context: StorefrontContext, product: DemoProduct): string {
  const soldOut = product.variants.every((variant) => variant.inventoryQuantity === 0);
  return `<a class="card" href="/products/${product.handle}">
  <img src="${product.imageUrl}" alt="" width="300" height="300" loading="lazy">
  <span class="card-title">${escapeHtml(product.title)}</span>
  <span class="card-meta">${escapeHtml(product.vendor)}${soldOut ? " · Sold out" : ""}</span>
  <span>${priceHtml(product, context.catalog.shop.currencyCode)}</span>
</a>`;
}

function productPage(context: StorefrontContext, product: DemoProduct): string {
  const currency = context.catalog.shop.currencyCode;
  const related = context.catalog.products.filter((other) => other.status === "ACTIVE" && other.productType === product.productType && other.id !== product.id).slice(0, 4);
  const inStock = product.variants.filter((variant) => variant.inventoryQuantity > 0).length;
  const variantPicker =
    product.variants.length > 1
      ? `<label class="field">${escapeHtml(product.options.map((option) => option.name).join(" / "))}
    <select>${product.variants.map((variant) => `<option${variant.inventoryQuantity === 0 ? " disabled" : ""}>${escapeHtml(variant.title)} — ${formatMoney(variant.price, currency)}${variant.inventoryQuantity === 0 ? " (sold out)" : ""}</option>`).join("")}</select></label>`
      : "";
  return `<div class="product">
  <img src="${product.imageUrl}" alt="${escapeHtml(product.title)}" width="560" height="560">
  <div class="product-info">
    <p class="card-meta">${escapeHtml(product.vendor)} · ${escapeHtml(product.productType)}</p>
    <h1>${escapeHtml(product.title)}</h1>
    <p class="product-price">${priceHtml(product, currency)}</p>
    ${variantPicker}
    <p class="stock">${inStock === 0 ? "Sold out" : inStock < product.variants.length ? "Some options sold out" : "In stock, ready to ship"}</p>
    <button type="button" class="button" disabled title="This demo store has no checkout">Add to cart</button>
    <p>${escapeHtml(product.description)}</p>
    <p class="tags">${product.tags.map((tag) => `<span>${escapeHtml(tag)}</span>`).join("")}</p>
  </div>
</div>
${related.length ? `<h2>You may also like</h2><div class="grid">${related.map((other) => card(context, other)).join("")}</div>` : ""}`;
}

function accountArea(context: StorefrontContext): string {
  if (context.customer) {
    return `<span>Signed in as ${escapeHtml(context.customer.firstName)} ${escapeHtml(context.customer.lastName)}</span> <a href="?customer_id=">Sign out</a>`;
  }
  const options = context.catalog.customers
    .slice(0, 12)
    .map((customer) => `<option value="${customer.legacyResourceId}">${escapeHtml(customer.firstName)} ${escapeHtml(customer.lastName)}</option>`)
    .join("");
  return `<form method="get" class="sign-in"><label>Demo customer <select name="customer_id">${options}</select></label> <button type="submit">Sign in</button></form>`;
}

const STYLES = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fafaf7}
a{color:inherit}.site-header{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:center;justify-content:space-between;padding:16px 32px;background:#fff;border-bottom:1px solid #e6e4dc}
.logo{font-weight:700;font-size:20px;text-decoration:none;letter-spacing:.02em}nav{display:flex;flex-wrap:wrap;gap:14px;font-size:14px}nav a{text-decoration:none;color:#444}nav a:hover{text-decoration:underline}
.sign-in select,.sign-in button,.field select{font:inherit;font-size:14px;padding:4px 8px}.account{font-size:14px}
main{max-width:1200px;margin:0 auto;padding:24px 32px 64px}.hero{padding:32px 0 8px}.hero h1{margin:0 0 4px;font-size:32px}.hero p{margin:0;color:#555}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:24px;margin-top:24px}
.card{display:flex;flex-direction:column;gap:4px;text-decoration:none;background:#fff;border-radius:10px;padding:10px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
.card img{width:100%;height:auto;border-radius:8px;background:#eee}.card-title{font-weight:600}.card-meta{color:#666;font-size:13px;margin:0}
.sale{color:#b3261e;font-weight:600}s{color:#888}.product{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:40px;align-items:start}
.product img{width:100%;height:auto;border-radius:12px}.product h1{margin:4px 0}.product-price{font-size:20px}.field{display:flex;flex-direction:column;gap:4px;margin:12px 0;font-size:14px}
.button{font:inherit;padding:12px 24px;border-radius:8px;border:0;background:#1a1a1a;color:#fff}.button[disabled]{opacity:.5}.stock{font-size:14px;color:#2e6b3f}
.tags span{display:inline-block;margin:0 6px 6px 0;padding:2px 10px;border-radius:12px;background:#eeece4;font-size:13px}
#consent-banner{position:fixed;top:0;left:0;right:0;z-index:10;display:flex;flex-wrap:wrap;gap:12px;align-items:center;justify-content:center;padding:12px 24px;background:#1f2a24;color:#fff;font-size:14px}
#consent-banner[hidden]{display:none}#consent-banner button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #fff;background:transparent;color:#fff;cursor:pointer}#consent-banner button[data-consent="accept"]{background:#fff;color:#1f2a24}
footer{padding:24px 32px;border-top:1px solid #e6e4dc;color:#666;font-size:14px;display:flex;gap:16px;justify-content:center}footer button{font:inherit;background:none;border:0;text-decoration:underline;cursor:pointer;color:inherit}
@media (max-width:749px){.product{grid-template-columns:1fr}.site-header,main{padding-left:16px;padding-right:16px}}`;

/**
 * Shopify's Customer Privacy API as a theme sees it: `Shopify.loadFeatures` loads `Shopify.customerPrivacy`. The demo
 * shopper is in a region where consent is not required, so processing is allowed until they decline in the banner
 * (as Shopify answers there); declining makes every `…Allowed()` false.
 */
const CUSTOMER_PRIVACY_SCRIPT = `
(function () {
  var shopify = (window.Shopify = window.Shopify || {});
  function read() {
    var match = document.cookie.match(/(?:^|; )_tracking_consent=([^;]*)/);
    try { return match ? JSON.parse(decodeURIComponent(match[1])) : null; } catch (error) { return null; }
  }
  var decision = read();
  function granted(purpose) { return decision ? decision[purpose] === true : true; }
  function answer(purpose) { return decision ? (decision[purpose] ? "yes" : "no") : ""; }
  var customerPrivacy = {
    analyticsProcessingAllowed: function () { return granted("analytics"); },
    marketingAllowed: function () { return granted("marketing"); },
    firstPartyMarketingAllowed: function () { return granted("marketing"); },
    thirdPartyMarketingAllowed: function () { return granted("marketing"); },
    preferencesProcessingAllowed: function () { return granted("preferences"); },
    saleOfDataAllowed: function () { return granted("sale_of_data"); },
    shouldShowBanner: function () { return decision === null; },
    currentVisitorConsent: function () {
      return { analytics: answer("analytics"), marketing: answer("marketing"), preferences: answer("preferences"), sale_of_data: answer("sale_of_data") };
    },
    setTrackingConsent: function (consent, callback) {
      decision = { analytics: !!consent.analytics, marketing: !!consent.marketing, preferences: !!consent.preferences, sale_of_data: !!consent.sale_of_data };
      document.cookie = "_tracking_consent=" + encodeURIComponent(JSON.stringify(decision)) + "; path=/; max-age=31536000; samesite=lax";
      document.dispatchEvent(new CustomEvent("visitorConsentCollected", { detail: {
        analyticsAllowed: granted("analytics"), marketingAllowed: granted("marketing"), firstPartyMarketingAllowed: granted("marketing"),
        thirdPartyMarketingAllowed: granted("marketing"), preferencesAllowed: granted("preferences"), saleOfDataAllowed: granted("sale_of_data")
      } }));
      if (callback) callback({});
    }
  };
  shopify.loadFeatures = function (features, callback) {
    setTimeout(function () {
      var error = null;
      features.forEach(function (feature) {
        if (feature.name === "consent-tracking-api") shopify.customerPrivacy = customerPrivacy;
        else error = new Error("Unknown feature: " + feature.name);
      });
      callback(error);
    }, 0);
  };
  // This script runs in <head>: the banner is wired once the body has been parsed. It floats over the page, as
  // Shopify's does, so showing it late moves nothing (no layout shift to blame on whichever script ran first).
  function whenParsed(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback, { once: true });
    else callback();
  }
  shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], function (error) {
    if (error) return;
    whenParsed(wireBanner);
  });
  function wireBanner() {
    var banner = document.getElementById("consent-banner");
    banner.hidden = !customerPrivacy.shouldShowBanner();
    banner.addEventListener("click", function (event) {
      var choice = event.target.getAttribute("data-consent");
      if (!choice) return;
      var yes = choice === "accept";
      customerPrivacy.setTrackingConsent({ analytics: yes, marketing: yes, preferences: yes, sale_of_data: yes }, function () { banner.hidden = true; });
    });
    document.getElementById("privacy-settings").addEventListener("click", function () { banner.hidden = false; });
  }
})();`;

function layout(context: StorefrontContext, requestPath: string, title: string, main: string, embeds: { head: string; body: string } = { head: "", body: "" }): string {
  const { catalog } = context;
  const types = [...new Set(catalog.products.filter((product) => product.status === "ACTIVE").map((product) => product.productType))].sort();
  const link = (href: string, label: string) => `<a href="${href}"${requestPath === href ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLES}</style>
<script>${CUSTOMER_PRIVACY_SCRIPT}</script>
${context.klaviyoOnsiteScript ? `<script async src="${escapeHtml(context.klaviyoOnsiteScript)}"></script>\n` : ""}${embeds.head}</head>
<body>
<div id="consent-banner" role="region" aria-label="Cookie consent" hidden>
  <span>${escapeHtml(catalog.shop.name)} uses cookies for analytics and marketing.</span>
  <button type="button" data-consent="accept">Accept</button>
  <button type="button" data-consent="decline">Decline</button>
</div>
<header class="site-header">
  <a class="logo" href="/">${escapeHtml(catalog.shop.name)}</a>
  <nav aria-label="Collections">${link("/collections/all", "Shop all")}${types.map((type) => link(`/collections/${collectionHandle(type)}`, type)).join("")}</nav>
  <div class="account"><a href="/cart">Cart (${context.cartItemCount ?? 0})</a> ${accountArea(context)}</div>
</header>
<main>
${main}
</main>
<footer><span>A demo store served by the local fake Shopify.</span><button type="button" id="privacy-settings">Privacy settings</button></footer>
${embeds.body}</body>
</html>`;
}

export async function renderStorefrontPage(context: StorefrontContext, requestPath: string): Promise<StorefrontPage> {
  const { catalog } = context;
  const active = catalog.products.filter((product) => product.status === "ACTIVE");
  let status = 200;
  let title = catalog.shop.name;
  let main: string;

  if (requestPath === "/") {
    const newest = [...active].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, HOME_PRODUCT_COUNT);
    main = `<section class="hero"><h1>New arrivals</h1><p>Gear and goods for the outdoors and home. Questions? Our assistant answers in seconds.</p></section>
<div class="grid">${newest.map((product) => card(context, product)).join("")}</div>`;
  } else if (requestPath.startsWith("/collections/")) {
    const handle = requestPath.slice("/collections/".length);
    const products = handle === "all" ? active : active.filter((product) => collectionHandle(product.productType) === handle);
    const name = handle === "all" ? "All products" : products[0]?.productType;
    if (!name) {
      status = 404;
      main = `<h1>Collection not found</h1>`;
    } else {
      title = `${name} – ${catalog.shop.name}`;
      main = `<section class="hero"><h1>${escapeHtml(name)}</h1><p>${products.length} products</p></section><div class="grid">${products.map((product) => card(context, product)).join("")}</div>`;
    }
  } else {
    const product = active.find((candidate) => `/products/${candidate.handle}` === requestPath);
    if (!product) {
      status = 404;
      main = `<h1>Product not found</h1><p><a href="/">Back to the store</a></p>`;
    } else {
      title = `${product.title} – ${catalog.shop.name}`;
      main = productPage(context, product);
    }
  }
  return { status, html: layout(context, requestPath, title, main, await renderAppEmbeds(context, requestPath)) };
}

/** A product image with no network: the title on a colour derived from the handle. */
export function productImageSvg(product: DemoProduct): string {
  const hue = [...product.handle].reduce((sum, character) => sum + character.charCodeAt(0) * 7, 0) % 360;
  const words = product.title.split(" ");
  const lines = words.length > 2 ? [words.slice(0, Math.ceil(words.length / 2)).join(" "), words.slice(Math.ceil(words.length / 2)).join(" ")] : [product.title];
  const text = lines.map((line, index) => `<tspan x="300" dy="${index === 0 ? 0 : 44}">${escapeHtml(line)}</tspan>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600" role="img" aria-label="${escapeHtml(product.title)}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 45% 84%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360} 40% 70%)"/></linearGradient></defs>
<rect width="600" height="600" fill="url(#g)"/>
<circle cx="300" cy="240" r="130" fill="hsl(${hue} 35% 58%)" opacity=".55"/>
<text x="300" y="${lines.length > 1 ? 448 : 470}" font-family="system-ui,sans-serif" font-size="38" font-weight="600" text-anchor="middle" fill="hsl(${hue} 45% 18%)">${text}</text>
<text x="300" y="540" font-family="system-ui,sans-serif" font-size="22" text-anchor="middle" fill="hsl(${hue} 30% 30%)">${escapeHtml(product.vendor)}</text>
</svg>`;
}

/**
 * The Online Store's cart as the AJAX Cart API sees it: line items by variant, a note and cart attributes, kept per
 * `cart` cookie. Amounts are in the shop's currency's minor units, as Shopify's cart JSON has them.
 */
export interface StorefrontCart {
  token: string;
  note: string | null;
  attributes: Record<string, string>;
  lines: Array<{ variantId: string; quantity: number; properties: Record<string, string> }>;
}

/** An AJAX Cart API refusal, answered as Shopify does: `{ status, message: "Cart Error", description }`. */
export class CartError extends Error {
  override name = "CartError";
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const cents = (amount: string) => Math.round(Number(amount) * 100);

function findVariant(catalog: DemoCatalog, variantId: string) {
  for (const product of catalog.products) {
    if (product.status !== "ACTIVE") continue;
    const variant = product.variants.find((candidate) => candidate.legacyResourceId === variantId);
    if (variant) return { product, variant };
  }
  return null;
}

function lineItemJson(catalog: DemoCatalog, line: StorefrontCart["lines"][number]) {
  const { product, variant } = findVariant(catalog, line.variantId)!;
  const price = cents(variant.price);
  return {
    id: Number(variant.legacyResourceId),
    properties: line.properties,
    quantity: line.quantity,
    variant_id: Number(variant.legacyResourceId),
    key: `${variant.legacyResourceId}:${Object.keys(line.properties).length ? "p" : "0"}`,
    title: variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`,
    price,
    original_price: price,
    final_price: price,
    line_price: price * line.quantity,
    final_line_price: price * line.quantity,
    sku: variant.sku,
    vendor: product.vendor,
    product_id: Number(product.legacyResourceId),
    handle: product.handle,
    url: `/products/${product.handle}?variant=${variant.legacyResourceId}`,
    image: product.imageUrl,
    product_title: product.title,
    product_type: product.productType,
    variant_title: variant.title === "Default Title" ? null : variant.title,
    options_with_values: variant.selectedOptions.map((option) => ({ name: option.name, value: option.value })),
    requires_shipping: true,
  };
}

/** `GET /cart.js`. */
export function cartJson(catalog: DemoCatalog, cart: StorefrontCart) {
  const items = cart.lines.map((line) => lineItemJson(catalog, line));
  const total = items.reduce((sum, item) => sum + item.line_price, 0);
  return {
    token: cart.token,
    note: cart.note,
    attributes: cart.attributes,
    original_total_price: total,
    total_price: total,
    total_discount: 0,
    total_weight: 0,
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    items,
    requires_shipping: items.length > 0,
    currency: catalog.shop.currencyCode,
    items_subtotal_price: total,
    cart_level_discount_applications: [],
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null && item !== undefined).map(([key, item]) => [key, String(item)]));
}

/**
 * `POST /cart/add.js` with `{ items: [{ id, quantity, properties }] }` or a single `{ id, quantity }`: a variant of an
 * active product, in stock or sold on backorder, else nothing is added (Shopify adds all or none). Answers the added
 * lines (`{ items }`, or the one line for a single id).
 */
export function addToCart(catalog: DemoCatalog, cart: StorefrontCart, body: Record<string, unknown>) {
  const single = !Array.isArray(body.items);
  const requested = (single ? [body] : (body.items as unknown[])).map((item) => (item && typeof item === "object" ? (item as Record<string, unknown>) : {}));
  if (requested.length === 0) throw new CartError(422, "Parameter Missing or Invalid: Required parameter missing or invalid: items");
  const additions = requested.map((item) => {
    const variantId = String(item.id ?? "");
    const quantity = item.quantity === undefined ? 1 : Number(item.quantity);
    if (!/^\d+$/.test(variantId)) throw new CartError(422, "Parameter Missing or Invalid: Required parameter missing or invalid: id");
    if (!Number.isInteger(quantity) || quantity < 1) throw new CartError(422, "Parameter Missing or Invalid: quantity must be a positive whole number");
    const found = findVariant(catalog, variantId);
    if (!found) throw new CartError(404, "Cannot find variant");
    const inCart = cart.lines.find((line) => line.variantId === variantId)?.quantity ?? 0;
    const { product, variant } = found;
    const name = variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`;
    if (variant.inventoryPolicy === "DENY" && variant.inventoryQuantity <= 0) throw new CartError(422, `The product '${name}' is already sold out.`);
    if (variant.inventoryPolicy === "DENY" && inCart + quantity > variant.inventoryQuantity) {
      throw new CartError(422, `You can only add ${variant.inventoryQuantity} ${name} to the cart.`);
    }
    return { variantId, quantity, properties: stringRecord(item.properties) };
  });
  const added = additions.map((addition) => {
    const line = cart.lines.find((candidate) => candidate.variantId === addition.variantId);
    if (line) line.quantity += addition.quantity;
    else cart.lines.push(addition);
    return lineItemJson(catalog, line ?? addition);
  });
  return single ? added[0] : { items: added };
}

/**
 * `POST /cart/update.js`: `attributes` are merged key by key (an empty or null value removes one), `note` replaces
 * the note, `updates` sets quantities by variant id (0 removes the line). Answers the cart.
 */
export function updateCart(catalog: DemoCatalog, cart: StorefrontCart, body: Record<string, unknown>) {
  if (body.attributes !== undefined) {
    if (!body.attributes || typeof body.attributes !== "object" || Array.isArray(body.attributes)) throw new CartError(422, "Parameter Missing or Invalid: attributes must be an object");
    for (const [key, value] of Object.entries(body.attributes)) {
      if (value === null || value === "") delete cart.attributes[key];
      else cart.attributes[key] = String(value);
    }
  }
  if (body.note !== undefined) cart.note = body.note === null ? null : String(body.note);
  if (body.updates !== undefined) {
    for (const [variantId, value] of Object.entries(stringRecord(body.updates))) {
      const quantity = Number(value);
      if (!findVariant(catalog, variantId)) throw new CartError(404, "Cannot find variant");
      cart.lines = cart.lines.filter((line) => line.variantId !== variantId || quantity > 0);
      const line = cart.lines.find((candidate) => candidate.variantId === variantId);
      if (line) line.quantity = quantity;
      else if (quantity > 0) cart.lines.push({ variantId, quantity, properties: {} });
    }
  }
  return cartJson(catalog, cart);
}

/** `/cart`: what is in the cart, and its attributes as a checkout would carry them. */
export async function renderCartPage(context: StorefrontContext, cart: StorefrontCart | null): Promise<StorefrontPage> {
  const json = cart ? cartJson(context.catalog, cart) : null;
  const currency = context.catalog.shop.currencyCode;
  const rows = (json?.items ?? []).map((item) => `<tr><td><a href="${item.url}">${escapeHtml(item.title)}</a></td><td>${item.quantity}</td><td>${formatMoney((item.line_price / 100).toFixed(2), currency)}</td></tr>`).join("");
  const main = rows
    ? `<h1>Your cart</h1><table class="cart"><thead><tr><th>Product</th><th>Quantity</th><th>Total</th></tr></thead><tbody>${rows}</tbody></table><p class="product-price">Subtotal ${formatMoney(((json?.total_price ?? 0) / 100).toFixed(2), currency)}</p>`
    : `<h1>Your cart is empty</h1><p><a href="/">Continue shopping</a></p>`;
  return { status: 200, html: layout(context, "/cart", `Your cart – ${context.catalog.shop.name}`, main, await renderAppEmbeds(context, "/cart")) };
}
