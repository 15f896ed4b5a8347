import { buildDemoPolicies, type DemoShopPolicy } from "./policies";

/**
 * Deterministic demo data for one shop, shaped like Shopify's Admin API objects. The shop domain seeds the
 * generator, so the demo, the tests and the fake Shopify (built in another process) all see the same catalog.
 * Dates are relative to `now` (by default the start of the current UTC day) so "the last 120 days" stays true.
 */
export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED";
export type FinancialStatus = "PAID" | "PENDING" | "AUTHORIZED" | "REFUNDED" | "PARTIALLY_REFUNDED";
export type FulfillmentStatus = "FULFILLED" | "UNFULFILLED";

export interface DemoVariant {
  /** `gid://shopify/ProductVariant/…` */
  id: string;
  /** The numeric id Shopify uses in REST payloads, Liquid and webhooks. */
  legacyResourceId: string;
  title: string;
  sku: string;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number;
  /** DENY: not sold once out of stock; CONTINUE: sold on backorder. */
  inventoryPolicy: "DENY" | "CONTINUE";
  position: number;
  selectedOptions: Array<{ name: string; value: string }>;
}

export interface DemoProduct {
  id: string;
  legacyResourceId: string;
  handle: string;
  title: string;
  description: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: ProductStatus;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** Path on the fake Shopify (`/images/{handle}.svg`); the Admin API serves it as an absolute URL. */
  imageUrl: string;
  options: Array<{ name: string; values: string[] }>;
  variants: DemoVariant[];
}

export interface DemoCustomer {
  id: string;
  legacyResourceId: string;
  firstName: string;
  lastName: string;
  email: string;
  /** E.164, or null when the customer never gave one. */
  phone: string | null;
  acceptsMarketing: boolean;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DemoLineItem {
  id: string;
  /** The product title, as Shopify's LineItem.title. */
  title: string;
  variantTitle: string | null;
  quantity: number;
  sku: string;
  productId: string;
  variantId: string;
  price: string;
}

export interface DemoOrder {
  id: string;
  legacyResourceId: string;
  /** `#1001`, what merchants and shoppers call the order. */
  name: string;
  number: number;
  email: string;
  phone: string | null;
  /** Null for a guest checkout. */
  customerId: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  currencyCode: string;
  subtotalPrice: string;
  totalShippingPrice: string;
  totalTax: string;
  totalPrice: string;
  lineItems: DemoLineItem[];
  /** One shipment per fulfilled order, with the carrier's tracking. */
  fulfillments: DemoFulfillment[];
}

export interface DemoFulfillment {
  id: string;
  status: "SUCCESS";
  createdAt: string;
  trackingInfo: Array<{ company: string; number: string; url: string }>;
}

export interface DemoShop {
  id: string;
  name: string;
  email: string;
  myshopifyDomain: string;
  currencyCode: string;
  /** ISO alpha-2 of the billing address. */
  countryCode: string;
}

export interface DemoCatalog {
  shop: DemoShop;
  products: DemoProduct[];
  customers: DemoCustomer[];
  orders: DemoOrder[];
  policies: DemoShopPolicy[];
}

export interface DemoCatalogOptions {
  now?: Date;
  currencyCode?: string;
  countryCode?: string;
}

/** mulberry32: tiny and good enough for demo data; Math.random would make every run different. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn the shop domain into a seed. */
function hashText(text: string): number {
  let value = 2166136261;
  for (const character of text) value = Math.imul(value ^ character.charCodeAt(0), 16777619);
  return value >>> 0;
}

interface Category {
  productType: string;
  vendor: string;
  skuCode: string;
  nouns: string[];
  /** Up to two option axes; a product takes a contiguous slice of each, at most six variants in all. */
  options: Array<{ name: string; values: string[] }>;
  priceRange: [number, number];
  /** Extra price per step along the first option (bigger tents and bottles cost more). */
  priceStep: number;
  tags: string[];
  pitch: string;
  details: string[];
}

const CATEGORIES: Category[] = [
  {
    productType: "T-Shirts",
    vendor: "Northbound Apparel",
    skuCode: "TEE",
    nouns: ["Tee", "Pocket Tee", "Long Sleeve Tee", "Graphic Tee"],
    options: [
      { name: "Size", values: ["XS", "S", "M", "L", "XL", "XXL"] },
      { name: "Color", values: ["Black", "White", "Heather Grey", "Navy", "Sage"] },
    ],
    priceRange: [24, 48],
    priceStep: 0,
    tags: ["cotton", "casual"],
    pitch: "a soft everyday tee in 100% organic cotton",
    details: ["Relaxed fit; size down for a closer fit.", "Pre-shrunk jersey that keeps its shape wash after wash.", "Machine wash cold, tumble dry low."],
  },
  {
    productType: "Hoodies",
    vendor: "Northbound Apparel",
    skuCode: "HOD",
    nouns: ["Hoodie", "Zip Hoodie", "Fleece Pullover"],
    options: [
      { name: "Size", values: ["S", "M", "L", "XL"] },
      { name: "Color", values: ["Charcoal", "Forest", "Oatmeal", "Navy"] },
    ],
    priceRange: [58, 98],
    priceStep: 0,
    tags: ["warm", "layering"],
    pitch: "a brushed-fleece layer for cool mornings",
    details: ["Kangaroo pocket and a lined hood.", "Cotton-recycled polyester blend, 380 gsm.", "True to size with room for a tee underneath."],
  },
  {
    productType: "Jackets",
    vendor: "Northbound Apparel",
    skuCode: "JKT",
    nouns: ["Rain Shell", "Puffer Jacket", "Wind Jacket", "Insulated Parka"],
    options: [
      { name: "Size", values: ["S", "M", "L", "XL"] },
      { name: "Color", values: ["Black", "Ochre", "Slate Blue"] },
    ],
    priceRange: [129, 349],
    priceStep: 0,
    tags: ["waterproof", "outdoor"],
    pitch: "a weatherproof jacket that packs into its own pocket",
    details: ["2.5-layer waterproof membrane rated 10,000 mm with taped seams.", "Adjustable hood and pit zips for venting on the climb.", "Fits over a fleece; choose your usual size."],
  },
  {
    productType: "Running Shoes",
    vendor: "Stride Lab",
    skuCode: "RUN",
    nouns: ["Trail Runner", "Road Racer", "Daily Trainer", "Tempo Shoe"],
    options: [{ name: "Size", values: ["7", "8", "9", "10", "11", "12"] }],
    priceRange: [110, 185],
    priceStep: 0,
    tags: ["running", "performance"],
    pitch: "a cushioned running shoe with a responsive foam midsole",
    details: ["8 mm drop, 265 g in a US 9.", "Engineered mesh upper that drains fast.", "Runs half a size small: most runners go up half a size."],
  },
  {
    productType: "Hiking Boots",
    vendor: "Stride Lab",
    skuCode: "BOT",
    nouns: ["Hiking Boot", "Mid Hiker", "Approach Shoe"],
    options: [{ name: "Size", values: ["7", "8", "9", "10", "11", "12"] }],
    priceRange: [140, 240],
    priceStep: 0,
    tags: ["hiking", "waterproof"],
    pitch: "a supportive boot for rocky trails",
    details: ["Waterproof nubuck leather with a grippy lugged outsole.", "Needs about a week of wear to break in.", "Wide toe box; true to size."],
  },
  {
    productType: "Socks",
    vendor: "Stride Lab",
    skuCode: "SOK",
    nouns: ["Merino Sock", "Running Sock", "Hiking Sock"],
    options: [{ name: "Size", values: ["S", "M", "L"] }],
    priceRange: [14, 28],
    priceStep: 0,
    tags: ["merino", "running"],
    pitch: "a merino-blend sock that stays dry and odour-free",
    details: ["Cushioned heel and toe, seamless toe closure.", "Lifetime guarantee: we replace any pair that wears through."],
  },
  {
    productType: "Backpacks",
    vendor: "Summit Gear Co.",
    skuCode: "BAG",
    nouns: ["Daypack", "Commuter Pack", "Hiking Pack", "Roll-top Pack"],
    options: [{ name: "Color", values: ["Black", "Olive", "Navy", "Rust"] }],
    priceRange: [68, 229],
    priceStep: 0,
    tags: ["outdoor", "travel"],
    pitch: "a durable pack with a padded laptop sleeve",
    details: ["Recycled 420D nylon with a water-resistant coating.", "Fits a 16-inch laptop; carry-on size for most airlines.", "Ventilated back panel and a removable hip belt."],
  },
  {
    productType: "Tents",
    vendor: "Summit Gear Co.",
    skuCode: "TNT",
    nouns: ["Backpacking Tent", "Family Tent", "Ultralight Shelter"],
    options: [{ name: "Capacity", values: ["1-person", "2-person", "3-person", "4-person"] }],
    priceRange: [189, 449],
    priceStep: 60,
    tags: ["camping", "outdoor"],
    pitch: "a freestanding tent that pitches in under five minutes",
    details: ["Three-season, with two doors and two vestibules.", "Aluminium poles; packed weight from 1.4 kg.", "Footprint sold separately."],
  },
  {
    productType: "Water Bottles",
    vendor: "Hydra Works",
    skuCode: "BTL",
    nouns: ["Insulated Bottle", "Trail Bottle", "Tumbler"],
    options: [
      { name: "Capacity", values: ["500 ml", "750 ml", "1 l"] },
      { name: "Color", values: ["Stone", "Lagoon", "Black"] },
    ],
    priceRange: [22, 44],
    priceStep: 4,
    tags: ["hydration", "everyday"],
    pitch: "a double-walled steel bottle that keeps drinks cold for 24 hours",
    details: ["BPA-free, dishwasher-safe lid.", "Fits most car cup holders (500 ml and 750 ml)."],
  },
  {
    productType: "Candles",
    vendor: "Hearth House",
    skuCode: "CDL",
    nouns: ["Soy Candle", "Travel Candle", "Wood Wick Candle"],
    options: [{ name: "Scent", values: ["Cedar", "Fig", "Sea Salt", "Amber", "Smoked Vanilla"] }],
    priceRange: [18, 46],
    priceStep: 0,
    tags: ["home", "gift"],
    pitch: "a hand-poured soy candle with a clean, even burn",
    details: ["About 50 hours of burn time.", "Phthalate-free fragrance oils, cotton wick.", "Trim the wick to 5 mm before each burn."],
  },
  {
    productType: "Mugs",
    vendor: "Hearth House",
    skuCode: "MUG",
    nouns: ["Stoneware Mug", "Camp Mug", "Espresso Cup"],
    options: [{ name: "Color", values: ["Speckled White", "Forest", "Clay", "Midnight"] }],
    priceRange: [16, 34],
    priceStep: 0,
    tags: ["home", "kitchen"],
    pitch: "a wheel-thrown stoneware mug, glazed by hand",
    details: ["Holds 350 ml.", "Dishwasher and microwave safe.", "Each glaze varies slightly: no two are identical."],
  },
  {
    productType: "Skincare",
    vendor: "Field & Fern",
    skuCode: "SKN",
    nouns: ["Face Serum", "Daily Moisturizer", "Mineral Sunscreen", "Lip Balm"],
    options: [{ name: "Size", values: ["15 ml", "30 ml", "50 ml"] }],
    priceRange: [12, 64],
    priceStep: 8,
    tags: ["vegan", "self-care"],
    pitch: "a fragrance-free formula for sensitive skin",
    details: ["Vegan and cruelty-free, in recyclable glass.", "Dermatologist tested; patch test before first use.", "Best within 12 months of opening."],
  },
];

const ADJECTIVES = ["Alpine", "Coastal", "Everyday", "Summit", "Harbor", "Meadow", "Canyon", "Drift", "Ridge", "Aurora", "Cedar", "Granite", "Tidal", "Prairie", "Glacier", "Ember", "Juniper", "Nomad", "Solstice", "Willow"];

const FIRST_NAMES = ["Ada", "Ben", "Chloé", "Dev", "Elena", "Farah", "Gabe", "Hana", "Ivan", "Jade", "Kofi", "Lina", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Camille", "Diego"];
const LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Patel", "Nakamura", "García", "Kowalski", "Haddad", "O'Brien", "Nguyen", "Schmidt", "Silva", "Dubois", "Mensah", "Rossi", "Andersen", "Kim", "Murphy"];

/** Numbers reserved for fiction or testing by each country's regulator, so the demo never texts a real person. */
const PHONE_FORMATS: Array<(sequence: number) => string> = [
  (sequence) => `+1212555${String(100 + (sequence % 100)).padStart(4, "0")}`,
  (sequence) => `+1514555${String(100 + (sequence % 100)).padStart(4, "0")}`,
  (sequence) => `+447700900${String(sequence % 1000).padStart(3, "0")}`,
  (sequence) => `+61491570${String(100 + (sequence % 900)).padStart(3, "0")}`,
  (sequence) => `+3363998${String(sequence % 10000).padStart(4, "0")}`,
];

const DAY = 86_400_000;
const PRODUCT_ID_BASE = 8_901_234_560_000;
const VARIANT_ID_BASE = 45_012_345_670_000;
const CUSTOMER_ID_BASE = 7_301_234_560_000;
const ORDER_ID_BASE = 5_901_234_560_000;
const LINE_ITEM_ID_BASE = 14_501_234_560_000;
const FULFILLMENT_ID_BASE = 4_801_234_560_000;
const ORDER_COUNT = 300;
const CARRIERS: Array<{ company: string; number: (digits: string) => string; url: (number: string) => string }> = [
  { company: "UPS", number: (digits) => `1Z999AA1${digits}`, url: (number) => `https://www.ups.com/track?tracknum=${number}` },
  { company: "USPS", number: (digits) => `9400111${digits}${digits.slice(0, 5)}`, url: (number) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}` },
  { company: "FedEx", number: (digits) => `77${digits}`, url: (number) => `https://www.fedex.com/fedextrack/?trknbr=${number}` },
];
const CUSTOMER_COUNT = 60;
const ORDER_WINDOW_DAYS = 120;

function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function money(amount: number): string {
  return amount.toFixed(2);
}

/** Shopify's timestamps have second precision: `2026-11-23T09:03:00Z`. */
function timestamp(milliseconds: number): string {
  return new Date(Math.floor(milliseconds / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function buildDemoCatalog(shopDomain: string, options: DemoCatalogOptions = {}): DemoCatalog {
  const random = seededRandom(hashText(shopDomain));
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const now = (options.now ?? startOfUtcDay(new Date())).getTime();
  const currencyCode = options.currencyCode ?? "USD";
  const storeName = shopDomain
    .replace(/\.myshopify\.com$/, "")
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(" ");

  const products = buildProducts();
  const customers = buildCustomers();
  const orders = buildOrders();
  const shop = { id: `gid://shopify/Shop/${60_000_000 + (hashText(shopDomain) % 9_000_000)}`, name: storeName, email: `owner@${shopDomain}`, myshopifyDomain: shopDomain, currencyCode, countryCode: options.countryCode ?? "US" };
  return { shop, products, customers, orders, policies: buildDemoPolicies(shop, timestamp(now - 400 * DAY), timestamp(now - 30 * DAY)) };

  function buildProducts(): DemoProduct[] {
    const drafts = ADJECTIVES.flatMap((adjective, adjectiveIndex) =>
      CATEGORIES.map((category) => ({ category, title: `${adjective} ${category.nouns[adjectiveIndex % category.nouns.length]!}`, adjective })),
    );
    // Shuffled before ids and creation dates are handed out, so "newest first" mixes every kind of product.
    for (let index = drafts.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [drafts[index], drafts[other]] = [drafts[other]!, drafts[index]!];
    }
    const handles = new Set<string>();
    let variantSequence = 0;
    return drafts.map(({ category, title, adjective }, index) => {
      let handle = slugify(title);
      for (let suffix = 1; handles.has(handle); suffix++) handle = `${slugify(title)}-${suffix}`;
      handles.add(handle);

      const chosenOptions = chooseOptionValues(category);
      const combinations = chosenOptions.reduce<string[][]>((rows, option) => rows.flatMap((row) => option.values.map((value) => [...row, value])), [[]]);
      const basePrice = roundPrice(between(category.priceRange[0], category.priceRange[1]));
      const onSale = random() < 0.12;
      const createdAt = now - (540 - index * 2) * DAY - between(0, DAY / 2);
      const updatedAt = Math.min(now - DAY, createdAt + between(0, 90) * DAY);
      const statusRoll = random();
      const status: ProductStatus = statusRoll < 0.04 ? "DRAFT" : statusRoll < 0.06 ? "ARCHIVED" : "ACTIVE";
      const productNumber = PRODUCT_ID_BASE + index + 1;
      const skuStem = `${category.skuCode}-${adjective.slice(0, 3).toUpperCase()}${String(index + 1).padStart(3, "0")}`;
      const singleDefault = combinations.length === 1;

      const variants = combinations.map((values, position): DemoVariant => {
        const price = basePrice + category.options[0]!.values.indexOf(values[0]!) * category.priceStep;
        const variantNumber = VARIANT_ID_BASE + ++variantSequence;
        return {
          id: `gid://shopify/ProductVariant/${variantNumber}`,
          legacyResourceId: String(variantNumber),
          title: singleDefault ? "Default Title" : values.join(" / "),
          sku: singleDefault ? skuStem : `${skuStem}-${values.map((value) => value.toUpperCase().replace(/[^A-Z0-9]+/g, "").slice(0, 4)).join("-")}`,
          price: money(price),
          compareAtPrice: onSale ? money(roundPrice(price * 1.25)) : null,
          inventoryQuantity: random() < 0.1 ? 0 : between(1, 60),
          inventoryPolicy: "DENY",
          position: position + 1,
          selectedOptions: singleDefault ? [{ name: "Title", value: "Default Title" }] : chosenOptions.map((option, axis) => ({ name: option.name, value: values[axis]! })),
        };
      });
      const tags = [...category.tags, adjective.toLowerCase(), ...(onSale ? ["sale"] : []), ...(index >= drafts.length - 30 ? ["new-arrival"] : [])];
      return {
        id: `gid://shopify/Product/${productNumber}`,
        legacyResourceId: String(productNumber),
        handle,
        title,
        description: `The ${title} is ${category.pitch}. ${pickDistinct(category.details, 2).join(" ")}`,
        vendor: category.vendor,
        productType: category.productType,
        tags,
        status,
        createdAt: timestamp(createdAt),
        updatedAt: timestamp(updatedAt),
        publishedAt: status === "ACTIVE" ? timestamp(createdAt) : null,
        imageUrl: `/images/${handle}.svg`,
        options: singleDefault ? [{ name: "Title", values: ["Default Title"] }] : chosenOptions,
        variants,
      };
    });
  }

  /** A contiguous slice of each option axis (sizes S–L, not S and XL), keeping the variant count between 1 and 6. */
  function chooseOptionValues(category: Category): Array<{ name: string; values: string[] }> {
    const [first, second] = category.options;
    const firstCount = second ? between(1, 3) : between(1, Math.min(6, first!.values.length));
    const secondCount = second ? between(1, 2) : 0;
    const slice = (values: string[], count: number) => {
      const start = between(0, values.length - count);
      return values.slice(start, start + count);
    };
    return [{ name: first!.name, values: slice(first!.values, firstCount) }, ...(second ? [{ name: second.name, values: slice(second.values, secondCount) }] : [])];
  }

  function pickDistinct<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    return Array.from({ length: Math.min(count, pool.length) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  }

  /** Shop prices end in .00 or .95, like most catalogs. */
  function roundPrice(amount: number): number {
    return random() < 0.5 ? Math.round(amount) : Math.floor(amount) + 0.95;
  }

  function buildCustomers(): DemoCustomer[] {
    const emails = new Set<string>();
    return Array.from({ length: CUSTOMER_COUNT }, (_, index): DemoCustomer => {
      const firstName = FIRST_NAMES[index % FIRST_NAMES.length]!;
      const lastName = LAST_NAMES[(index * 7 + Math.floor(index / FIRST_NAMES.length)) % LAST_NAMES.length]!;
      const local = slugify(`${firstName}.${lastName}`).replace(/-/g, ".");
      let email = `${local}@${pick(["example.com", "example.net", "example.org"])}`;
      for (let suffix = 2; emails.has(email); suffix++) email = email.replace(/^[^@]+/, `${local}${suffix}`);
      emails.add(email);
      const number = CUSTOMER_ID_BASE + index + 1;
      const createdAt = now - between(130, 720) * DAY - between(0, DAY);
      return {
        id: `gid://shopify/Customer/${number}`,
        legacyResourceId: String(number),
        firstName,
        lastName,
        email,
        phone: random() < 0.7 ? PHONE_FORMATS[index % PHONE_FORMATS.length]!(index) : null,
        acceptsMarketing: random() < 0.55,
        tags: random() < 0.15 ? ["vip"] : [],
        createdAt: timestamp(createdAt),
        updatedAt: timestamp(createdAt + between(0, 100) * DAY),
      };
    });
  }

  /** Carrier and tracking number follow from the order id, so adding them left the rest of the demo data unchanged. */
  function shipment(orderNumber: number, shippedAt: number): DemoFulfillment {
    const digits = String(hashText(`tracking-${orderNumber}`)).padStart(10, "0");
    const carrier = CARRIERS[orderNumber % CARRIERS.length]!;
    const number = carrier.number(digits);
    return {
      id: `gid://shopify/Fulfillment/${FULFILLMENT_ID_BASE + (orderNumber - ORDER_ID_BASE)}`,
      status: "SUCCESS",
      createdAt: timestamp(shippedAt),
      trackingInfo: [{ company: carrier.company, number, url: carrier.url(number) }],
    };
  }

  function buildOrders(): DemoOrder[] {
    const sellable = products.filter((product) => product.status === "ACTIVE");
    const placedAt = Array.from({ length: ORDER_COUNT }, () => now - between(0, ORDER_WINDOW_DAYS * DAY - 1)).sort((a, b) => a - b);
    let lineItemSequence = 0;
    return placedAt.map((placed, index): DemoOrder => {
      // A skewed pick: a few loyal customers order often, most order once or twice; one order in ten is a guest.
      const customer = random() < 0.1 ? null : customers[Math.floor(customers.length * random() ** 1.8)]!;
      const email = customer?.email ?? `${slugify(`${pick(FIRST_NAMES)}.${pick(LAST_NAMES)}`).replace(/-/g, ".")}@example.net`;
      const lineProducts = pickDistinct(sellable, between(1, 3) + (random() < 0.1 ? 1 : 0));
      const lineItems = lineProducts.map((product): DemoLineItem => {
        const variant = pick(product.variants);
        return {
          id: `gid://shopify/LineItem/${LINE_ITEM_ID_BASE + ++lineItemSequence}`,
          title: product.title,
          variantTitle: variant.title === "Default Title" ? null : variant.title,
          quantity: random() < 0.8 ? 1 : between(2, 3),
          sku: variant.sku,
          productId: product.id,
          variantId: variant.id,
          price: variant.price,
        };
      });
      const subtotal = lineItems.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0);
      const shipping = subtotal >= 75 ? 0 : 6.95;
      const tax = Math.round(subtotal * 0.0825 * 100) / 100;
      const statusRoll = random();
      const financialStatus: FinancialStatus =
        now - placed < 2 * DAY && statusRoll < 0.4 ? "PENDING" : statusRoll < 0.86 ? "PAID" : statusRoll < 0.9 ? "AUTHORIZED" : statusRoll < 0.96 ? "REFUNDED" : "PARTIALLY_REFUNDED";
      const fulfilled = financialStatus !== "PENDING" && financialStatus !== "AUTHORIZED" && now - placed > 3 * DAY;
      const number = 1001 + index;
      const orderNumber = ORDER_ID_BASE + index + 1;
      const updatedAt = fulfilled ? Math.min(now, placed + between(1, 3) * DAY) : placed;
      return {
        id: `gid://shopify/Order/${orderNumber}`,
        legacyResourceId: String(orderNumber),
        name: `#${number}`,
        number,
        email,
        phone: customer?.phone ?? null,
        customerId: customer?.id ?? null,
        createdAt: timestamp(placed),
        processedAt: timestamp(placed),
        updatedAt: timestamp(updatedAt),
        financialStatus,
        fulfillmentStatus: fulfilled ? "FULFILLED" : "UNFULFILLED",
        currencyCode,
        subtotalPrice: money(subtotal),
        totalShippingPrice: money(shipping),
        totalTax: money(tax),
        totalPrice: money(subtotal + shipping + tax),
        lineItems,
        fulfillments: fulfilled ? [shipment(orderNumber, updatedAt)] : [],
      };
    });
  }
}
