import type { AgentTools, KnowledgeMatch, OrderDetails, OrderProof, ProductMatch, ProductQuery } from "./tools";

/**
 * The far side of the skills for their unit tests: a few products, one policy and one order, answering the way the
 * domain functions promise (price filters, exclusions, exact order proofs), recording every query it was asked.
 */
export function product(overrides: Partial<ProductMatch> & { title: string; price: string }): ProductMatch {
  const handle = overrides.title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    productId: `p-${handle}`,
    shopifyProductId: `gid://shopify/Product/${handle.length}${overrides.price.replace(".", "")}`,
    handle,
    url: `https://demo.example/products/${handle}`,
    imageUrl: null,
    compareAtPrice: null,
    currencyCode: "USD",
    defaultVariantId: `gid://shopify/ProductVariant/${handle.length}`,
    variantTitle: "Default Title",
    sku: `SKU-${handle.slice(0, 6).toUpperCase()}`,
    productType: "Jackets",
    tags: [],
    vendor: "Northbound Apparel",
    ...overrides,
  };
}

export const ORDER: OrderDetails = {
  name: "#1001",
  placedAt: "2026-11-20T10:00:00Z",
  financialStatus: "PAID",
  fulfillmentStatus: "FULFILLED",
  totalPrice: "214.00",
  currencyCode: "USD",
  lineItems: [{ title: "Alpine Rain Shell", quantity: 1, sku: "JKT-ALP001-M" }],
  tracking: [{ company: "UPS", number: "1Z999AA10123456784", url: "https://www.ups.com/track?tracknum=1Z999AA10123456784" }],
  statusUrl: "https://demo.example/orders/abc/status",
};

export function fakeTools(catalog: ProductMatch[] = [], knowledge: KnowledgeMatch[] = []) {
  const productQueries: ProductQuery[] = [];
  const orderProofs: OrderProof[] = [];
  const tools: AgentTools = {
    async searchProducts(_shopId, query) {
      productQueries.push(query);
      const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
      return catalog
        .filter((item) => words.every((word) => `${item.title} ${item.productType}`.toLowerCase().includes(word.replace(/s$/, ""))))
        .filter((item) => query.maxPrice === undefined || Number(item.price) <= query.maxPrice)
        .filter((item) => query.minPrice === undefined || Number(item.price) >= query.minPrice)
        .filter((item) => query.cheaperThan === undefined || Number(item.price) < query.cheaperThan)
        .filter((item) => !query.excludeProductIds?.includes(item.productId))
        .filter((item) => !query.options?.length || query.options.some((option) => item.tags.includes(option)))
        .slice(0, query.limit ?? 4);
    },
    async searchKnowledge(_shopId, text) {
      return knowledge.filter((entry) => text.toLowerCase().split(/\s+/).some((word) => word.length > 3 && entry.passage.toLowerCase().includes(word)));
    },
    async lookupOrder(_shopId, proof) {
      orderProofs.push(proof);
      const rightNumber = proof.orderNumber === undefined || proof.orderNumber === "1001";
      const proven = proof.shopifyCustomerId === "7001" || proof.email?.toLowerCase() === "ada@example.com" || proof.phone === "+12125550100";
      return rightNumber && proven ? { found: true, order: ORDER } : { found: false };
    },
  };
  return { tools, productQueries, orderProofs };
}
