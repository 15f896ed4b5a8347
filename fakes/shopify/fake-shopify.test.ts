import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoCatalog } from "./catalog";
import { signAppProxyQuery, startFakeShopify, type FakeShopify } from "./server";

const SHOP = "fake-test.myshopify.com";
const TOKEN = "shpat_fake_test";
const SECRET = "app-secret";
let shopify: FakeShopify;
let forwarded: { url: URL; body: string; cookie: string | undefined } | null = null;
const app = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    forwarded = { url: new URL(request.url!, "http://app"), body, cookie: request.headers.cookie };
    response.writeHead(200, { "Content-Type": "application/json", "Set-Cookie": "leak=1" }).end('{"ok":true}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const address = app.address();
  const appUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  shopify = await startFakeShopify({ apiSecret: SECRET, appUrl, shops: [buildDemoCatalog(SHOP)], accessTokens: { [SHOP]: TOKEN } });
});
afterAll(async () => {
  await shopify.close();
  app.close();
});

async function graphql(query: string, variables: Record<string, unknown> = {}, token = TOKEN) {
  const response = await fetch(`${shopify.url}/admin/api/2026-10/graphql.json?shop=${SHOP}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown } };
}

describe("demo catalog", () => {
  it("is deterministic and realistic: 200+ products with unique SKUs, and orders of real variants", () => {
    const catalog = buildDemoCatalog(SHOP);
    expect(buildDemoCatalog(SHOP)).toEqual(catalog);
    expect(catalog.products.length).toBeGreaterThanOrEqual(200);
    const skus = catalog.products.flatMap((product) => product.variants.map((variant) => variant.sku));
    expect(new Set(skus).size).toBe(skus.length);
    const variantIds = new Set(catalog.products.flatMap((product) => product.variants.map((variant) => variant.id)));
    expect(catalog.orders.length).toBeGreaterThanOrEqual(300);
    expect(catalog.orders.every((order) => order.lineItems.every((line) => variantIds.has(line.variantId)))).toBe(true);
    expect(catalog.customers.length).toBeGreaterThanOrEqual(50);
  });
});

describe("fake Shopify Admin GraphQL", () => {
  it("refuses a wrong access token like Shopify", async () => {
    const { status, body } = await graphql("{ shop { name } }", {}, "shpat_wrong");
    expect(status).toBe(401);
    expect(body.errors).toContain("Invalid API key or access token");
  });

  it("pages through products with cursors", async () => {
    const query = `query ($after: String) { products(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id variants(first: 10) { nodes { sku } } } } }`;
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const { body } = await graphql(query, { after });
      ids.push(...body.data.products.nodes.map((node: { id: string }) => node.id));
      after = body.data.products.pageInfo.hasNextPage ? body.data.products.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(ids).size).toBe(buildDemoCatalog(SHOP).products.length);
  });

  it("filters orders by customer and date with Shopify's search syntax", async () => {
    const customer = buildDemoCatalog(SHOP).orders[0]!.customerId.split("/").at(-1);
    const { body } = await graphql(`{ orders(first: 250, query: "customer_id:${customer}", sortKey: CREATED_AT) { nodes { customer { id } } } }`);
    expect(body.data.orders.nodes.length).toBeGreaterThan(0);
    expect(body.data.orders.nodes.every((order: { customer: { id: string } }) => order.customer.id.endsWith(`/${customer}`))).toBe(true);
  });
});

describe("fake Shopify app proxy and storefront", () => {
  it("forwards to the app with Shopify's signature, the logged-in customer, and no cookies", async () => {
    const response = await fetch(`${shopify.url}/apps/customer-agent/conversations?customer_id=7100000003`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: "session=secret" },
      body: '{"message":"hi"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    const { url, body, cookie } = forwarded!;
    expect(url.pathname).toBe("/proxy/conversations");
    expect(url.searchParams.get("logged_in_customer_id")).toBe("7100000003");
    expect(url.searchParams.get("path_prefix")).toBe("/apps/customer-agent");
    expect(url.searchParams.get("signature")).toBe(signAppProxyQuery(url.searchParams, SECRET));
    expect(body).toBe('{"message":"hi"}');
    expect(cookie).toBeUndefined();
  });

  it("renders the real app embed block, with the logged-in customer in its config", async () => {
    const html = await (await fetch(`${shopify.url}/?customer_id=7100000003`)).text();
    const config = JSON.parse(/<script type="application\/json" id="customer-agent-config">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(config).toMatchObject({ shop: SHOP, proxyPath: "/apps/customer-agent", customer: { id: "7100000003" }, settings: { position: "right" } });
    expect(html).toContain('src="/extension-assets/widget.js"');
  });
});
