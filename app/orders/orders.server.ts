import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { db, pool, type Transaction } from "../db.server";
import { normalizeEmail, normalizePhone } from "../identity/normalize";
import { afterOrderSaved } from "./order-effects.server";

/** The cart attribute the storefront widget sets (hidden at checkout: names starting with `_` are). */
export const CONVERSATION_CART_ATTRIBUTE = "_customer_agent_conversation";

const id = z.union([z.number(), z.string()]).transform(String);
const money = z.union([z.string(), z.number()]).transform((value) => String(value));
/** Shopify sends "" (not null) for a missing email or phone, e.g. on draft orders: no value is no identifier. */
const text = z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : value), z.string().nullish());
const timestamp = z.preprocess((value) => (value === "" ? null : value), z.coerce.date().nullish());

const refundPayload = z.object({
  id,
  transactions: z.array(z.object({ amount: money, kind: z.string().nullish(), status: z.string().nullish() })).nullish(),
  refund_line_items: z.array(z.object({ subtotal: money.nullish() })).nullish(),
});

const orderWebhookPayload = z.object({
  id,
  name: z.string(),
  order_number: z.number().int().nullish(),
  email: text,
  contact_email: text,
  phone: text,
  customer: z.object({ id, email: text, phone: text }).nullish(),
  total_price: money,
  subtotal_price: money.nullish(),
  total_tax: money.nullish(),
  total_discounts: money.nullish(),
  currency: z.string(),
  financial_status: text,
  created_at: z.coerce.date(),
  processed_at: timestamp,
  updated_at: timestamp,
  cancelled_at: timestamp,
  cancel_reason: text,
  note_attributes: z
    .array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullish() }))
    .nullish(),
  refunds: z.array(refundPayload).nullish(),
  line_items: z
    .array(
      z.object({
        product_id: id.nullish(),
        variant_id: id.nullish(),
        sku: text,
        title: z.string(),
        quantity: z.number(),
        price: money,
      }),
    )
    .default([]),
});

const refundWebhookPayload = refundPayload.extend({ order_id: id });

export interface MirroredLineItem {
  productId: string | null;
  variantId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  price: string;
}

/** An order as the mirror keeps it, whichever way it arrived (webhook or Admin API sync). */
export interface MirroredOrder {
  shopifyId: string;
  name: string;
  number: number | null;
  shopifyCustomerId: string | null;
  email: string | null;
  phone: string | null;
  totalPrice: string;
  subtotalPrice: string | null;
  totalTax: string | null;
  totalDiscounts: string | null;
  currencyCode: string;
  financialStatus: string | null;
  lineItems: MirroredLineItem[];
  placedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  /** Refund id → amount; merged into what is stored, never replacing it. */
  refunds: Record<string, string>;
  cartConversationId: string | null;
  updatedAt: Date;
}

export type SavedOrder = Prisma.OrderGetPayload<object>;

/**
 * Saves an order in one statement. Shopify neither orders nor deduplicates deliveries, so the write only happens
 * when this version is newer than the stored one (`shopifyUpdatedAt`); checked by the upsert itself, so two
 * deliveries racing on two workers cannot both win or roll the order back. Returns the row when this version was
 * written, null when it was stale or a repeat: the order's effects (linking, the trigger, attribution, Klaviyo
 * properties) run only for a version that was written.
 */
export async function saveOrder(tx: Transaction, shopId: string, order: MirroredOrder): Promise<SavedOrder | null> {
  const email = normalizeEmail(order.email);
  const phone = normalizePhone(order.phone);
  const refunds = JSON.stringify(order.refunds);
  const [row] = await tx.$queryRaw<SavedOrder[]>`
    INSERT INTO "Order" (
      id, "shopId", "shopifyId", name, number, "shopifyCustomerId", email, phone, "totalPrice", "subtotalPrice", "totalTax",
      "totalDiscounts", "currencyCode", "financialStatus", "lineItems", "placedAt", "cancelledAt", "cancelReason", refunds,
      "refundedAmount", "cartConversationId", "shopifyUpdatedAt", "updatedAt"
    ) VALUES (
      ${randomUUID()}, ${shopId}, ${order.shopifyId}, ${order.name}, ${order.number}, ${order.shopifyCustomerId}, ${email}, ${phone},
      ${order.totalPrice}::numeric, ${order.subtotalPrice}::numeric, ${order.totalTax}::numeric, ${order.totalDiscounts}::numeric,
      ${order.currencyCode}, ${order.financialStatus?.toLowerCase() ?? null}, ${JSON.stringify(order.lineItems)}::jsonb, ${order.placedAt},
      ${order.cancelledAt}, ${order.cancelReason}, ${refunds}::jsonb,
      (SELECT COALESCE(SUM(value::numeric), 0) FROM jsonb_each_text(${refunds}::jsonb)),
      ${order.cartConversationId}, ${order.updatedAt}, now()
    )
    ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
      name = EXCLUDED.name,
      number = COALESCE(EXCLUDED.number, "Order".number),
      "shopifyCustomerId" = EXCLUDED."shopifyCustomerId",
      email = EXCLUDED.email,
      phone = EXCLUDED.phone,
      "totalPrice" = EXCLUDED."totalPrice",
      "subtotalPrice" = EXCLUDED."subtotalPrice",
      "totalTax" = EXCLUDED."totalTax",
      "totalDiscounts" = EXCLUDED."totalDiscounts",
      "currencyCode" = EXCLUDED."currencyCode",
      "financialStatus" = EXCLUDED."financialStatus",
      "lineItems" = EXCLUDED."lineItems",
      "placedAt" = EXCLUDED."placedAt",
      "cancelledAt" = EXCLUDED."cancelledAt",
      "cancelReason" = EXCLUDED."cancelReason",
      refunds = "Order".refunds || EXCLUDED.refunds,
      "refundedAmount" = (SELECT COALESCE(SUM(value::numeric), 0) FROM jsonb_each_text("Order".refunds || EXCLUDED.refunds)),
      "cartConversationId" = COALESCE(EXCLUDED."cartConversationId", "Order"."cartConversationId"),
      "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt",
      "updatedAt" = now()
    WHERE "Order"."shopifyUpdatedAt" IS NULL OR "Order"."shopifyUpdatedAt" < EXCLUDED."shopifyUpdatedAt"
    RETURNING *`;
  return row ?? null;
}

/** Saves the order and, if this version was new, does what an order means for the app, all in one transaction. */
export async function mirrorOrder(shopId: string, order: MirroredOrder): Promise<SavedOrder | null> {
  return db().$transaction(async (tx) => {
    const saved = await saveOrder(tx, shopId, order);
    if (saved) await afterOrderSaved(tx, saved);
    return saved;
  });
}

function refundedAmount(refund: z.infer<typeof refundPayload>): string {
  const transactions = (refund.transactions ?? []).filter((transaction) => (transaction.kind ?? "refund") === "refund" && (transaction.status ?? "success") === "success");
  const amounts = transactions.length > 0 ? transactions.map((transaction) => transaction.amount) : (refund.refund_line_items ?? []).map((item) => item.subtotal ?? "0");
  return amounts.reduce((sum, amount) => sum.plus(new Prisma.Decimal(amount)), new Prisma.Decimal(0)).toFixed(2);
}

export function orderFromWebhook(payload: unknown): MirroredOrder {
  const order = orderWebhookPayload.parse(payload);
  const conversationAttribute = (order.note_attributes ?? []).find((attribute) => attribute.name === CONVERSATION_CART_ATTRIBUTE)?.value;
  return {
    shopifyId: order.id,
    name: order.name,
    number: order.order_number ?? null,
    shopifyCustomerId: order.customer?.id ?? null,
    email: order.email ?? order.contact_email ?? order.customer?.email ?? null,
    phone: order.phone ?? order.customer?.phone ?? null,
    totalPrice: order.total_price,
    subtotalPrice: order.subtotal_price ?? null,
    totalTax: order.total_tax ?? null,
    totalDiscounts: order.total_discounts ?? null,
    currencyCode: order.currency,
    financialStatus: order.financial_status ?? null,
    lineItems: order.line_items.map((item) => ({
      productId: item.product_id ?? null,
      variantId: item.variant_id ?? null,
      sku: item.sku ?? null,
      title: item.title,
      quantity: item.quantity,
      price: item.price,
    })),
    placedAt: order.processed_at ?? order.created_at,
    cancelledAt: order.cancelled_at ?? null,
    cancelReason: order.cancel_reason ?? null,
    refunds: Object.fromEntries((order.refunds ?? []).map((refund) => [refund.id, refundedAmount(refund)])),
    cartConversationId: conversationAttribute == null || String(conversationAttribute).trim() === "" ? null : String(conversationAttribute).trim(),
    updatedAt: order.updated_at ?? order.created_at,
  };
}

/** orders/create, orders/updated and orders/cancelled all carry the whole order. */
export async function recordOrder(shopDomain: string, payload: unknown) {
  const order = orderFromWebhook(payload);
  // Plain SQL: a sale's burst of orders/create runs this for every order, and the lookup needs no query compilation.
  const { rows } = await pool().query<{ id: string }>(`SELECT id FROM "Shop" WHERE domain = $1`, [shopDomain]);
  if (!rows[0]) return;
  await mirrorOrder(rows[0].id, order);
}

export class OrderNotMirroredError extends Error {
  override name = "OrderNotMirroredError";
}

/**
 * refunds/create: adds the refund to its order. Recording the same refund twice changes nothing (keyed by refund
 * id). If the order itself has not arrived yet, this fails and the job queue retries it later.
 */
export async function recordRefund(shopDomain: string, payload: unknown) {
  const refund = refundWebhookPayload.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return;
  const entry = JSON.stringify({ [refund.id]: refundedAmount(refund) });
  const updated = await db().$executeRaw`
    UPDATE "Order" SET
      refunds = refunds || ${entry}::jsonb,
      "refundedAmount" = (SELECT COALESCE(SUM(value::numeric), 0) FROM jsonb_each_text(refunds || ${entry}::jsonb)),
      "updatedAt" = now()
    WHERE "shopId" = ${shop.id} AND "shopifyId" = ${refund.order_id}`;
  if (updated === 0) throw new OrderNotMirroredError(`Order ${refund.order_id} is not mirrored yet; the refund is retried later`);
}
