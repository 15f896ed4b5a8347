import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { buildSchema, graphql } from "graphql";
import { Liquid } from "liquidjs";
import type { DemoCatalog, DemoCustomer, DemoOrder, DemoProduct } from "./catalog";

/**
 * A local stand-in for the parts of Shopify this app talks to, speaking Shopify's contracts: the Admin GraphQL
 * API (access-token checked, cursor pagination, search queries), a storefront page that renders the app's real
 * theme app extension, and the app proxy that forwards `/apps/customer-agent/*` to the app with Shopify's
 * signature. Used by the tests and the demo.
 */

const EXTENSION_DIRECTORY = path.resolve(import.meta.dirname, "../../extensions/customer-agent");
const PROXY_PREFIX = "/apps/customer-agent";

export interface FakeShopifyOptions {
  port?: number;
  apiSecret: string;
  appUrl: string;
  shops: DemoCatalog[];
  accessTokens?: Record<string, string>;
}

export interface FakeShopify {
  url: string;
  close(): Promise<void>;
  addShop(catalog: DemoCatalog, accessToken: string): void;
  setAppEmbedEnabled(shop: string, enabled: boolean): void;
}

/** Shopify's app proxy signature: hex HMAC-SHA256 over the sorted `key=value` pairs (multi-values comma-joined). */
export function signAppProxyQuery(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

const SCHEMA = buildSchema(`
  type Query {
    shop: Shop!
    products(first: Int, after: String, query: String, sortKey: ProductSortKeys, reverse: Boolean): ProductConnection!
    product(id: ID!): Product
    productVariants(first: Int, after: String, query: String): ProductVariantConnection!
    customers(first: Int, after: String, query: String): CustomerConnection!
    customer(id: ID!): Customer
    orders(first: Int, after: String, query: String, sortKey: OrderSortKeys, reverse: Boolean): OrderConnection!
    order(id: ID!): Order
    themes(first: Int, roles: [ThemeRole!]): OnlineStoreThemeConnection!
  }
  enum ProductSortKeys { ID TITLE CREATED_AT UPDATED_AT PRODUCT_TYPE VENDOR }
  enum OrderSortKeys { ID CREATED_AT PROCESSED_AT UPDATED_AT TOTAL_PRICE }
  enum ThemeRole { MAIN UNPUBLISHED DEMO DEVELOPMENT ARCHIVED LOCKED }
  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type Domain { url: String! host: String! }
  type Shop { id: ID! name: String! email: String! myshopifyDomain: String! currencyCode: String! primaryDomain: Domain! }
  type Image { url: String! altText: String }
  type SelectedOption { name: String! value: String! }
  type ProductVariant { id: ID! title: String! sku: String price: String! inventoryQuantity: Int selectedOptions: [SelectedOption!]! product: Product! }
  type ProductVariantEdge { cursor: String! node: ProductVariant! }
  type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }
  type Product {
    id: ID! handle: String! title: String! description: String! descriptionHtml: String! vendor: String! productType: String!
    tags: [String!]! status: String! createdAt: String! updatedAt: String! onlineStoreUrl: String featuredImage: Image
    variants(first: Int, after: String): ProductVariantConnection!
  }
  type ProductEdge { cursor: String! node: Product! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
  type Customer { id: ID! firstName: String lastName: String displayName: String! email: String phone: String createdAt: String! }
  type CustomerEdge { cursor: String! node: Customer! }
  type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }
  type MoneyV2 { amount: String! currencyCode: String! }
  type MoneyBag { shopMoney: MoneyV2! }
  type LineItem { title: String! quantity: Int! sku: String variant: ProductVariant product: Product originalUnitPriceSet: MoneyBag! }
  type LineItemEdge { cursor: String! node: LineItem! }
  type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }
  type Order {
    id: ID! name: String! email: String phone: String createdAt: String! processedAt: String updatedAt: String!
    displayFinancialStatus: String customer: Customer totalPriceSet: MoneyBag! lineItems(first: Int, after: String): LineItemConnection!
  }
  type OrderEdge { cursor: String! node: Order! }
  type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }
  type OnlineStoreThemeFileBodyText { content: String! }
  type OnlineStoreThemeFile { filename: String! body: OnlineStoreThemeFileBodyText! }
  type OnlineStoreThemeFileConnection { nodes: [OnlineStoreThemeFile!]! }
  type OnlineStoreTheme { id: ID! name: String! role: String! files(filenames: [String!], first: Int): OnlineStoreThemeFileConnection! }
  type OnlineStoreThemeConnection { nodes: [OnlineStoreTheme!]! }
`);

function paginate<T extends { id: string }>(items: T[], args: { first?: number | null; after?: string | null }) {
  const first = Math.min(args.first ?? 50, 250);
  const start = args.after ? items.findIndex((item) => Buffer.from(item.id).toString("base64") === args.after) + 1 : 0;
  const page = items.slice(start, start + first);
  const cursor = (item: T) => Buffer.from(item.id).toString("base64");
  return {
    edges: page.map((node) => ({ cursor: cursor(node), node })),
    nodes: page,
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: page[0] ? cursor(page[0]) : null,
      endCursor: page.at(-1) ? cursor(page.at(-1)!) : null,
    },
  };
}

/** The slice of Shopify's search syntax the app uses: `field:value`, `field:>value`, `field:<value`, bare words. */
function matchesQuery(query: string | null | undefined, fields: (name: string) => string | number | null | undefined, text: string) {
  if (!query) return true;
  return query.split(/\s+(?:AND\s+)?/).filter(Boolean).every((term) => {
    const match = /^(\w+):([<>]=?)?(.+)$/.exec(term);
    if (!match) return text.toLowerCase().includes(term.toLowerCase());
    const [, name, operator, raw] = match;
    const actual = fields(name!);
    const expected = raw!.replace(/^['"]|['"]$/g, "");
    if (actual === null || actual === undefined) return false;
    if (!operator) return String(actual).toLowerCase() === expected.toLowerCase();
    const left = typeof actual === "number" ? actual : Date.parse(String(actual));
    const right = typeof actual === "number" ? Number(expected) : Date.parse(expected);
    return operator === ">" ? left > right : operator === ">=" ? left >= right : operator === "<" ? left < right : left <= right;
  });
}

export async function startFakeShopify(options: FakeShopifyOptions): Promise<FakeShopify> {
  const shops = new Map<string, { catalog: DemoCatalog; token: string; embedEnabled: boolean }>();
  let baseUrl = "";
  const liquid = new Liquid({ root: EXTENSION_DIRECTORY, extname: ".liquid", cache: false });
  liquid.registerFilter("asset_url", (file: string) => `/extension-assets/${file}`);
  liquid.registerFilter("json", (value: unknown) => JSON.stringify(value ?? null));

  function addShop(catalog: DemoCatalog, accessToken: string) {
    shops.set(catalog.shop.myshopifyDomain, { catalog, token: accessToken, embedEnabled: true });
  }
  for (const catalog of options.shops) addShop(catalog, options.accessTokens?.[catalog.shop.myshopifyDomain] ?? `shpat_${catalog.shop.myshopifyDomain}`);

  function resolvers(catalog: DemoCatalog, embedEnabled: boolean) {
    const absolute = (url: string) => (url.startsWith("/") ? `${baseUrl}${url}` : url);
    const productsById = new Map(catalog.products.map((product) => [product.id, product]));
    const variantsById = new Map(catalog.products.flatMap((product) => product.variants.map((variant) => [variant.id, { variant, product }] as const)));
    const customersById = new Map(catalog.customers.map((customer) => [customer.id, customer]));
    const numeric = (gid: string) => gid.split("/").at(-1)!;

    const product = (item: DemoProduct) => ({
      ...item,
      descriptionHtml: `<p>${item.description}</p>`,
      onlineStoreUrl: `${baseUrl}/products/${item.handle}`,
      featuredImage: { url: absolute(item.imageUrl), altText: item.title },
      variants: (args: { first?: number; after?: string }) => paginate(item.variants.map((variant) => ({ ...variant, product: () => product(item) })), args),
    });
    const customer = (item: DemoCustomer) => ({ ...item, displayName: `${item.firstName} ${item.lastName}` });
    const order = (item: DemoOrder) => ({
      ...item,
      displayFinancialStatus: item.financialStatus,
      customer: customersById.has(item.customerId) ? customer(customersById.get(item.customerId)!) : null,
      totalPriceSet: { shopMoney: { amount: item.totalPrice, currencyCode: item.currencyCode } },
      lineItems: (args: { first?: number; after?: string }) =>
        paginate(
          item.lineItems.map((line, position) => {
            const found = variantsById.get(line.variantId);
            return {
              id: `${item.id}/${position}`,
              title: line.title,
              quantity: line.quantity,
              sku: line.sku,
              variant: found ? { ...found.variant, product: () => product(found.product) } : null,
              product: productsById.has(line.productId) ? product(productsById.get(line.productId)!) : null,
              originalUnitPriceSet: { shopMoney: { amount: line.price, currencyCode: item.currencyCode } },
            };
          }),
          args,
        ),
    });
    const settingsData = JSON.stringify({
      current: {
        blocks: {
          "customer-agent-embed": {
            type: `shopify://apps/customer-agent/blocks/chat-widget/0198a7b1-0000-7000-8000-000000000000`,
            disabled: !embedEnabled,
            settings: {},
          },
        },
      },
    });

    return {
      shop: () => ({ ...catalog.shop, primaryDomain: { url: baseUrl, host: new URL(baseUrl).host } }),
      products: (args: { first?: number; after?: string; query?: string; reverse?: boolean }) => {
        const matching = catalog.products.filter((item) =>
          matchesQuery(args.query, (name) => ({ title: item.title, handle: item.handle, status: item.status, product_type: item.productType, vendor: item.vendor, tag: item.tags.join(","), updated_at: item.updatedAt, id: numeric(item.id) })[name], `${item.title} ${item.description}`),
        );
        return paginate((args.reverse ? [...matching].reverse() : matching).map(product), args);
      },
      product: ({ id }: { id: string }) => (productsById.has(id) ? product(productsById.get(id)!) : null),
      productVariants: (args: { first?: number; after?: string; query?: string }) =>
        paginate(
          [...variantsById.values()]
            .filter(({ variant }) => matchesQuery(args.query, (name) => ({ sku: variant.sku, title: variant.title })[name], variant.title))
            .map(({ variant, product: owner }) => ({ ...variant, product: () => product(owner) })),
          args,
        ),
      customers: (args: { first?: number; after?: string; query?: string }) =>
        paginate(
          catalog.customers
            .filter((item) => matchesQuery(args.query, (name) => ({ email: item.email, phone: item.phone, id: numeric(item.id) })[name], `${item.firstName} ${item.lastName} ${item.email}`))
            .map(customer),
          args,
        ),
      customer: ({ id }: { id: string }) => (customersById.has(id) ? customer(customersById.get(id)!) : null),
      orders: (args: { first?: number; after?: string; query?: string; reverse?: boolean }) => {
        const matching = catalog.orders.filter((item) =>
          matchesQuery(args.query, (name) => ({ customer_id: numeric(item.customerId), email: item.email, created_at: item.createdAt, updated_at: item.updatedAt, name: item.name, financial_status: item.financialStatus })[name], item.name),
        );
        return paginate((args.reverse ? [...matching].reverse() : matching).map(order), args);
      },
      order: ({ id }: { id: string }) => {
        const found = catalog.orders.find((item) => item.id === id);
        return found ? order(found) : null;
      },
      themes: () => ({
        nodes: [
          {
            id: "gid://shopify/OnlineStoreTheme/1",
            name: "Dawn",
            role: "MAIN",
            files: ({ filenames }: { filenames?: string[] }) => ({
              nodes: (filenames ?? ["config/settings_data.json"]).filter((name) => name === "config/settings_data.json").map((filename) => ({ filename, body: { content: settingsData } })),
            }),
          },
        ],
      }),
    };
  }

  async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function adminGraphql(request: IncomingMessage, response: ServerResponse, url: URL) {
    const domain = url.searchParams.get("shop") ?? request.headers.host ?? "";
    const shop = shops.get(domain);
    if (!shop || request.headers["x-shopify-access-token"] !== shop.token) {
      response.writeHead(401, { "Content-Type": "application/json" }).end(JSON.stringify({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }));
      return;
    }
    const body = JSON.parse((await readBody(request)).toString("utf8") || "{}") as { query?: string; variables?: Record<string, unknown> };
    const result = await graphql({ schema: SCHEMA, source: body.query ?? "", rootValue: resolvers(shop.catalog, shop.embedEnabled), variableValues: body.variables });
    response
      .writeHead(200, { "Content-Type": "application/json", "X-Shopify-API-Version": url.pathname.split("/")[3] ?? "" })
      .end(JSON.stringify({ ...result, extensions: { cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 } } } }));
  }

  function productImage(handle: string) {
    const hue = [...handle].reduce((sum, character) => sum + character.charCodeAt(0), 0) % 360;
    const label = handle.replace(/-\d+$/, "").replace(/-/g, " ");
    return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600"><rect width="600" height="600" fill="hsl(${hue} 45% 78%)"/><circle cx="300" cy="260" r="150" fill="hsl(${hue} 40% 62%)"/><text x="300" y="520" font-family="system-ui, sans-serif" font-size="34" text-anchor="middle" fill="hsl(${hue} 50% 20%)">${label.replace(/[<&]/g, "")}</text></svg>`;
  }

  async function storefront(response: ServerResponse, url: URL, domain: string) {
    const shop = shops.get(domain);
    if (!shop) return response.writeHead(404).end("Unknown shop");
    const customerId = url.searchParams.get("customer_id");
    const customer = customerId ? shop.catalog.customers.find((item) => item.id.endsWith(`/${customerId}`)) : undefined;
    const handle = url.pathname.startsWith("/products/") ? url.pathname.slice("/products/".length) : null;
    const featured = handle ? shop.catalog.products.filter((product) => product.handle === handle) : shop.catalog.products.filter((product) => product.status === "ACTIVE").slice(0, 24);
    const embed = shop.embedEnabled ? await renderEmbed(shop.catalog, customer, url) : "";
    const cards = featured
      .map((product) => `<a class="card" href="/products/${product.handle}${customerId ? `?customer_id=${customerId}` : ""}"><img src="${product.imageUrl}" alt="${product.title}" width="300" height="300"><span>${product.title}</span><strong>$${product.variants[0]!.price}</strong></a>`)
      .join("");
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${shop.catalog.shop.name}</title>
<style>body{margin:0;font:16px system-ui,sans-serif;color:#1a1a1a}header{display:flex;justify-content:space-between;align-items:center;padding:16px 32px;border-bottom:1px solid #eee}main{padding:24px 32px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:20px}.card{display:flex;flex-direction:column;gap:6px;color:inherit;text-decoration:none}.card img{width:100%;height:auto;border-radius:8px}#consent{position:fixed;left:16px;bottom:16px;background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px;font-size:14px;max-width:320px}</style>
<script>
window.Shopify = window.Shopify || {};
(function(){
  var stored = localStorage.getItem("demo-consent");
  var consent = stored === null ? null : stored === "granted";
  window.Shopify.customerPrivacy = {
    analyticsProcessingAllowed: function(){ return consent !== false; },
    marketingAllowed: function(){ return consent !== false; },
    preferencesProcessingAllowed: function(){ return consent !== false; },
    saleOfDataAllowed: function(){ return consent !== false; },
    setTrackingConsent: function(value, callback){ consent = Boolean(value.analytics); localStorage.setItem("demo-consent", consent ? "granted" : "declined"); document.dispatchEvent(new CustomEvent("visitorConsentCollected", { detail: value })); if (callback) callback(); }
  };
  window.Shopify.loadFeatures = function(features, callback){ callback(null); };
})();
</script></head><body>
<header><strong>${shop.catalog.shop.name}</strong><span>${customer ? `Signed in as ${customer.firstName}` : `<a href="?customer_id=${shop.catalog.customers[0]!.id.split("/").at(-1)}">Sign in (demo)</a>`}</span></header>
<main><h1>${handle ? featured[0]?.title ?? "Not found" : "New arrivals"}</h1><div class="grid">${cards}</div></main>
<div id="consent">This demo store asks for tracking consent. <button type="button" onclick="Shopify.customerPrivacy.setTrackingConsent({analytics:true,marketing:true},function(){})">Accept</button> <button type="button" onclick="Shopify.customerPrivacy.setTrackingConsent({analytics:false,marketing:false},function(){})">Decline</button></div>
${embed}
</body></html>`;
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
  }

  async function renderEmbed(catalog: DemoCatalog, customer: DemoCustomer | undefined, url: URL) {
    const template = await readFile(path.join(EXTENSION_DIRECTORY, "blocks/chat-widget.liquid"), "utf8");
    const schema = /{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/.exec(template);
    const settings = Object.fromEntries(
      ((schema ? JSON.parse(schema[1]!) : { settings: [] }) as { settings: Array<{ id?: string; default?: unknown }> }).settings
        .filter((setting) => setting.id)
        .map((setting) => [setting.id!, setting.default ?? null]),
    );
    return liquid.parseAndRender(template.replace(schema?.[0] ?? "", ""), {
      shop: { name: catalog.shop.name, permanent_domain: catalog.shop.myshopifyDomain, currency: catalog.shop.currencyCode },
      customer: customer ? { id: customer.id.split("/").at(-1), email: customer.email, first_name: customer.firstName, phone: customer.phone } : null,
      request: { locale: { iso_code: "en" }, path: url.pathname },
      block: { settings, id: "customer-agent-embed" },
    });
  }

  /** Forwards like Shopify: cookies stripped, shop/path_prefix/timestamp/logged_in_customer_id added and signed. */
  async function appProxy(request: IncomingMessage, response: ServerResponse, url: URL, domain: string) {
    const target = new URL(`/proxy${url.pathname.slice(PROXY_PREFIX.length)}`, options.appUrl);
    for (const [key, value] of url.searchParams) if (key !== "customer_id") target.searchParams.append(key, value);
    const referer = request.headers.referer ? new URL(request.headers.referer) : null;
    const customerId = url.searchParams.get("customer_id") ?? referer?.searchParams.get("customer_id") ?? "";
    target.searchParams.set("shop", domain);
    target.searchParams.set("logged_in_customer_id", customerId);
    target.searchParams.set("path_prefix", PROXY_PREFIX);
    target.searchParams.set("timestamp", String(Math.floor(Date.now() / 1000)));
    target.searchParams.set("signature", signAppProxyQuery(target.searchParams, options.apiSecret));
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : new Uint8Array(await readBody(request));
    const forwarded = await fetch(target, {
      method: request.method,
      headers: { "Content-Type": request.headers["content-type"] ?? "application/json", Accept: request.headers.accept ?? "*/*" },
      body,
    });
    const headers: Record<string, string> = {};
    forwarded.headers.forEach((value, key) => {
      if (!["set-cookie", "content-encoding", "content-length", "transfer-encoding", "connection"].includes(key)) headers[key] = value;
    });
    response.writeHead(forwarded.status, headers).end(Buffer.from(await forwarded.arrayBuffer()));
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const defaultShop = shops.keys().next().value ?? "";
    const domain = url.searchParams.get("shop") ?? defaultShop;
    const handle = async () => {
      if (url.pathname.startsWith("/admin/api/") && url.pathname.endsWith("/graphql.json") && request.method === "POST") return adminGraphql(request, response, url);
      if (url.pathname.startsWith(PROXY_PREFIX)) return appProxy(request, response, url, domain);
      if (url.pathname.startsWith("/images/") && url.pathname.endsWith(".svg")) {
        return response.writeHead(200, { "Content-Type": "image/svg+xml", "Cache-Control": "max-age=3600" }).end(productImage(path.basename(url.pathname, ".svg")));
      }
      if (url.pathname.startsWith("/extension-assets/")) {
        const file = path.join(EXTENSION_DIRECTORY, "assets", path.basename(url.pathname));
        const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "application/octet-stream";
        return response.writeHead(200, { "Content-Type": type }).end(await readFile(file));
      }
      if (request.method === "GET" && (url.pathname === "/" || url.pathname.startsWith("/products/"))) return storefront(response, url, domain);
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { "Content-Type": "text/plain" });
      response.end(`Fake Shopify error: ${(error as Error).message}`);
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  baseUrl = `http://localhost:${port}`;
  return {
    url: baseUrl,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addShop,
    setAppEmbedEnabled(shop, enabled) {
      const entry = shops.get(shop);
      if (entry) entry.embedEnabled = enabled;
    },
  };
}
