import { db } from "../db.server";
import { numericId } from "../shopify/ids";
import { forEachAdminNode } from "../shopify/admin-pages.server";
import { saveOrder } from "./orders.server";

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
        displayFinancialStatus
        customer { id }
        totalPriceSet { shopMoney { amount currencyCode } }
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
  displayFinancialStatus: string | null;
  customer: { id: string } | null;
  totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
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
  return forEachAdminNode<OrderNode>(shopDomain, ORDERS_PAGE, "orders", { query: `created_at:>${since}` }, (order) =>
    saveOrder(shop.id, {
      shopifyId: numericId(order.id),
      name: order.name,
      shopifyCustomerId: order.customer ? numericId(order.customer.id) : null,
      email: order.email,
      phone: order.phone,
      totalPrice: order.totalPriceSet.shopMoney.amount,
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
      updatedAt: new Date(order.updatedAt),
    }),
  );
}
