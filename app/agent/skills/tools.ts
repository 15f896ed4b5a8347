/**
 * The domain functions the skills call, as one interface: the catalog search, the store knowledge search and
 * the order lookup (app/catalog, app/knowledge, app/orders). The engine passes the real ones; skill unit tests
 * pass their own so each skill's decisions are tested without a catalog.
 */
import type { ProductMatch, ProductQuery } from "../../catalog/search.server";

export type { ProductMatch, ProductQuery };

export interface KnowledgeMatch {
  source: "policy" | "faq";
  id: string;
  title: string;
  passage: string;
  url: string | null;
  policyType?: string;
}

export interface OrderProof {
  orderNumber?: string;
  email?: string;
  phone?: string;
  shopifyCustomerId?: string;
}

export interface OrderDetails {
  name: string;
  placedAt: Date | string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  totalPrice: string;
  currencyCode: string;
  lineItems: Array<{ title: string; quantity: number; sku: string | null }>;
  tracking: Array<{ company: string | null; number: string | null; url: string | null }>;
  statusUrl: string | null;
}

export type OrderLookup = { found: true; order: OrderDetails } | { found: false };

export interface AgentTools {
  searchProducts(shopId: string, query: ProductQuery): Promise<ProductMatch[]>;
  searchKnowledge(shopId: string, text: string, options?: { limit?: number }): Promise<KnowledgeMatch[]>;
  lookupOrder(shopId: string, proof: OrderProof): Promise<OrderLookup>;
}
