import type { Prisma } from "@prisma/client";
import type { OrderDetails, OrderLookup, OrderProof } from "../agent/skills/tools";
import { db } from "../db.server";
import { normalizeEmail, normalizePhone } from "../identity/normalize";
import { numericId } from "../shopify/ids";
import { unauthenticated } from "../shopify.server";
import { logger } from "../logger.server";

export type { OrderDetails, OrderLookup, OrderProof };

const ORDERS = `#graphql
  query OrderLookup($query: String!) {
    orders(first: 5, query: $query, sortKey: CREATED_AT, reverse: true) {
      nodes {
        name
        email
        phone
        createdAt
        processedAt
        displayFinancialStatus
        displayFulfillmentStatus
        customer { id }
        totalPriceSet { shopMoney { amount currencyCode } }
        lineItems(first: 50) { nodes { title quantity sku } }
        fulfillments(first: 10) { status trackingInfo(first: 5) { company number url } }
        statusPageUrl
      }
    }
  }`;

interface OrderNode {
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  processedAt: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string | null;
  customer: { id: string } | null;
  totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
  lineItems: { nodes: Array<{ title: string; quantity: number; sku: string | null }> };
  fulfillments: Array<{ status: string; trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }> }>;
  statusPageUrl: string | null;
}

/** What the proof is checked against, whichever source the order came from. */
interface Candidate {
  number: string;
  email: string | null;
  phone: string | null;
  shopifyCustomerId: string | null;
  details: OrderDetails;
}

const NOT_FOUND: OrderLookup = { found: false };

function orderDigits(name: string): string {
  return name.replace(/\D/g, "");
}

/**
 * An order for a proven shopper only: the logged-in customer (from the signed app proxy) sees their order (the
 * one named, else their latest); anyone else needs the order number together with the email or phone the order
 * was placed with, compared after the one normaliser in app/identity. A wrong email or phone and an unknown
 * order number answer the same `{ found: false }`, so the answer never tells which half was wrong.
 * Live from the Admin API (status, tracking, items); when the API fails, or does not see the order (older than
 * the 60 days read_orders covers), from the mirror the order webhooks keep.
 */
export async function lookupOrder(shopId: string, proof: OrderProof): Promise<OrderLookup> {
  const number = proof.orderNumber?.trim().replace(/^#/, "");
  if (number !== undefined && !/^\d{1,12}$/.test(number)) return NOT_FOUND;
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, countryCode: true } });
  const email = normalizeEmail(proof.email);
  // "(212) 555-0147" is a number in the shop's country, as the shopper means it.
  const phone = normalizePhone(proof.phone, shop.countryCode);
  const customerId = proof.shopifyCustomerId?.trim() || null;
  if (!customerId && !(number && (email || phone))) return NOT_FOUND;

  const proven = (candidate: Candidate) =>
    (number === undefined || candidate.number === number) &&
    ((customerId !== null && candidate.shopifyCustomerId === customerId) ||
      (email !== null && candidate.email === email) ||
      (phone !== null && candidate.phone === phone));

  let live: Candidate[] | null = null;
  try {
    live = await liveCandidates(shop, number, customerId);
  } catch (error) {
    logger().warn({ source: "orders", err: error }, "order lookup fell back to the mirror");
  }
  const candidates = live && live.some((candidate) => number === undefined || candidate.number === number) ? live : await mirroredCandidates(shopId, shop.countryCode, number, customerId);
  const match = candidates.find(proven);
  return match ? { found: true, order: match.details } : NOT_FOUND;
}

async function liveCandidates(shop: { domain: string; countryCode: string | null }, number: string | undefined, customerId: string | null): Promise<Candidate[]> {
  const { admin } = await unauthenticated.admin(shop.domain);
  const query = number ? `name:#${number}` : `customer_id:${customerId}`;
  const response = await admin.graphql(ORDERS, { variables: { query } });
  const body = (await response.json()) as { data?: { orders?: { nodes: OrderNode[] } }; errors?: unknown };
  const nodes = body.data?.orders?.nodes;
  if (!nodes) throw new Error(`Shopify refused the orders query: ${JSON.stringify(body.errors)}`);
  return nodes.map((order) => ({
    number: orderDigits(order.name),
    email: normalizeEmail(order.email),
    phone: normalizePhone(order.phone, shop.countryCode),
    shopifyCustomerId: order.customer ? numericId(order.customer.id) : null,
    details: {
      name: order.name,
      placedAt: order.processedAt ?? order.createdAt,
      financialStatus: order.displayFinancialStatus,
      fulfillmentStatus: order.displayFulfillmentStatus,
      totalPrice: order.totalPriceSet.shopMoney.amount,
      currencyCode: order.totalPriceSet.shopMoney.currencyCode,
      lineItems: order.lineItems.nodes.map((item) => ({ title: item.title, quantity: item.quantity, sku: item.sku })),
      tracking: order.fulfillments
        .filter((fulfillment) => fulfillment.status !== "CANCELLED")
        .flatMap((fulfillment) => fulfillment.trackingInfo.map((info) => ({ company: info.company, number: info.number, url: info.url }))),
      statusUrl: order.statusPageUrl,
    },
  }));
}

interface MirroredLineItem {
  title?: string;
  quantity?: number;
  sku?: string | null;
}

/** The mirror knows payment but not fulfilment or tracking: those stay unknown (null, none) rather than guessed. */
async function mirroredCandidates(shopId: string, countryCode: string | null, number: string | undefined, customerId: string | null): Promise<Candidate[]> {
  const where: Prisma.OrderWhereInput = number ? { shopId, OR: [{ number: Number(number) }, { name: `#${number}` }] } : { shopId, shopifyCustomerId: customerId };
  const orders = await db().order.findMany({ where, orderBy: { placedAt: "desc" }, take: 5 });
  return orders.map((order) => ({
    number: order.number !== null ? String(order.number) : orderDigits(order.name),
    email: normalizeEmail(order.email),
    phone: normalizePhone(order.phone, countryCode),
    shopifyCustomerId: order.shopifyCustomerId,
    details: {
      name: order.name,
      placedAt: order.placedAt,
      financialStatus: order.financialStatus,
      fulfillmentStatus: null,
      totalPrice: order.totalPrice.toFixed(2),
      currencyCode: order.currencyCode,
      lineItems: (Array.isArray(order.lineItems) ? (order.lineItems as MirroredLineItem[]) : []).map((item) => ({
        title: item.title ?? "",
        quantity: item.quantity ?? 1,
        sku: item.sku ?? null,
      })),
      tracking: [],
      statusUrl: null,
    },
  }));
}
