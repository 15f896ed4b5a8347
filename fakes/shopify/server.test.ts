import "@shopify/shopify-api/adapters/node";
import { readFile } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildDemoCatalog } from "./catalog";
import { APP_PROXY_PREFIX, CUSTOMER_SESSION_COOKIE, signAppProxyQuery, startFakeShopify, type FakeShopify } from "./server";
import { EXTENSION_DIRECTORY } from "./theme-extension";

const SHOP = "fake-test.myshopify.com";
const OTHER_SHOP = "other-test.myshopify.com";
const TOKEN = "shpat_fake_test";
const SECRET = "app-secret-for-tests";
const catalog = buildDemoCatalog(SHOP);
const customer = catalog.customers[3]!;

interface ReceivedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

/** The app's side of the app proxy: records what Shopify forwarded and answers per path. */
let received: ReceivedRequest[] = [];
let releaseSecondChunk: () => void = () => undefined;
const appRoutes: Record<string, (response: ServerResponse) => void> = {
  "/proxy/conversations": (response) => response.writeHead(201, { "Content-Type": "application/json", "Set-Cookie": "app_session=leak", "X-App": "yes" }).end('{"ok":true}'),
  "/proxy/stream": (response) => {
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.write("first;");
    new Promise<void>((resolve) => (releaseSecondChunk = resolve)).then(() => response.end("second"));
  },
  "/proxy/page": (response) => response.writeHead(200, { "Content-Type": "application/liquid" }).end("<h1>Hello {{ customer.first_name }} from {{ shop.name }}</h1>"),
};
const app: Server = createServer(async (request, response) => {
  let body = "";
  for await (const chunk of request) body += chunk;
  const url = new URL(request.url!, "http://app.invalid");
  received.push({ method: request.method!, url, headers: request.headers, body });
  (appRoutes[url.pathname] ?? ((answer: ServerResponse) => answer.writeHead(404).end()))(response);
});

let shopify: FakeShopify;

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  shopify = await startFakeShopify({
    apiSecret: SECRET,
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    shops: [catalog, buildDemoCatalog(OTHER_SHOP)],
    accessTokens: { [SHOP]: TOKEN },
  });
});

afterAll(async () => {
  await shopify.close();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
});

beforeEach(() => {
  received = [];
});

async function admin(query: string, variables: Record<string, unknown> = {}, { token = TOKEN, shop = SHOP } = {}) {
  const response = await fetch(`${shopify.url}/admin/api/2026-10/graphql.json?shop=${shop}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: any; extensions?: any } };
}

/** Shopify's Decimal scalar (MoneyV2.amount) as it serializes: "24.0", "12.5", "12.95". */
function shopifyDecimal(amount: string): string {
  const text = String(Number(amount));
  return text.includes(".") ? text : `${text}.0`;
}

function embedConfig(html: string) {
  const match = /<script type="application\/json" id="customer-agent-config">([\s\S]*?)<\/script>/.exec(html);
  return match ? (JSON.parse(match[1]!) as Record<string, any>) : null;
}

describe("Admin GraphQL API: authentication", () => {
  it("refuses a wrong or missing access token with Shopify's 401", async () => {
    for (const token of ["shpat_wrong", ""]) {
      const { status, body } = await admin("{ shop { name } }", {}, { token });
      expect(status).toBe(401);
      expect(body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
  });

  it("answers 404 for a shop it does not host, and 400 without a query", async () => {
    expect((await admin("{ shop { name } }", {}, { shop: "nobody.myshopify.com" })).status).toBe(404);
    const response = await fetch(`${shopify.url}/admin/api/2026-10/graphql.json?shop=${SHOP}`, { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN }, body: "{}" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { query: "Required parameter missing or invalid" } });
  });

  it("takes the shop from the Host header when there is no ?shop=, as on {shop}.myshopify.com", async () => {
    const { port } = new URL(shopify.url);
    const body = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        { host: "127.0.0.1", port, path: "/admin/api/2026-10/graphql.json", method: "POST", headers: { Host: SHOP, "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN } },
        async (response) => {
          let text = "";
          for await (const chunk of response) text += chunk;
          resolve(text);
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify({ query: "{ shop { myshopifyDomain } }" }));
    });
    expect(JSON.parse(body).data.shop.myshopifyDomain).toBe(SHOP);
  });

  it("accepts shpat_{shop} for a shop given no token", async () => {
    const { body } = await admin("{ shop { name } }", {}, { shop: OTHER_SHOP, token: `shpat_${OTHER_SHOP}` });
    expect(body.data.shop.name).toBe("Other Test");
  });
});

describe("Admin GraphQL API: data", () => {
  it("describes the shop", async () => {
    const { status, headers, body } = await admin("{ shop { id name email myshopifyDomain currencyCode billingAddress { countryCodeV2 } primaryDomain { url host } } }");
    expect(status).toBe(200);
    expect(headers.get("x-shopify-api-version")).toBe("2026-10");
    const { countryCode, ...shop } = catalog.shop;
    expect(body.data.shop).toEqual({ ...shop, billingAddress: { countryCodeV2: countryCode }, primaryDomain: { url: shopify.url, host: new URL(shopify.url).host } });
    expect(body.extensions.cost.throttleStatus.maximumAvailable).toBe(2000);
  });

  it("pages through every product with cursors, both edges and nodes", async () => {
    const query = `query Page($after: String) {
      products(first: 100, after: $after) { edges { cursor node { id } } nodes { id variants(first: 10) { nodes { sku } } } pageInfo { hasNextPage hasPreviousPage endCursor } }
    }`;
    const ids: string[] = [];
    const pages: Array<{ hasNextPage: boolean; hasPreviousPage: boolean }> = [];
    let after: string | null = null;
    do {
      const { body } = await admin(query, { after });
      const page = body.data.products;
      expect(page.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(page.nodes.map((node: { id: string }) => node.id));
      expect(page.edges.at(-1).cursor).toBe(page.pageInfo.endCursor);
      ids.push(...page.nodes.map((node: { id: string }) => node.id));
      pages.push(page.pageInfo);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(ids).toEqual(catalog.products.map((product) => product.id));
    expect(pages.map((page) => page.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((page) => page.hasPreviousPage)).toEqual([false, true, true]);
  });

  it("applies Shopify's connection rules: first or last required, at most 250, a cursor it issued", async () => {
    const missing = await admin("{ products(query: \"tag:sale\") { nodes { id } } }");
    expect(missing.body.errors[0].message).toBe("you must provide one of first or last");
    expect((await admin("{ products(first: 251) { nodes { id } } }")).body.errors[0].message).toMatch(/250/);
    expect((await admin('{ products(first: 5, after: "bm90LWEtY3Vyc29y") { nodes { id } } }')).body.errors[0].message).toMatch(/cursor/i);
    const last = await admin("{ products(last: 2) { nodes { id } pageInfo { hasNextPage hasPreviousPage } } }");
    expect(last.body.data.products.nodes.map((node: { id: string }) => node.id)).toEqual(catalog.products.slice(-2).map((product) => product.id));
    expect(last.body.data.products.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
  });

  it("filters and sorts products with Shopify's search syntax", async () => {
    const tents = await admin('{ products(first: 250, query: "product_type:Tents status:active", sortKey: TITLE, reverse: true) { nodes { title productType status } } }');
    const expected = catalog.products.filter((product) => product.productType === "Tents" && product.status === "ACTIVE").map((product) => product.title);
    expect(tents.body.data.products.nodes.map((node: { title: string }) => node.title)).toEqual([...expected].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));
    const notSale = await admin('{ products(first: 250, query: "-tag:sale") { nodes { tags } } }');
    expect(notSale.body.data.products.nodes.every((node: { tags: string[] }) => !node.tags.includes("sale"))).toBe(true);
    const either = await admin('{ products(first: 250, query: "vendor:\'Hydra Works\' OR vendor:\'Hearth House\'") { nodes { vendor } } }');
    expect(new Set(either.body.data.products.nodes.map((node: { vendor: string }) => node.vendor))).toEqual(new Set(["Hydra Works", "Hearth House"]));
  });

  it("ignores a filter the connection does not support and warns, like Shopify", async () => {
    const { body } = await admin('{ products(first: 3, query: "colour:red") { nodes { id } } }');
    expect(body.data.products.nodes).toHaveLength(3);
    expect(body.extensions.search).toEqual([{ path: ["products"], query: "colour:red", warnings: [{ field: "colour", message: "Invalid search field for this query." }] }]);
  });

  it("serves a product with absolute image and storefront URLs that the fake serves", async () => {
    const product = catalog.products.find((candidate) => candidate.status === "ACTIVE" && candidate.variants.length > 1)!;
    const { body } = await admin(
      `query ($id: ID!) { product(id: $id) { id legacyResourceId handle title status onlineStoreUrl featuredImage { url altText } options { name values }
        priceRangeV2 { minVariantPrice { amount currencyCode } } variants(first: 10) { nodes { id sku price inventoryQuantity selectedOptions { name value } product { id } } } } }`,
      { id: product.id },
    );
    expect(body.data.product).toMatchObject({ id: product.id, legacyResourceId: product.legacyResourceId, handle: product.handle, status: product.status, options: product.options });
    expect(body.data.product.variants.nodes.map((variant: { sku: string }) => variant.sku)).toEqual(product.variants.map((variant) => variant.sku));
    expect(body.data.product.variants.nodes[0].product.id).toBe(product.id);
    const image = await fetch(body.data.product.featuredImage.url);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    expect(await image.text()).toContain(product.vendor);
    expect((await fetch(body.data.product.onlineStoreUrl)).status).toBe(200);
    expect((await admin('{ product(id: "gid://shopify/Product/1") { id } }')).body.data.product).toBeNull();
  });

  it("finds a variant by SKU", async () => {
    const { product, variant } = catalog.products.flatMap((owner) => owner.variants.map((item) => ({ product: owner, variant: item })))[42]!;
    const { body } = await admin(`{ productVariants(first: 5, query: "sku:${variant.sku}") { nodes { id sku title price displayName product { id title } } } }`);
    expect(body.data.productVariants.nodes).toEqual([{ id: variant.id, sku: variant.sku, title: variant.title, price: variant.price, displayName: `${product.title} - ${variant.title}`, product: { id: product.id, title: product.title } }]);
  });

  it("finds customers by email and reads one with their orders", async () => {
    const orders = catalog.orders.filter((order) => order.customerId === customer.id);
    const search = await admin(`{ customers(first: 5, query: "email:${customer.email}") { nodes { id email phone firstName lastName defaultEmailAddress { emailAddress marketingState } } } }`);
    expect(search.body.data.customers.nodes).toEqual([
      { id: customer.id, email: customer.email, phone: customer.phone, firstName: customer.firstName, lastName: customer.lastName, defaultEmailAddress: { emailAddress: customer.email, marketingState: customer.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED" } },
    ]);
    const { body } = await admin("query ($id: ID!) { customer(id: $id) { numberOfOrders orders(first: 250) { nodes { id } } } }", { id: customer.id });
    expect(body.data.customer.numberOfOrders).toBe(String(orders.length));
    expect(body.data.customer.orders.nodes.map((order: { id: string }) => order.id)).toEqual(orders.map((order) => order.id));
    const page = await admin("{ customers(first: 25) { nodes { id } pageInfo { hasNextPage } } }");
    expect(page.body.data.customers.nodes).toHaveLength(25);
    expect(page.body.data.customers.pageInfo.hasNextPage).toBe(true);
  });

  it("filters orders by customer_id, email and created_at:>, as the app's sync asks", async () => {
    const byCustomer = await admin(`{ orders(first: 250, query: "customer_id:${customer.legacyResourceId}", sortKey: CREATED_AT) { nodes { id customer { id } } } }`);
    expect(byCustomer.body.data.orders.nodes.map((order: { id: string }) => order.id)).toEqual(catalog.orders.filter((order) => order.customerId === customer.id).map((order) => order.id));
    const byEmail = await admin(`{ orders(first: 250, query: "email:${customer.email}") { nodes { email } } }`);
    expect(byEmail.body.data.orders.nodes.length).toBe(byCustomer.body.data.orders.nodes.length);
    const since = catalog.orders[200]!.createdAt;
    const recent = await admin(`query ($query: String) { orders(first: 250, query: $query, sortKey: CREATED_AT, reverse: true) { nodes { createdAt } } }`, { query: `created_at:>${since}` });
    const expected = catalog.orders.filter((order) => order.createdAt > since).map((order) => order.createdAt).reverse();
    expect(recent.body.data.orders.nodes.map((order: { createdAt: string }) => order.createdAt)).toEqual(expected);
  });

  it("reads an order with its line items", async () => {
    const order = catalog.orders.find((candidate) => candidate.lineItems.length > 1 && candidate.customerId)!;
    const { body } = await admin(
      `query ($id: ID!) { order(id: $id) { name email displayFinancialStatus customer { id } totalPriceSet { shopMoney { amount currencyCode } }
        lineItems(first: 50) { nodes { title quantity sku variant { id } product { id } originalUnitPriceSet { shopMoney { amount } } } } } }`,
      { id: order.id },
    );
    expect(body.data.order).toEqual({
      name: order.name,
      email: order.email,
      displayFinancialStatus: order.financialStatus,
      customer: { id: order.customerId },
      totalPriceSet: { shopMoney: { amount: shopifyDecimal(order.totalPrice), currencyCode: "USD" } },
      lineItems: { nodes: order.lineItems.map((line) => ({ title: line.title, quantity: line.quantity, sku: line.sku, variant: { id: line.variantId }, product: { id: line.productId }, originalUnitPriceSet: { shopMoney: { amount: shopifyDecimal(line.price) } } })) },
    });
  });

  it("rejects fields Shopify does not have, in Shopify's error shape", async () => {
    const { status, body } = await admin("{ shop { name nmae } }");
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({ message: "Field 'nmae' doesn't exist on type 'Shop'", extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nmae" } });
    const missing = await admin("{ product { id } }");
    expect(missing.body.errors[0]).toMatchObject({ message: "Field 'product' is missing required arguments: id", extensions: { code: "missingRequiredArguments" } });
  });
});

describe("Admin GraphQL API: app-owned metafields, as the theme app extension reads them", () => {
  const asOther = { shop: OTHER_SHOP, token: `shpat_${OTHER_SHOP}` };
  const SET = `mutation Set($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { metafields { namespace key type value } userErrors { field message code } } }`;

  it("writes a json metafield on the app's installation, which the storefront's Liquid renders into the embed", async () => {
    const { body: installation } = await admin("{ currentAppInstallation { id } }", {}, asOther);
    const ownerId: string = installation.data.currentAppInstallation.id;
    expect(ownerId).toMatch(/^gid:\/\/shopify\/AppInstallation\/\d+$/);
    const look = { accent_color: "#aa3300", position: "left", launcher_label: "Ask us", hidden_page_types: ["cart"], greeting: "Hey there", agent_name: "Juniper" };
    const { body } = await admin(SET, { metafields: [{ ownerId, namespace: "customer_agent", key: "widget", type: "json", value: JSON.stringify(look) }] }, asOther);
    expect(body.data.metafieldsSet).toEqual({ metafields: [{ namespace: "customer_agent", key: "widget", type: "json", value: JSON.stringify(look) }], userErrors: [] });
    const { body: read } = await admin(`{ currentAppInstallation { metafield(namespace: "customer_agent", key: "widget") { jsonValue } } }`, {}, asOther);
    expect(read.data.currentAppInstallation.metafield.jsonValue).toEqual(look);

    const config = embedConfig(await (await fetch(`${shopify.url}/?shop=${OTHER_SHOP}`)).text())!;
    expect(config.settings).toMatchObject({ accentColor: "#aa3300", position: "left", launcherLabel: "Ask us", greeting: "Hey there" });
    expect(config.strings.assistant).toBe("Juniper");
    expect(embedConfig(await (await fetch(`${shopify.url}/cart?shop=${OTHER_SHOP}`)).text())).toBeNull();
  });

  it("refuses, all or nothing, a metafield on another owner, without a type, or with invalid JSON", async () => {
    const { body: installation } = await admin("{ currentAppInstallation { id } }", {}, asOther);
    const ownerId: string = installation.data.currentAppInstallation.id;
    const { body } = await admin(
      SET,
      {
        metafields: [
          { ownerId, namespace: "customer_agent", key: "fine", type: "json", value: "{}" },
          { ownerId: "gid://shopify/Shop/1", namespace: "customer_agent", key: "a", type: "json", value: "{}" },
          { ownerId, namespace: "customer_agent", key: "b", value: "{}" },
          { ownerId, namespace: "customer_agent", key: "c", type: "json", value: "{not json" },
        ],
      },
      asOther,
    );
    expect(body.data.metafieldsSet.metafields).toBeNull();
    expect(body.data.metafieldsSet.userErrors.map((error: { code: string }) => error.code)).toEqual(["APP_NOT_AUTHORIZED", "BLANK", "INVALID_VALUE"]);
    const { body: read } = await admin(`{ currentAppInstallation { metafield(namespace: "customer_agent", key: "fine") { value } } }`, {}, asOther);
    expect(read.data.currentAppInstallation.metafield).toBeNull();
  });
});

describe("Admin GraphQL API: the app embed in the main theme", () => {
  const MAIN_THEME_SETTINGS = `query { themes(roles: [MAIN], first: 1) { nodes { role files(filenames: ["config/settings_data.json"]) { nodes { filename body { ... on OnlineStoreThemeFileBodyText { content } } } } } } }`;

  async function embedBlocks() {
    const { body } = await admin(MAIN_THEME_SETTINGS);
    const theme = body.data.themes.nodes[0];
    expect(theme.role).toBe("MAIN");
    const content: string = theme.files.nodes[0].body.content;
    expect(content.startsWith("/*")).toBe(true);
    return Object.values(JSON.parse(content.replace(/^\/\*[\s\S]*?\*\/\s*/, "")).current.blocks) as Array<{ type: string; disabled: boolean; settings: Record<string, unknown> }>;
  }

  it("reports the embed in settings_data.json, following the theme editor's toggle", async () => {
    expect(await embedBlocks()).toEqual([{ type: expect.stringMatching(/^shopify:\/\/apps\/customer-agent\/blocks\/chat-widget\/[0-9a-f-]{36}$/), disabled: false, settings: expect.objectContaining({ position: "right" }) }]);
    shopify.setAppEmbedEnabled(SHOP, false);
    try {
      expect((await embedBlocks())[0]!.disabled).toBe(true);
      expect(embedConfig(await (await fetch(`${shopify.url}/?shop=${SHOP}`)).text())).toBeNull();
    } finally {
      shopify.setAppEmbedEnabled(SHOP, true);
    }
    expect(() => shopify.setAppEmbedEnabled("nobody.myshopify.com", true)).toThrow(/no shop nobody/);
  });
});

describe("storefront", () => {
  it("renders the store with the real app embed block and its schema defaults", async () => {
    const response = await fetch(`${shopify.url}/?shop=${SHOP}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html.match(/class="card"/g)!.length).toBe(24);
    expect(embedConfig(html)).toEqual({
      shop: SHOP,
      proxyPath: APP_PROXY_PREFIX,
      panelScript: "/extension-assets/widget-panel.js",
      locale: "en",
      customer: null,
      settings: { accentColor: "#1f6f5c", greeting: "Hi! Ask us anything about products, sizing or your order.", position: "right", launcherLabel: null, showOnMobile: true },
      strings: expect.objectContaining({ openChat: "Open chat", send: "Send", title: `Chat with ${catalog.shop.name}` }),
    });
    expect(html).toContain('<script src="/extension-assets/widget.js" defer></script>');
    expect(html).toContain("shopify.loadFeatures = function");
    expect(html).not.toContain("{% schema %}");
  });

  it("serves the extension's assets", async () => {
    const response = await fetch(`${shopify.url}/extension-assets/widget.js`);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await response.text()).toBe(await readFile(path.join(EXTENSION_DIRECTORY, "assets/widget.js"), "utf8"));
    expect((await fetch(`${shopify.url}/extension-assets/missing.js`)).status).toBe(404);
  });

  it("signs a demo customer in with ?customer_id=, keeps them in a cookie, and signs out with ?customer_id=", async () => {
    const signIn = await fetch(`${shopify.url}/?shop=${SHOP}&customer_id=${customer.legacyResourceId}`);
    expect(embedConfig(await signIn.text())!.customer).toEqual({ id: Number(customer.legacyResourceId), email: customer.email });
    const session = signIn.headers.getSetCookie().find((cookie) => cookie.startsWith(`${CUSTOMER_SESSION_COOKIE}=`))!.split(";")[0]!;
    const later = await (await fetch(`${shopify.url}/collections/all?shop=${SHOP}`, { headers: { Cookie: session } })).text();
    expect(later).toContain(`Signed in as ${customer.firstName}`);
    const signOut = await fetch(`${shopify.url}/?shop=${SHOP}&customer_id=`, { headers: { Cookie: session } });
    expect(embedConfig(await signOut.text())!.customer).toBeNull();
    expect(signOut.headers.getSetCookie().some((cookie) => cookie.startsWith(`${CUSTOMER_SESSION_COOKIE}=;`))).toBe(true);
  });

  it("renders product and collection pages, and 404s for unknown ones", async () => {
    const product = catalog.products.find((candidate) => candidate.status === "ACTIVE")!;
    const page = await fetch(`${shopify.url}/products/${product.handle}?shop=${SHOP}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`<h1>${product.title}</h1>`);
    expect(embedConfig(html)).not.toBeNull();
    expect((await fetch(`${shopify.url}/products/no-such-thing?shop=${SHOP}`)).status).toBe(404);
    expect((await fetch(`${shopify.url}/collections/tents?shop=${SHOP}`)).status).toBe(200);
    expect((await fetch(`${shopify.url}/collections/nothing?shop=${SHOP}`)).status).toBe(404);
  });

  it("serves the shop picked with ?shop=", async () => {
    expect(embedConfig(await (await fetch(`${shopify.url}/?shop=${OTHER_SHOP}`)).text())!.shop).toBe(OTHER_SHOP);
  });
});

describe("AJAX Cart API", () => {
  const inStock = catalog.products.flatMap((product) => product.status === "ACTIVE" ? product.variants.map((variant) => ({ product, variant })) : []).find(({ variant }) => variant.inventoryPolicy === "DENY" && variant.inventoryQuantity > 2)!;
  const soldOut = catalog.products.flatMap((product) => product.status === "ACTIVE" ? product.variants.map((variant) => ({ product, variant })) : []).find(({ variant }) => variant.inventoryPolicy === "DENY" && variant.inventoryQuantity === 0)!;

  async function cartRequest(pathname: string, body?: unknown, cookie?: string, contentType = "application/json") {
    const response = await fetch(`${shopify.url}${pathname}?shop=${SHOP}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { ...(body === undefined ? {} : { "Content-Type": contentType }), ...(cookie ? { Cookie: cookie } : {}) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie().find((value) => value.startsWith("cart="))?.split(";")[0];
    return { status: response.status, body: (await response.json()) as Record<string, any>, cookie: setCookie ?? cookie };
  }

  it("keeps a cart per cart cookie: add.js adds lines, cart.js reads them, update.js merges attributes", async () => {
    const first = await cartRequest("/cart/add.js", { items: [{ id: Number(inStock.variant.legacyResourceId), quantity: 1 }] });
    expect(first.status).toBe(200);
    expect(first.cookie).toMatch(/^cart=\w+$/);
    expect(first.body.items[0]).toMatchObject({ variant_id: Number(inStock.variant.legacyResourceId), quantity: 1, price: Math.round(Number(inStock.variant.price) * 100), handle: inStock.product.handle });

    await cartRequest("/cart/add.js", `id=${inStock.variant.legacyResourceId}&quantity=1`, first.cookie, "application/x-www-form-urlencoded");
    await cartRequest("/cart/update.js", { attributes: { gift_wrap: "yes" } }, first.cookie);
    const updated = await cartRequest("/cart/update.js", { attributes: { _customer_agent_conversation: "conv-1" } }, first.cookie);
    expect(updated.body.attributes).toEqual({ gift_wrap: "yes", _customer_agent_conversation: "conv-1" });

    const cart = await cartRequest("/cart.js", undefined, first.cookie);
    expect(cart.body).toMatchObject({ item_count: 2, currency: catalog.shop.currencyCode, attributes: { gift_wrap: "yes", _customer_agent_conversation: "conv-1" } });
    expect((await cartRequest("/cart.js")).body).toMatchObject({ item_count: 0, attributes: {} });
    const page = await (await fetch(`${shopify.url}/?shop=${SHOP}`, { headers: { Cookie: first.cookie! } })).text();
    expect(page).toContain("Cart (2)");
  });

  it("refuses what Shopify refuses, in its error shape, and adds nothing", async () => {
    const unknown = await cartRequest("/cart/add.js", { items: [{ id: 1, quantity: 1 }] });
    expect(unknown).toMatchObject({ status: 404, body: { status: 404, message: "Cart Error", description: "Cannot find variant" } });
    const gone = await cartRequest("/cart/add.js", { id: soldOut.variant.legacyResourceId, quantity: 1 }, unknown.cookie);
    expect(gone.status).toBe(422);
    expect(gone.body.description).toMatch(/is already sold out/);
    const tooMany = await cartRequest("/cart/add.js", { id: inStock.variant.legacyResourceId, quantity: inStock.variant.inventoryQuantity + 1 }, unknown.cookie);
    expect(tooMany.body.description).toMatch(new RegExp(`You can only add ${inStock.variant.inventoryQuantity} `));
    expect((await cartRequest("/cart/add.js", "{nope", unknown.cookie)).status).toBe(400);
    expect((await cartRequest("/cart.js", undefined, unknown.cookie)).body.item_count).toBe(0);
  });
});

describe("app proxy", () => {
  const shopifyLibrary = shopifyApi({ apiKey: "test-key", apiSecretKey: SECRET, scopes: [], hostName: "localhost", apiVersion: ApiVersion.October26, isEmbeddedApp: true, logger: { level: LogSeverity.Error } });

  it("forwards to the app like Shopify: signed query, body and method kept, cookies stripped both ways", async () => {
    const response = await fetch(`${shopify.url}${APP_PROXY_PREFIX}/conversations?shop=${SHOP}&utm_source=mail&tag=a&tag=b`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: "secure_customer_sig=secret; other=1", "User-Agent": "shopper-browser" },
      body: '{"message":"hi"}',
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('{"ok":true}');
    expect(response.headers.get("x-app")).toBe("yes");
    expect(response.headers.get("set-cookie")).toBeNull();

    const [forwarded] = received;
    expect(forwarded).toMatchObject({ method: "POST", body: '{"message":"hi"}' });
    expect(forwarded!.url.pathname).toBe("/proxy/conversations");
    expect(forwarded!.headers.cookie).toBeUndefined();
    expect(forwarded!.headers["content-type"]).toBe("application/json");
    expect(forwarded!.headers["user-agent"]).toBe("shopper-browser");
    const query = forwarded!.url.searchParams;
    expect(Object.fromEntries(query)).toMatchObject({ shop: SHOP, path_prefix: APP_PROXY_PREFIX, logged_in_customer_id: "", utm_source: "mail" });
    expect(query.getAll("tag")).toEqual(["a", "b"]);
    expect(Math.abs(Number(query.get("timestamp")) - Date.now() / 1000)).toBeLessThan(60);
    expect(query.get("signature")).toBe(signAppProxyQuery(query, SECRET));
    expect(await shopifyLibrary.utils.validateHmac(query, { signator: "appProxy" })).toBe(true);
  });

  it("passes the signed-in customer's id, from the storefront session", async () => {
    const signIn = await fetch(`${shopify.url}/?shop=${SHOP}&customer_id=${customer.legacyResourceId}`);
    const cookies = signIn.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
    await fetch(`${shopify.url}${APP_PROXY_PREFIX}/conversations/abc?anonymousId=shopper-1`, { headers: { Cookie: cookies } });
    const query = received[0]!.url.searchParams;
    expect(received[0]!.url.pathname).toBe("/proxy/conversations/abc");
    expect(query.get("logged_in_customer_id")).toBe(customer.legacyResourceId);
    expect(query.get("anonymousId")).toBe("shopper-1");
    expect(await shopifyLibrary.utils.validateHmac(query, { signator: "appProxy" })).toBe(true);
  });

  it("signs as the library expects, and a signature over other parameters does not verify", () => {
    const params = { shop: SHOP, path_prefix: APP_PROXY_PREFIX, timestamp: "1732464000", logged_in_customer_id: "", extra: ["x", "y"] };
    expect(signAppProxyQuery(params, SECRET)).toBe(signAppProxyQuery(new URLSearchParams([...Object.entries(params).filter(([key]) => key !== "extra"), ["extra", "x"], ["extra", "y"]] as Array<[string, string]>), SECRET));
    expect(signAppProxyQuery({ ...params, shop: OTHER_SHOP }, SECRET)).not.toBe(signAppProxyQuery(params, SECRET));
    expect(signAppProxyQuery(params, "another-secret")).not.toBe(signAppProxyQuery(params, SECRET));
  });

  it("streams the app's answer as it is written", async () => {
    const response = await fetch(`${shopify.url}${APP_PROXY_PREFIX}/stream?shop=${SHOP}`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("first;")) text += decoder.decode((await reader.read()).value);
    releaseSecondChunk();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    expect(text).toBe("first;second");
  });

  it("renders an application/liquid answer inside the store's layout", async () => {
    const signIn = await fetch(`${shopify.url}/?shop=${SHOP}&customer_id=${customer.legacyResourceId}`);
    const cookies = signIn.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
    const response = await fetch(`${shopify.url}${APP_PROXY_PREFIX}/page`, { headers: { Cookie: cookies } });
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain(`<h1>Hello ${customer.firstName} from ${catalog.shop.name}</h1>`);
    expect(html).toContain('<header class="site-header">');
  });

  it("answers 502 when the app is not reachable", async () => {
    const unreachable = await startFakeShopify({ apiSecret: SECRET, appUrl: "http://127.0.0.1:9", shops: [catalog] });
    try {
      expect((await fetch(`${unreachable.url}${APP_PROXY_PREFIX}/conversations`)).status).toBe(502);
    } finally {
      await unreachable.close();
    }
  });
});
