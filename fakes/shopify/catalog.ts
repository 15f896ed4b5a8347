/**
 * Deterministic demo data for one shop, shaped like Shopify's Admin API objects: the same seed always yields the
 * same catalog, so the demo, tests and screenshots are stable.
 */
export interface DemoVariant {
  id: string;
  title: string;
  sku: string;
  price: string;
  inventoryQuantity: number;
  selectedOptions: Array<{ name: string; value: string }>;
}

export interface DemoProduct {
  id: string;
  handle: string;
  title: string;
  description: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: "ACTIVE" | "DRAFT";
  createdAt: string;
  updatedAt: string;
  imageUrl: string;
  variants: DemoVariant[];
}

export interface DemoCustomer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  acceptsMarketing: boolean;
  createdAt: string;
}

export interface DemoOrder {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  customerId: string;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  financialStatus: "PAID" | "PENDING" | "REFUNDED" | "PARTIALLY_REFUNDED";
  currencyCode: string;
  totalPrice: string;
  lineItems: Array<{ title: string; quantity: number; sku: string; variantId: string; productId: string; price: string }>;
}

export interface DemoCatalog {
  shop: { id: string; name: string; email: string; myshopifyDomain: string; currencyCode: string };
  products: DemoProduct[];
  customers: DemoCustomer[];
  orders: DemoOrder[];
}

/** mulberry32: small, fast and good enough for demo data; Math.random would make every run different. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let value = 2166136261;
  for (const character of text) value = Math.imul(value ^ character.charCodeAt(0), 16777619);
  return value >>> 0;
}

const CATEGORIES = [
  { type: "T-Shirts", vendor: "Northbound Apparel", nouns: ["Tee", "Pocket Tee", "Long Sleeve Tee", "Graphic Tee"], options: { name: "Size", values: ["XS", "S", "M", "L", "XL"] }, price: [22, 45], tags: ["cotton", "casual"] },
  { type: "Hoodies", vendor: "Northbound Apparel", nouns: ["Hoodie", "Zip Hoodie", "Fleece Pullover"], options: { name: "Size", values: ["S", "M", "L", "XL"] }, price: [55, 95], tags: ["warm", "layering"] },
  { type: "Running Shoes", vendor: "Stride Lab", nouns: ["Trail Runner", "Road Racer", "Daily Trainer", "Tempo Shoe"], options: { name: "Size", values: ["7", "8", "9", "10", "11", "12"] }, price: [95, 180], tags: ["running", "performance"] },
  { type: "Backpacks", vendor: "Summit Gear Co.", nouns: ["Daypack", "Commuter Pack", "Hiking Pack", "Roll-top Pack"], options: { name: "Color", values: ["Black", "Olive", "Navy"] }, price: [60, 220], tags: ["outdoor", "travel"] },
  { type: "Tents", vendor: "Summit Gear Co.", nouns: ["Backpacking Tent", "Family Tent", "Ultralight Shelter"], options: { name: "Capacity", values: ["1-person", "2-person", "4-person"] }, price: [180, 520], tags: ["camping", "outdoor"] },
  { type: "Water Bottles", vendor: "Hydra Works", nouns: ["Insulated Bottle", "Trail Bottle", "Tumbler"], options: { name: "Capacity", values: ["500 ml", "750 ml", "1 l"] }, price: [18, 48], tags: ["hydration", "everyday"] },
  { type: "Skincare", vendor: "Field & Fern", nouns: ["Face Serum", "Daily Moisturizer", "Mineral Sunscreen", "Lip Balm"], options: { name: "Size", values: ["30 ml", "50 ml"] }, price: [12, 68], tags: ["vegan", "self-care"] },
  { type: "Candles", vendor: "Hearth House", nouns: ["Soy Candle", "Travel Candle", "Wood Wick Candle"], options: { name: "Scent", values: ["Cedar", "Fig", "Sea Salt", "Amber"] }, price: [16, 42], tags: ["home", "gift"] },
  { type: "Mugs", vendor: "Hearth House", nouns: ["Stoneware Mug", "Camp Mug", "Espresso Cup"], options: { name: "Color", values: ["Speckled White", "Forest", "Clay"] }, price: [14, 32], tags: ["home", "kitchen"] },
  { type: "Socks", vendor: "Stride Lab", nouns: ["Merino Sock", "Running Sock", "Hiking Sock"], options: { name: "Size", values: ["S", "M", "L"] }, price: [12, 26], tags: ["merino", "running"] },
  { type: "Jackets", vendor: "Northbound Apparel", nouns: ["Rain Shell", "Puffer Jacket", "Wind Jacket"], options: { name: "Size", values: ["S", "M", "L", "XL"] }, price: [120, 340], tags: ["waterproof", "outdoor"] },
];

const ADJECTIVES = ["Alpine", "Coastal", "Everyday", "Summit", "Harbor", "Meadow", "Canyon", "Drift", "Ridge", "Aurora", "Cedar", "Granite", "Tidal", "Prairie", "Glacier", "Ember", "Juniper", "Nomad", "Solstice", "Willow"];
const FIRST_NAMES = ["Ada", "Ben", "Chloé", "Dev", "Elena", "Farah", "Gabe", "Hana", "Ivan", "Jade", "Kofi", "Lina", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq"];
const LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Patel", "Nakamura", "García", "Kowalski", "Haddad", "O'Brien", "Nguyen", "Schmidt", "Silva"];

const DAY = 86_400_000;

export function buildDemoCatalog(shopDomain: string, options: { now?: Date; imageBaseUrl?: string } = {}): DemoCatalog {
  const random = seededRandom(hash(shopDomain));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const now = (options.now ?? new Date("2026-11-20T12:00:00Z")).getTime();
  const imageBase = options.imageBaseUrl ?? "/images";
  const storeName = shopDomain.replace(".myshopify.com", "").split("-").map((part) => part[0]!.toUpperCase() + part.slice(1)).join(" ");

  const products: DemoProduct[] = [];
  let variantSequence = 44_000_000_000;
  let index = 0;
  for (const adjective of ADJECTIVES) {
    for (const category of CATEGORIES) {
      if (random() < 0.05) continue;
      index++;
      const noun = pick(category.nouns);
      const title = `${adjective} ${noun}`;
      const handle = `${adjective}-${noun}`.toLowerCase().replace(/[^a-z0-9]+/g, "-") + `-${index}`;
      const productId = 8_000_000_000 + index;
      const basePrice = category.price[0]! + Math.floor(random() * (category.price[1]! - category.price[0]!));
      const optionCount = 1 + Math.floor(random() * Math.min(6, category.options.values.length));
      const values = category.options.values.slice(0, optionCount);
      const skuStem = `${category.type.slice(0, 3).toUpperCase()}-${adjective.slice(0, 3).toUpperCase()}${index}`;
      const createdAt = new Date(now - (200 + Math.floor(random() * 400)) * DAY).toISOString();
      products.push({
        id: `gid://shopify/Product/${productId}`,
        handle,
        title,
        description: `The ${title} from ${category.vendor}: ${category.tags.join(", ")} ${category.type.toLowerCase()} made to last, in ${values.length} option${values.length === 1 ? "" : "s"}.`,
        vendor: category.vendor,
        productType: category.type,
        tags: [...category.tags, adjective.toLowerCase()],
        status: random() < 0.03 ? "DRAFT" : "ACTIVE",
        createdAt,
        updatedAt: new Date(Date.parse(createdAt) + Math.floor(random() * 100) * DAY).toISOString(),
        imageUrl: `${imageBase}/${handle}.svg`,
        variants: values.map((value, position) => ({
          id: `gid://shopify/ProductVariant/${variantSequence++}`,
          title: value,
          sku: `${skuStem}-${value.toUpperCase().replace(/[^A-Z0-9]+/g, "")}`,
          price: (basePrice + position * (category.type === "Tents" ? 40 : 0)).toFixed(2),
          inventoryQuantity: Math.floor(random() * 60),
          selectedOptions: [{ name: category.options.name, value }],
        })),
      });
    }
  }

  const customers: DemoCustomer[] = Array.from({ length: 60 }, (_, position) => {
    const firstName = FIRST_NAMES[position % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[(position * 7) % LAST_NAMES.length]!;
    return {
      id: `gid://shopify/Customer/${7_100_000_000 + position}`,
      firstName,
      lastName,
      email: `${firstName}.${lastName}${position}`.toLowerCase().normalize("NFD").replace(/[^a-z0-9.]/g, "") + "@example.com",
      phone: random() < 0.7 ? `+1514555${String(1000 + position).padStart(4, "0")}` : null,
      acceptsMarketing: random() < 0.6,
      createdAt: new Date(now - (150 + position) * DAY).toISOString(),
    };
  });

  const sellable = products.filter((product) => product.status === "ACTIVE");
  const orders: DemoOrder[] = Array.from({ length: 300 }, (_, position): DemoOrder => {
    const customer = pick(customers);
    const createdAt = new Date(now - Math.floor(random() * 120 * DAY)).toISOString();
    const lineItems = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const product = pick(sellable);
      const variant = pick(product.variants);
      return { title: `${product.title} - ${variant.title}`, quantity: 1 + Math.floor(random() * 2), sku: variant.sku, variantId: variant.id, productId: product.id, price: variant.price };
    });
    const total = lineItems.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0);
    return {
      id: `gid://shopify/Order/${6_000_000_000 + position}`,
      name: `#${1001 + position}`,
      email: customer.email,
      phone: customer.phone,
      customerId: customer.id,
      createdAt,
      processedAt: createdAt,
      updatedAt: createdAt,
      financialStatus: random() < 0.9 ? "PAID" : pick(["PENDING", "REFUNDED", "PARTIALLY_REFUNDED"] as const),
      currencyCode: "USD",
      totalPrice: total.toFixed(2),
      lineItems,
    };
  }).sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  return {
    shop: { id: `gid://shopify/Shop/${hash(shopDomain)}`, name: storeName, email: `owner@${shopDomain}`, myshopifyDomain: shopDomain, currencyCode: "USD" },
    products,
    customers,
    orders,
  };
}
