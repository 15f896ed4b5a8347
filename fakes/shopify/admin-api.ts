import { createHash } from "node:crypto";
import { buildSchema, graphql, GraphQLError, type ExecutionResult, type GraphQLFormattedError } from "graphql";
import type { DemoCatalog, DemoCustomer, DemoLineItem, DemoOrder, DemoProduct, DemoVariant } from "./catalog";
import { compileSearchQuery, type SearchValue, type SearchWarning } from "./search-syntax";
import type { AppEmbedBlock } from "./theme-extension";

/**
 * The slice of Shopify's Admin GraphQL API the app uses, with Shopify's field names, enums, connection rules
 * (`first` or `last` required, at most 250, opaque cursors), search syntax and error shapes. Anything not here
 * fails validation exactly as an unknown field fails on Shopify, so a query that works against the fake is
 * spelled the way Shopify expects.
 */
const SCHEMA = buildSchema(`
  scalar DateTime
  scalar HTML
  scalar Decimal
  scalar Money
  scalar URL
  scalar UnsignedInt64
  scalar JSON

  type Query {
    shop: Shop!
    currentAppInstallation: AppInstallation!
    product(id: ID!): Product
    products(first: Int, after: String, last: Int, before: String, query: String, sortKey: ProductSortKeys = ID, reverse: Boolean = false): ProductConnection!
    productVariant(id: ID!): ProductVariant
    productVariants(first: Int, after: String, last: Int, before: String, query: String, sortKey: ProductVariantSortKeys = ID, reverse: Boolean = false): ProductVariantConnection!
    customer(id: ID!): Customer
    customers(first: Int, after: String, last: Int, before: String, query: String, sortKey: CustomerSortKeys = ID, reverse: Boolean = false): CustomerConnection!
    order(id: ID!): Order
    orders(first: Int, after: String, last: Int, before: String, query: String, sortKey: OrderSortKeys = ID, reverse: Boolean = false): OrderConnection!
    themes(first: Int, after: String, last: Int, before: String, roles: [ThemeRole!], names: [String!]): OnlineStoreThemeConnection
  }

  type Mutation {
    metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  }
  input MetafieldsSetInput { ownerId: ID! namespace: String key: String! type: String value: String! compareDigest: String }
  type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }
  enum MetafieldsSetUserErrorCode { BLANK INVALID INVALID_TYPE INVALID_VALUE TOO_LONG APP_NOT_AUTHORIZED }
  type MetafieldsSetUserError { field: [String!] message: String! code: MetafieldsSetUserErrorCode }
  type Metafield {
    id: ID! namespace: String! key: String! type: String! value: String! jsonValue: JSON! ownerType: String!
    compareDigest: String! createdAt: DateTime! updatedAt: DateTime!
  }
  type AppInstallation { id: ID! metafield(namespace: String, key: String!): Metafield }

  enum CurrencyCode { AUD CAD CHF DKK EUR GBP JPY NOK NZD SEK USD }
  enum CountryCode { AU CA CH DE DK ES FR GB IT JP NL NO NZ SE US }
  enum ProductStatus { ACTIVE ARCHIVED DRAFT }
  enum ProductSortKeys { CREATED_AT ID INVENTORY_TOTAL PRODUCT_TYPE PUBLISHED_AT RELEVANCE TITLE UPDATED_AT VENDOR }
  enum ProductVariantSortKeys { FULL_TITLE ID INVENTORY_QUANTITY NAME POSITION RELEVANCE SKU TITLE }
  enum CustomerSortKeys { CREATED_AT ID LOCATION NAME RELEVANCE UPDATED_AT }
  enum OrderSortKeys { CREATED_AT CUSTOMER_NAME FINANCIAL_STATUS FULFILLMENT_STATUS ID ORDER_NUMBER PROCESSED_AT RELEVANCE TOTAL_PRICE UPDATED_AT }
  enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
  enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED }
  enum CustomerEmailAddressMarketingState { INVALID NOT_SUBSCRIBED PENDING SUBSCRIBED UNSUBSCRIBED }
  enum CustomerEmailMarketingState { INVALID NOT_SUBSCRIBED PENDING REDACTED SUBSCRIBED UNSUBSCRIBED }
  enum CustomerSmsMarketingState { NOT_SUBSCRIBED PENDING REDACTED SUBSCRIBED UNSUBSCRIBED }
  enum CustomerState { DECLINED DISABLED ENABLED INVITED }
  enum ThemeRole { ARCHIVED DEMO DEVELOPMENT LOCKED MAIN UNPUBLISHED }
  enum ShopPolicyType { CONTACT_INFORMATION LEGAL_NOTICE PRIVACY_POLICY REFUND_POLICY SHIPPING_POLICY SUBSCRIPTION_POLICY TERMS_OF_SALE TERMS_OF_SERVICE }
  enum ProductVariantInventoryPolicy { CONTINUE DENY }
  enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }

  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
  type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
  type Count { count: Int! precision: String! }

  type Domain { id: ID! host: String! url: URL! sslEnabled: Boolean! }
  type Shop {
    id: ID! name: String! email: String! contactEmail: String! myshopifyDomain: String! url: URL!
    currencyCode: CurrencyCode! primaryDomain: Domain! ianaTimezone: String!
    billingAddress: ShopAddress!
    shopPolicies: [ShopPolicy!]!
  }
  type ShopAddress { id: ID! city: String countryCodeV2: CountryCode country: String }
  type ShopPolicy { id: ID! type: ShopPolicyType! title: String! body: HTML! url: URL! createdAt: DateTime! updatedAt: DateTime! }

  type Image { id: ID url: URL! altText: String width: Int height: Int }
  type SelectedOption { name: String! value: String! }
  type ProductOption { id: ID! name: String! position: Int! values: [String!]! }
  type ProductPriceRangeV2 { minVariantPrice: MoneyV2! maxVariantPrice: MoneyV2! }

  type Product {
    id: ID! legacyResourceId: UnsignedInt64! handle: String! title: String!
    description(truncateAt: Int): String! descriptionHtml: String!
    vendor: String! productType: String! tags: [String!]! status: ProductStatus!
    createdAt: DateTime! updatedAt: DateTime! publishedAt: DateTime onlineStoreUrl: URL
    featuredImage: Image options(first: Int): [ProductOption!]! priceRangeV2: ProductPriceRangeV2!
    totalInventory: Int! tracksInventory: Boolean! hasOnlyDefaultVariant: Boolean!
    variantsCount: Count
    variants(first: Int, after: String, last: Int, before: String, sortKey: ProductVariantSortKeys = POSITION, reverse: Boolean = false): ProductVariantConnection!
  }
  type ProductEdge { cursor: String! node: Product! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

  type ProductVariant {
    id: ID! legacyResourceId: UnsignedInt64! title: String! displayName: String! sku: String
    price: Money! compareAtPrice: Money inventoryQuantity: Int availableForSale: Boolean! position: Int!
    inventoryPolicy: ProductVariantInventoryPolicy! inventoryItem: InventoryItem!
    selectedOptions: [SelectedOption!]! product: Product! image: Image
  }
  type InventoryItem { id: ID! sku: String tracked: Boolean! }
  type ProductVariantEdge { cursor: String! node: ProductVariant! }
  type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }

  type CustomerEmailAddress { emailAddress: String! marketingState: CustomerEmailAddressMarketingState! }
  type CustomerPhoneNumber { phoneNumber: String! marketingState: CustomerSmsMarketingState! }
  type CustomerEmailMarketingConsentState { marketingState: CustomerEmailMarketingState! consentUpdatedAt: DateTime }
  type Customer {
    id: ID! legacyResourceId: UnsignedInt64! firstName: String lastName: String displayName: String!
    email: String phone: String defaultEmailAddress: CustomerEmailAddress defaultPhoneNumber: CustomerPhoneNumber
    emailMarketingConsent: CustomerEmailMarketingConsentState
    numberOfOrders: UnsignedInt64! amountSpent: MoneyV2! lastOrder: Order
    tags: [String!]! state: CustomerState! verifiedEmail: Boolean! createdAt: DateTime! updatedAt: DateTime!
    orders(first: Int, after: String, last: Int, before: String, query: String, sortKey: OrderSortKeys = ID, reverse: Boolean = false): OrderConnection!
  }
  type CustomerEdge { cursor: String! node: Customer! }
  type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }

  type LineItem {
    id: ID! title: String! name: String! variantTitle: String quantity: Int! sku: String
    variant: ProductVariant product: Product
    originalUnitPriceSet: MoneyBag! originalTotalSet: MoneyBag!
  }
  type LineItemEdge { cursor: String! node: LineItem! }
  type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

  type Order {
    id: ID! legacyResourceId: UnsignedInt64! name: String! email: String phone: String
    createdAt: DateTime! processedAt: DateTime! updatedAt: DateTime! cancelledAt: DateTime closed: Boolean!
    displayFinancialStatus: OrderDisplayFinancialStatus displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
    currencyCode: CurrencyCode! customer: Customer
    subtotalPriceSet: MoneyBag totalShippingPriceSet: MoneyBag! totalTaxSet: MoneyBag totalPriceSet: MoneyBag!
    lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
    fulfillments(first: Int): [Fulfillment!]!
    statusPageUrl: URL!
  }
  type FulfillmentTrackingInfo { company: String number: String url: URL }
  type Fulfillment {
    id: ID! status: FulfillmentStatus! createdAt: DateTime! updatedAt: DateTime!
    trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
  }
  type OrderEdge { cursor: String! node: Order! }
  type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

  type OnlineStoreThemeFileBodyText { content: String! }
  type OnlineStoreThemeFileBodyBase64 { contentBase64: String! }
  type OnlineStoreThemeFileBodyUrl { url: URL! }
  union OnlineStoreThemeFileBody = OnlineStoreThemeFileBodyBase64 | OnlineStoreThemeFileBodyText | OnlineStoreThemeFileBodyUrl
  type OnlineStoreThemeFile {
    filename: String! body: OnlineStoreThemeFileBody! contentType: String! size: UnsignedInt64! checksumMd5: String
    createdAt: DateTime! updatedAt: DateTime!
  }
  type OnlineStoreThemeFileEdge { cursor: String! node: OnlineStoreThemeFile! }
  type OnlineStoreThemeFileConnection { edges: [OnlineStoreThemeFileEdge!]! nodes: [OnlineStoreThemeFile!]! pageInfo: PageInfo! }
  type OnlineStoreTheme {
    id: ID! name: String! role: ThemeRole! processing: Boolean! createdAt: DateTime! updatedAt: DateTime!
    files(filenames: [String!], first: Int = 50, after: String): OnlineStoreThemeFileConnection
  }
  type OnlineStoreThemeEdge { cursor: String! node: OnlineStoreTheme! }
  type OnlineStoreThemeConnection { edges: [OnlineStoreThemeEdge!]! nodes: [OnlineStoreTheme!]! pageInfo: PageInfo! }
`);

const MAX_PAGE_SIZE = 250;
/** The app's handle in shopify.app.toml, and a stable stand-in for the extension's uid, as in a real block type. */
const APP_HANDLE = "customer-agent";
const EXTENSION_UID = "0b6bd3f6-58a4-4a8c-9d43-6f5a1f0c2e71";

export interface AdminApiShopState {
  catalog: DemoCatalog;
  /** Whether the merchant switched the app embed on in the live theme (the theme editor's toggle). */
  appEmbedEnabled: boolean;
  /** Metafields the app wrote on its own installation (`app.metafields` in the theme app extension's Liquid). */
  appMetafields: Map<string, StoredMetafield>;
}

export interface StoredMetafield {
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

/** The types the app writes; Shopify knows more, each validated like these. */
const METAFIELD_TYPES = new Set(["json", "single_line_text_field", "multi_line_text_field", "boolean", "number_integer", "color"]);
/** Shopify's limit on a json metafield's value. */
const MAX_JSON_VALUE_BYTES = 128 * 1024;

/** The app's installation on the shop: one per shop, its id derived from the shop so it is stable across restarts. */
export function appInstallationId(shopDomain: string): string {
  return `gid://shopify/AppInstallation/${Number.parseInt(createHash("sha256").update(shopDomain).digest("hex").slice(0, 10), 16)}`;
}

interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
}

/**
 * `metafieldsSet` as Shopify runs it: all or nothing, at most 25, each owner must exist (here: only the app's own
 * installation), the type must be given for a new metafield and the value must be valid for it.
 */
function metafieldsSet(shop: AdminApiShopState, inputs: MetafieldsSetInput[]) {
  const owner = appInstallationId(shop.catalog.shop.myshopifyDomain);
  const userErrors: Array<{ field: string[]; message: string; code: string }> = [];
  if (inputs.length > 25) userErrors.push({ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "INVALID" });
  inputs.forEach((input, index) => {
    const field = (name: string) => ["metafields", String(index), name];
    const existing = shop.appMetafields.get(`${input.namespace ?? "$app"}.${input.key}`);
    const type = input.type ?? existing?.type;
    if (input.ownerId !== owner) userErrors.push({ field: field("ownerId"), message: "Access denied for this owner.", code: "APP_NOT_AUTHORIZED" });
    if (!input.key) userErrors.push({ field: field("key"), message: "Key can't be blank", code: "BLANK" });
    if (!type) userErrors.push({ field: field("type"), message: "Type can't be blank", code: "BLANK" });
    else if (!METAFIELD_TYPES.has(type)) userErrors.push({ field: field("type"), message: `Type '${type}' is not a valid type.`, code: "INVALID_TYPE" });
    else if (type === "json") {
      try {
        JSON.parse(input.value);
      } catch {
        userErrors.push({ field: field("value"), message: "Value is invalid JSON.", code: "INVALID_VALUE" });
      }
      if (Buffer.byteLength(input.value) > MAX_JSON_VALUE_BYTES) userErrors.push({ field: field("value"), message: "Value is too long.", code: "TOO_LONG" });
    }
  });
  if (userErrors.length > 0) return { metafields: null, userErrors };
  const now = new Date().toISOString();
  const written = inputs.map((input) => {
    const id = `${input.namespace ?? "$app"}.${input.key}`;
    const existing = shop.appMetafields.get(id);
    const stored: StoredMetafield = { namespace: input.namespace ?? "$app", key: input.key, type: input.type ?? existing!.type, value: input.value, createdAt: existing?.createdAt ?? now, updatedAt: now };
    shop.appMetafields.set(id, stored);
    return stored;
  });
  return { metafields: written.map(metafieldView), userErrors: [] };
}

function metafieldView(metafield: StoredMetafield) {
  return {
    ...metafield,
    id: `gid://shopify/Metafield/${Number.parseInt(createHash("sha256").update(`${metafield.namespace}.${metafield.key}`).digest("hex").slice(0, 10), 16)}`,
    jsonValue: metafield.type === "json" ? JSON.parse(metafield.value) : metafield.value,
    ownerType: "API_PERMISSION",
    compareDigest: createHash("sha256").update(metafield.value).digest("hex"),
  };
}

export interface AdminGraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

interface PageArguments {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

function cursorFor(id: string): string {
  return Buffer.from(JSON.stringify({ last_id: numericId(id) })).toString("base64");
}

function cursorIndex(ids: string[], cursor: string): number {
  let lastId: unknown;
  try {
    lastId = (JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown }).last_id;
  } catch {
    lastId = undefined;
  }
  const index = ids.indexOf(String(lastId));
  if (index === -1) throw new GraphQLError("Invalid cursor for current pagination.", { extensions: { code: "BAD_REQUEST" } });
  return index;
}

/** Relay pagination with Shopify's limits: a page size is required and capped at 250. */
function paginate<T extends { id: string }>(items: readonly T[], args: PageArguments): Connection<T> {
  const { first, last, after, before } = args;
  if (first == null && last == null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  if (first != null && last != null) throw new GraphQLError("providing both first and last is not supported", { extensions: { code: "BAD_REQUEST" } });
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The ${first != null ? "first" : "last"} argument must be between 0 and ${MAX_PAGE_SIZE}.`, { extensions: { code: "BAD_REQUEST" } });
  }
  const ordered = args.reverse ? [...items].reverse() : items;
  const ids = ordered.map((item) => numericId(item.id));
  const start = after ? cursorIndex(ids, after) + 1 : 0;
  const end = before ? cursorIndex(ids, before) : ordered.length;
  const window = ordered.slice(start, Math.max(start, end));
  const page = first != null ? window.slice(0, size) : window.slice(Math.max(0, window.length - size));
  const pageStart = start + (first != null ? 0 : Math.max(0, window.length - size));
  return {
    edges: page.map((node) => ({ cursor: cursorFor(node.id), node })),
    nodes: [...page],
    pageInfo: {
      hasNextPage: pageStart + page.length < ordered.length,
      hasPreviousPage: pageStart > 0,
      startCursor: page[0] ? cursorFor(page[0].id) : null,
      endCursor: page.length ? cursorFor(page[page.length - 1]!.id) : null,
    },
  };
}

function sortBy<T>(items: readonly T[], key: (item: T) => string | number): T[] {
  return [...items].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

/** The ids in Shopify grow with creation time, so ID order is creation order; numeric, not lexical. */
function byLegacyId<T extends { legacyResourceId: string }>(item: T): number {
  return Number(item.legacyResourceId);
}

/** Shopify's Decimal scalar drops trailing zeros but keeps one decimal: "24.00" is "24.0", "12.50" is "12.5". */
function decimal(amount: string | number): string {
  const text = String(Number(amount));
  return text.includes(".") ? text : `${text}.0`;
}

function moneyV2(amount: string | number, currencyCode: string) {
  return { amount: decimal(amount), currencyCode };
}

function moneyBag(amount: string | number, currencyCode: string) {
  const money = moneyV2(amount, currencyCode);
  return { shopMoney: money, presentmentMoney: money };
}

function orderToken(order: DemoOrder, purpose: string): string {
  return createHash("sha256").update(`${purpose}:${order.id}`).digest("hex").slice(0, 32);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The theme editor's settings_data.json: Shopify prefixes it with a comment, so it is not plain JSON. */
function settingsData(blocks: AppEmbedBlock[], enabled: boolean): string {
  const embeds = Object.fromEntries(
    blocks.map((block, index) => [
      String(17_209_415_830_062_310_000n + BigInt(index)),
      { type: `shopify://apps/${APP_HANDLE}/blocks/${block.handle}/${EXTENSION_UID}`, disabled: !enabled, settings: block.defaultSettings },
    ]),
  );
  const json = JSON.stringify({ current: { type_header_font: "assistant_n4", colors_accent_1: "#121212", blocks: embeds }, presets: { Default: { type_header_font: "assistant_n4" } } }, null, 2);
  return `/*
 * ------------------------------------------------------------
 * IMPORTANT: The contents of this file are auto-generated.
 *
 * This file may be updated by the Shopify admin theme editor
 * or related systems. Please exercise caution as any changes
 * made to this file may be overwritten.
 * ------------------------------------------------------------
 */
${json}
`;
}

const PRODUCT_FILTERS = new Set(["id", "title", "handle", "status", "product_type", "vendor", "tag", "sku", "created_at", "updated_at", "published_at", "inventory_total"]);
const VARIANT_FILTERS = new Set(["id", "sku", "title", "product_id", "inventory_quantity", "product_status"]);
const CUSTOMER_FILTERS = new Set(["id", "email", "phone", "first_name", "last_name", "accepts_marketing", "tag", "created_at", "updated_at", "orders_count"]);
const ORDER_FILTERS = new Set(["id", "name", "email", "customer_id", "created_at", "updated_at", "processed_at", "financial_status", "fulfillment_status", "sku"]);

const PRODUCT_SORT: Record<string, (product: DemoProduct) => string | number> = {
  ID: byLegacyId,
  RELEVANCE: byLegacyId,
  CREATED_AT: (product) => product.createdAt,
  UPDATED_AT: (product) => product.updatedAt,
  PUBLISHED_AT: (product) => product.publishedAt ?? "",
  TITLE: (product) => product.title.toLowerCase(),
  PRODUCT_TYPE: (product) => product.productType,
  VENDOR: (product) => product.vendor,
  INVENTORY_TOTAL: (product) => product.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0),
};
const CUSTOMER_SORT: Record<string, (customer: DemoCustomer) => string | number> = {
  ID: byLegacyId,
  RELEVANCE: byLegacyId,
  LOCATION: byLegacyId,
  CREATED_AT: (customer) => customer.createdAt,
  UPDATED_AT: (customer) => customer.updatedAt,
  NAME: (customer) => `${customer.firstName} ${customer.lastName}`.toLowerCase(),
};
const ORDER_SORT: Record<string, (order: DemoOrder) => string | number> = {
  ID: byLegacyId,
  RELEVANCE: byLegacyId,
  ORDER_NUMBER: (order) => order.number,
  CREATED_AT: (order) => order.createdAt,
  PROCESSED_AT: (order) => order.processedAt,
  UPDATED_AT: (order) => order.updatedAt,
  TOTAL_PRICE: (order) => Number(order.totalPrice),
  FINANCIAL_STATUS: (order) => order.financialStatus,
  FULFILLMENT_STATUS: (order) => order.fulfillmentStatus,
  CUSTOMER_NAME: (order) => order.email,
};
const VARIANT_SORT: Record<string, (entry: { variant: DemoVariant; product: DemoProduct }) => string | number> = {
  ID: ({ variant }) => byLegacyId(variant),
  RELEVANCE: ({ variant }) => byLegacyId(variant),
  POSITION: ({ variant }) => variant.position,
  SKU: ({ variant }) => variant.sku,
  TITLE: ({ variant }) => variant.title,
  NAME: ({ variant, product }) => `${product.title} - ${variant.title}`,
  FULL_TITLE: ({ variant, product }) => `${product.title} - ${variant.title}`,
  INVENTORY_QUANTITY: ({ variant }) => variant.inventoryQuantity,
};

interface SearchArguments extends PageArguments {
  query?: string | null;
  sortKey?: string | null;
}

/**
 * Builds the root value for one request: plain objects whose function-valued fields take the GraphQL field's
 * arguments, which is how graphql-js's default resolver calls them.
 */
function rootValue(shop: AdminApiShopState, loadBlocks: () => Promise<AppEmbedBlock[]>, origin: string, searchWarnings: Array<SearchWarning & { path: string[]; query: string }>) {
  const { catalog } = shop;
  const currency = catalog.shop.currencyCode;
  const absolute = (url: string) => new URL(url, origin).toString();
  const productsById = new Map(catalog.products.map((product) => [product.id, product]));
  const variantsById = new Map(catalog.products.flatMap((product) => product.variants.map((variant) => [variant.id, { variant, product }] as const)));
  const customersById = new Map(catalog.customers.map((customer) => [customer.id, customer]));
  const ordersById = new Map(catalog.orders.map((order) => [order.id, order]));

  function search<T>(connection: string, items: readonly T[], args: SearchArguments, filters: ReadonlySet<string>, fields: (item: T) => { text: string; field(name: string): SearchValue }, sorts: Record<string, (item: T) => string | number>) {
    const compiled = compileSearchQuery(args.query, filters);
    for (const warning of compiled.warnings) searchWarnings.push({ ...warning, path: [connection], query: args.query ?? "" });
    return sortBy(
      items.filter((item) => compiled.matches(fields(item))),
      sorts[args.sortKey ?? "ID"] ?? sorts.ID!,
    );
  }

  const productView = (product: DemoProduct) => {
    const prices = product.variants.map((variant) => Number(variant.price));
    const totalInventory = product.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0);
    return {
      ...product,
      description: ({ truncateAt }: { truncateAt?: number | null }) => (truncateAt != null && product.description.length > truncateAt ? `${product.description.slice(0, truncateAt)}…` : product.description),
      descriptionHtml: `<p>${escapeHtml(product.description)}</p>`,
      onlineStoreUrl: product.status === "ACTIVE" ? absolute(`/products/${product.handle}`) : null,
      featuredImage: { id: `gid://shopify/ProductImage/${product.legacyResourceId}`, url: absolute(product.imageUrl), altText: product.title, width: 600, height: 600 },
      options: () => product.options.map((option, index) => ({ id: `gid://shopify/ProductOption/${product.legacyResourceId}${index + 1}`, name: option.name, position: index + 1, values: option.values })),
      priceRangeV2: {
        minVariantPrice: moneyV2(Math.min(...prices), currency),
        maxVariantPrice: moneyV2(Math.max(...prices), currency),
      },
      totalInventory,
      tracksInventory: true,
      hasOnlyDefaultVariant: product.variants.length === 1 && product.variants[0]!.title === "Default Title",
      variantsCount: { count: product.variants.length, precision: "EXACT" },
      variants: (args: PageArguments & { sortKey?: string }) =>
        paginate(
          sortBy(product.variants, (variant) => VARIANT_SORT[args.sortKey ?? "POSITION"]!({ variant, product })).map((variant) => variantView(variant, product)),
          args,
        ),
    };
  };

  const variantView = (variant: DemoVariant, product: DemoProduct) => ({
    ...variant,
    displayName: `${product.title} - ${variant.title}`,
    availableForSale: product.status === "ACTIVE" && (variant.inventoryQuantity > 0 || variant.inventoryPolicy === "CONTINUE"),
    inventoryItem: { id: `gid://shopify/InventoryItem/${variant.legacyResourceId}`, sku: variant.sku, tracked: true },
    product: () => productView(product),
    image: { id: `gid://shopify/ProductImage/${product.legacyResourceId}`, url: absolute(product.imageUrl), altText: product.title, width: 600, height: 600 },
  });

  const ordersOf = (customer: DemoCustomer) => catalog.orders.filter((order) => order.customerId === customer.id);

  const customerView = (customer: DemoCustomer) => {
    const orders = ordersOf(customer);
    const marketingState = customer.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED";
    const spent = orders.filter((order) => order.financialStatus !== "REFUNDED").reduce((sum, order) => sum + Number(order.totalPrice), 0);
    return {
      ...customer,
      displayName: `${customer.firstName} ${customer.lastName}`,
      defaultEmailAddress: { emailAddress: customer.email, marketingState },
      defaultPhoneNumber: customer.phone ? { phoneNumber: customer.phone, marketingState: "NOT_SUBSCRIBED" } : null,
      emailMarketingConsent: { marketingState, consentUpdatedAt: customer.acceptsMarketing ? customer.createdAt : null },
      numberOfOrders: String(orders.length),
      amountSpent: moneyV2(spent.toFixed(2), currency),
      lastOrder: () => {
        const last = orders.at(-1);
        return last ? orderView(last) : null;
      },
      state: "ENABLED",
      verifiedEmail: true,
      orders: (args: SearchArguments) => paginate(searchOrders("orders", orders, args).map(orderView), args),
    };
  };

  const lineItemView = (item: DemoLineItem, order: DemoOrder) => {
    const variant = variantsById.get(item.variantId);
    const product = productsById.get(item.productId);
    return {
      ...item,
      name: item.variantTitle ? `${item.title} - ${item.variantTitle}` : item.title,
      variant: variant ? () => variantView(variant.variant, variant.product) : null,
      product: product ? () => productView(product) : null,
      originalUnitPriceSet: moneyBag(item.price, order.currencyCode),
      originalTotalSet: moneyBag((Number(item.price) * item.quantity).toFixed(2), order.currencyCode),
    };
  };

  const orderView = (order: DemoOrder) => {
    const customer = order.customerId ? customersById.get(order.customerId) : undefined;
    return {
      ...order,
      cancelledAt: null,
      closed: order.fulfillmentStatus === "FULFILLED",
      displayFinancialStatus: order.financialStatus,
      displayFulfillmentStatus: order.fulfillmentStatus,
      customer: customer ? () => customerView(customer) : null,
      subtotalPriceSet: moneyBag(order.subtotalPrice, order.currencyCode),
      totalShippingPriceSet: moneyBag(order.totalShippingPrice, order.currencyCode),
      totalTaxSet: moneyBag(order.totalTax, order.currencyCode),
      totalPriceSet: moneyBag(order.totalPrice, order.currencyCode),
      lineItems: (args: PageArguments) => paginate(order.lineItems.map((item) => lineItemView(item, order)), args),
      fulfillments: ({ first }: { first?: number | null }) =>
        order.fulfillments.slice(0, first ?? undefined).map((fulfillment) => ({
          ...fulfillment,
          updatedAt: fulfillment.createdAt,
          trackingInfo: ({ first: count }: { first?: number | null }) => fulfillment.trackingInfo.slice(0, count ?? undefined),
        })),
      // Shopify's order status page: a per-order token and key, not guessable from the order number.
      statusPageUrl: absolute(`/${numericId(catalog.shop.id)}/orders/${orderToken(order, "token")}/authenticate?key=${orderToken(order, "key")}`),
    };
  };

  function searchOrders(connection: string, orders: readonly DemoOrder[], args: SearchArguments) {
    return search(
      connection,
      orders,
      args,
      ORDER_FILTERS,
      (order) => ({
        text: `${order.name} ${order.email}`,
        field: (name) =>
          ({
            id: Number(order.legacyResourceId),
            name: order.name,
            email: order.email,
            customer_id: order.customerId ? numericId(order.customerId) : null,
            created_at: order.createdAt,
            updated_at: order.updatedAt,
            processed_at: order.processedAt,
            financial_status: order.financialStatus,
            fulfillment_status: order.fulfillmentStatus === "FULFILLED" ? "shipped" : "unshipped",
            sku: order.lineItems.map((item) => item.sku),
          })[name],
      }),
      ORDER_SORT,
    );
  }

  const themeFiles = (role: "MAIN" | "UNPUBLISHED") => async (args: { filenames?: string[] | null } & PageArguments) => {
    const content = settingsData(await loadBlocks(), role === "MAIN" && shop.appEmbedEnabled);
    const files = [{ id: "config/settings_data.json", filename: "config/settings_data.json", body: { __typename: "OnlineStoreThemeFileBodyText", content }, contentType: "application/json", size: String(Buffer.byteLength(content)), checksumMd5: null, createdAt: "2025-01-06T15:00:00Z", updatedAt: "2025-01-06T15:00:00Z" }];
    return paginate(
      files.filter((file) => !args.filenames || args.filenames.includes(file.filename)),
      args,
    );
  };

  const themes = [
    { id: "gid://shopify/OnlineStoreTheme/139000000001", name: "Dawn", role: "MAIN" as const },
    { id: "gid://shopify/OnlineStoreTheme/139000000002", name: "Dawn - holiday draft", role: "UNPUBLISHED" as const },
  ].map((theme) => ({ ...theme, processing: false, createdAt: "2025-01-06T15:00:00Z", updatedAt: "2025-01-06T15:00:00Z", files: themeFiles(theme.role) }));

  return {
    currentAppInstallation: () => ({
      id: appInstallationId(catalog.shop.myshopifyDomain),
      metafield: ({ namespace, key }: { namespace?: string | null; key: string }) => {
        const stored = shop.appMetafields.get(`${namespace ?? "$app"}.${key}`);
        return stored ? metafieldView(stored) : null;
      },
    }),
    metafieldsSet: ({ metafields }: { metafields: MetafieldsSetInput[] }) => metafieldsSet(shop, metafields),
    shop: () => ({
      ...catalog.shop,
      contactEmail: catalog.shop.email,
      url: origin,
      ianaTimezone: "America/New_York",
      billingAddress: { id: "gid://shopify/ShopAddress/1", city: "New York", countryCodeV2: catalog.shop.countryCode, country: catalog.shop.countryCode },
      primaryDomain: { id: "gid://shopify/Domain/1", host: new URL(origin).host, url: origin, sslEnabled: origin.startsWith("https:") },
      shopPolicies: catalog.policies.map(({ path, ...policy }) => ({ ...policy, url: absolute(path) })),
    }),
    product: ({ id }: { id: string }) => {
      const product = productsById.get(id);
      return product ? productView(product) : null;
    },
    products: (args: SearchArguments) =>
      paginate(
        search(
          "products",
          catalog.products,
          args,
          PRODUCT_FILTERS,
          (product) => ({
            text: `${product.title} ${product.vendor} ${product.productType} ${product.tags.join(" ")} ${product.variants.map((variant) => variant.sku).join(" ")}`,
            field: (name) =>
              ({
                id: Number(product.legacyResourceId),
                title: product.title,
                handle: product.handle,
                status: product.status,
                product_type: product.productType,
                vendor: product.vendor,
                tag: product.tags,
                sku: product.variants.map((variant) => variant.sku),
                created_at: product.createdAt,
                updated_at: product.updatedAt,
                published_at: product.publishedAt,
                inventory_total: product.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0),
              })[name],
          }),
          PRODUCT_SORT,
        ).map(productView),
        args,
      ),
    productVariant: ({ id }: { id: string }) => {
      const entry = variantsById.get(id);
      return entry ? variantView(entry.variant, entry.product) : null;
    },
    productVariants: (args: SearchArguments) =>
      paginate(
        search(
          "productVariants",
          [...variantsById.values()],
          args,
          VARIANT_FILTERS,
          ({ variant, product }) => ({
            text: `${variant.sku} ${product.title} ${variant.title}`,
            field: (name) =>
              ({
                id: Number(variant.legacyResourceId),
                sku: variant.sku,
                title: variant.title,
                product_id: product.legacyResourceId,
                inventory_quantity: variant.inventoryQuantity,
                product_status: product.status,
              })[name],
          }),
          VARIANT_SORT,
        ).map(({ variant, product }) => variantView(variant, product)),
        args,
      ),
    customer: ({ id }: { id: string }) => {
      const customer = customersById.get(id);
      return customer ? customerView(customer) : null;
    },
    customers: (args: SearchArguments) =>
      paginate(
        search(
          "customers",
          catalog.customers,
          args,
          CUSTOMER_FILTERS,
          (customer) => ({
            text: `${customer.firstName} ${customer.lastName} ${customer.email} ${customer.phone ?? ""}`,
            field: (name) =>
              ({
                id: Number(customer.legacyResourceId),
                email: customer.email,
                phone: customer.phone,
                first_name: customer.firstName,
                last_name: customer.lastName,
                accepts_marketing: customer.acceptsMarketing,
                tag: customer.tags,
                created_at: customer.createdAt,
                updated_at: customer.updatedAt,
                orders_count: ordersOf(customer).length,
              })[name],
          }),
          CUSTOMER_SORT,
        ).map(customerView),
        args,
      ),
    order: ({ id }: { id: string }) => {
      const order = ordersById.get(id);
      return order ? orderView(order) : null;
    },
    orders: (args: SearchArguments) => paginate(searchOrders("orders", catalog.orders, args).map(orderView), args),
    themes: (args: PageArguments & { roles?: string[] | null; names?: string[] | null }) =>
      paginate(
        themes.filter((theme) => (!args.roles || args.roles.includes(theme.role)) && (!args.names || args.names.includes(theme.name))),
        args,
      ),
  };
}

/** graphql-js's validation messages, reworded the way Shopify words them (and with Shopify's error codes). */
function shopifyValidationError(error: GraphQLFormattedError): GraphQLFormattedError {
  const undefinedField = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message);
  if (undefinedField) {
    return { message: `Field '${undefinedField[1]}' doesn't exist on type '${undefinedField[2]}'`, locations: error.locations, extensions: { code: "undefinedField", typeName: undefinedField[2], fieldName: undefinedField[1] } };
  }
  const unknownArgument = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"\./.exec(error.message);
  if (unknownArgument) {
    return { message: `Field '${unknownArgument[2]}' doesn't accept argument '${unknownArgument[1]}'`, locations: error.locations, extensions: { code: "argumentNotAccepted", name: unknownArgument[2], typeName: "Field", argumentName: unknownArgument[1] } };
  }
  const missingArgument = /^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required, but it was not provided\./.exec(error.message);
  if (missingArgument) {
    return { message: `Field '${missingArgument[1]}' is missing required arguments: ${missingArgument[2]}`, locations: error.locations, extensions: { code: "missingRequiredArguments", className: "Field", name: missingArgument[1], arguments: missingArgument[2] } };
  }
  return error;
}

export interface AdminGraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions: Record<string, unknown>;
}

/** `loadBlocks` reads the theme app extension, only when a query asks for theme files. */
export async function executeAdminGraphql(shop: AdminApiShopState, loadBlocks: () => Promise<AppEmbedBlock[]>, origin: string, request: AdminGraphqlRequest): Promise<AdminGraphqlResponse> {
  const searchWarnings: Array<SearchWarning & { path: string[]; query: string }> = [];
  const result: ExecutionResult = await graphql({
    schema: SCHEMA,
    source: request.query,
    rootValue: rootValue(shop, loadBlocks, origin, searchWarnings),
    variableValues: request.variables ?? undefined,
    operationName: request.operationName ?? undefined,
  });
  const validationFailed = result.data === undefined;
  return {
    ...(validationFailed ? {} : { data: result.data }),
    ...(result.errors ? { errors: result.errors.map((error) => (validationFailed ? shopifyValidationError(error.toJSON()) : error.toJSON())) } : {}),
    extensions: {
      cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 } },
      ...(searchWarnings.length ? { search: searchWarnings.map(({ path, query, field, message }) => ({ path, query, warnings: [{ field, message }] })) } : {}),
    },
  };
}
