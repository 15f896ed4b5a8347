import { db } from "../db.server";
import { numericId } from "../shopify/ids";
import { forEachAdminNode } from "../shopify/admin-pages.server";
import { mirrorOrder } from "./orders.server";

const ORDERS_PAGE = `#graphql
  query RecentOrders($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        email
        phone
        createdAt
        processedAt
        updatedAt
        cancelledAt
        displayFinancialStatus
        customer { id }
        totalPriceSet { shopMoney { amount currencyCode } }
        subtotalPriceSet { shopMoney { amount } }
        totalTaxSet { shopMoney { amount } }
        lineItems(first: 100) { nodes { title quantity sku variant { id } product { id } originalUnitPriceSet { shopMoney { amount } } } }
      }
    }
  }`;

interface OrderNode {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  processedAt: string | null;
  updatedAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  customer: { id: string } | null;
  totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
  subtotalPriceSet: { shopMoney: { amount: string } } | null;
  totalTaxSet: { shopMoney: { amount: string } } | null;
  lineItems: {
    nodes: Array<{
      title: string;
      quantity: number;
      sku: string | null;
      variant: { id: string } | null;
      product: { id: string } | null;
      originalUnitPriceSet: { shopMoney: { amount: string } };
    }>;
  };
}

/**
 * Mirrors the orders of the last `days` days (what read_orders can see) so "ordered since the recommendation"
 * holds from install on; orders/* webhooks keep the mirror current afterwards.
 */
export async function syncRecentOrders(shopDomain: string, days = 60): Promise<number> {
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const since = new Date(Date.now() - days * 86_400_000).toISOString();
  return forEachAdminNode<OrderNode>(shopDomain, ORDERS_PAGE, "orders", { query: `created_at:>${since}` }, async (order) => {
    await mirrorOrder(shop.id, {
      shopifyId: numericId(order.id),
      name: order.name,
      number: Number(order.name.replace(/\D/g, "")) || null,
      shopifyCustomerId: order.customer ? numericId(order.customer.id) : null,
      email: order.email,
      phone: order.phone,
      totalPrice: order.totalPriceSet.shopMoney.amount,
      subtotalPrice: order.subtotalPriceSet?.shopMoney.amount ?? null,
      totalTax: order.totalTaxSet?.shopMoney.amount ?? null,
      totalDiscounts: null,
      currencyCode: order.totalPriceSet.shopMoney.currencyCode,
      financialStatus: order.displayFinancialStatus,
      lineItems: order.lineItems.nodes.map((item) => ({
        productId: item.product ? numericId(item.product.id) : null,
        variantId: item.variant ? numericId(item.variant.id) : null,
        sku: item.sku,
        title: item.title,
        quantity: item.quantity,
        price: item.originalUnitPriceSet.shopMoney.amount,
      })),
      placedAt: new Date(order.processedAt ?? order.createdAt),
      cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
      cancelReason: null,
      refunds: {},
      // Not in the Admin API's order fields the sync reads; webhooks bring the cart attribute.
      cartConversationId: null,
      updatedAt: new Date(order.updatedAt),
    });
  });
}
