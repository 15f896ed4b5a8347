import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db, pool } from "../db.server";
import { normalizeEmail, normalizePhone } from "../identity/normalize";

const customerReference = z.object({
  customer: z.object({
    id: z.union([z.number(), z.string()]).transform(String),
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
});

/** The customer's shoppers: by the identifiers they are known by now, and by any identifier they ever had. */
function shopperMatch(shopId: string, customer: z.infer<typeof customerReference>["customer"]) {
  const email = normalizeEmail(customer.email);
  const phone = normalizePhone(customer.phone);
  const identifiers = [
    { kind: "shopify_customer" as const, value: customer.id },
    ...(email ? [{ kind: "email" as const, value: email }] : []),
    ...(phone ? [{ kind: "phone" as const, value: phone }] : []),
  ];
  return {
    shopId,
    OR: [
      { shopifyCustomerId: customer.id },
      ...(email ? [{ email }] : []),
      ...(phone ? [{ phone }] : []),
      { identifiers: { some: { OR: identifiers } } },
    ],
  };
}

/**
 * customers/data_request: everything the app holds about the customer, kept on the delivery record so the
 * merchant can hand it over (Shopify expects the app to provide it to the merchant).
 */
export async function compileCustomerData(shopDomain: string, payload: unknown) {
  const { customer } = customerReference.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return { shoppers: [], orders: [], channelOptOuts: [] };
  const shoppers = await db().shopper.findMany({
    where: shopperMatch(shop.id, customer),
    include: {
      identifiers: true,
      conversations: { include: { messages: { orderBy: { createdAt: "asc" } } } },
      recommendations: true,
    },
  });
  const orders = await db().order.findMany({ where: { shopId: shop.id, shopifyCustomerId: customer.id } });
  // SMS and WhatsApp opt-outs are kept by phone number (ADR 009): the customer's are part of what the app holds.
  const phones = [...new Set([normalizePhone(customer.phone), ...shoppers.flatMap((shopper) => [shopper.phone, ...shopper.identifiers.filter((identifier) => identifier.kind === "phone").map((identifier) => identifier.value)])].filter((phone): phone is string => Boolean(phone)))];
  const channelOptOuts = phones.length > 0 ? await db().channelOptOut.findMany({ where: { shopId: shop.id, address: { in: phones } } }) : [];
  return JSON.parse(JSON.stringify({ shoppers, orders, channelOptOuts })) as Prisma.InputJsonObject;
}

/** What stands in for a payload or result that named a redacted customer. */
export const REDACTED = { redacted: true } as const;

/**
 * customers/redact: erases every copy of the customer the app holds, in one transaction: the shopper identities
 * matched by customer id, email or phone (their conversations, messages and recommendations cascade), their orders,
 * every outbox row about them (undelivered ones would otherwise still reach Klaviyo after the redaction; delivered
 * ones are the delivery log's copy), and the shop's webhook deliveries whose payload or result names them (order
 * webhooks, earlier data requests, this redaction's own payload): those keep their row, so a replay is still
 * recognised, with the payload replaced and the work marked done (a queued order webhook must not bring the
 * order back).
 */
export async function redactCustomer(shopDomain: string, payload: unknown) {
  const { customer } = customerReference.parse(payload);
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const shop = await client.query<{ id: string }>(`SELECT id FROM "Shop" WHERE domain = $1`, [shopDomain]);
    const shopId = shop.rows[0]?.id;
    const emails = new Set(compact([customer.email?.trim().toLowerCase(), normalizeEmail(customer.email)]));
    const phones = new Set(compact([customer.phone?.trim(), normalizePhone(customer.phone)]));
    const customerIds = new Set([customer.id]);
    const otherIdentifiers = new Set<string>();
    let shopperIds: string[] = [];
    /** The customer as they appear inside JSON text: ids as quoted strings, the rest as written (lower-cased). */
    const searchTerms = () => [...emails, ...phones, ...[...customerIds].map((id) => `"${id}"`), ...otherIdentifiers].map((term) => term.toLowerCase());
    let counts = { shoppers: 0, orders: 0, klaviyoEvents: 0, webhookDeliveries: 0 };
    if (shopId) {
      const shoppers = await client.query<{ id: string; anonymousId: string | null; shopifyCustomerId: string | null; email: string | null; phone: string | null; klaviyoExchangeId: string | null }>(
        `SELECT id, "anonymousId", "shopifyCustomerId", email, phone, "klaviyoExchangeId" FROM "Shopper"
          WHERE "shopId" = $1 AND ("shopifyCustomerId" = $2 OR lower(email) = ANY($3) OR phone = ANY($4)
            OR id IN (SELECT "shopperId" FROM "ShopperIdentifier" WHERE "shopId" = $1
                      AND ((kind = 'shopify_customer' AND value = $2) OR (kind = 'email' AND value = ANY($3)) OR (kind = 'phone' AND value = ANY($4)))))
          FOR UPDATE`,
        [shopId, customer.id, [...emails], [...phones]],
      );
      shopperIds = shoppers.rows.map((row) => row.id);
      // Whatever else the app learnt about the same person is theirs too (and is what their outbox rows carry).
      for (const row of shoppers.rows) {
        if (row.email) emails.add(row.email.toLowerCase());
        if (row.phone) phones.add(row.phone);
        if (row.shopifyCustomerId) customerIds.add(row.shopifyCustomerId);
        if (row.anonymousId) otherIdentifiers.add(row.anonymousId.toLowerCase());
        if (row.klaviyoExchangeId) otherIdentifiers.add(row.klaviyoExchangeId.toLowerCase());
      }
      // Including the identifiers a newer value has replaced on the row (their rows cascade with the shopper).
      const known = await client.query<{ kind: string; value: string }>(`SELECT kind, value FROM "ShopperIdentifier" WHERE "shopperId" = ANY($1)`, [shopperIds]);
      for (const { kind, value } of known.rows) {
        if (kind === "email") emails.add(value);
        else if (kind === "phone") phones.add(value);
        else if (kind === "shopify_customer") customerIds.add(value);
        else otherIdentifiers.add(value.toLowerCase());
      }
      const terms = searchTerms();
      const events = await client.query(
        `DELETE FROM "KlaviyoEvent"
          WHERE "shopId" = $1
            AND ("conversationId" IN (SELECT id FROM "Conversation" WHERE "shopperId" = ANY($2))
                 OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS term WHERE strpos(lower(payload::text), term) > 0))`,
        [shopId, shopperIds, terms],
      );
      const orders = await client.query(
        `DELETE FROM "Order"
          WHERE "shopId" = $1
            AND ("shopifyCustomerId" = ANY($2) OR lower(email) = ANY($3) OR phone = ANY($4) OR "shopperId" = ANY($5))`,
        [shopId, [...customerIds], [...emails], [...phones], shopperIds],
      );
      // A reply queued on a conversation goes with it; the answers to STOP/START/HELP belong to none. The opt-out
      // itself stays: it is what keeps the app from texting that number again (ADR 009).
      await client.query(`DELETE FROM "ChannelMessage" WHERE "shopId" = $1 AND (lower(recipient) = ANY($2) OR recipient = ANY($3))`, [shopId, [...emails], [...phones]]);
      const deleted = await client.query(`DELETE FROM "Shopper" WHERE id = ANY($1)`, [shopperIds]);
      counts = { ...counts, shoppers: deleted.rowCount ?? 0, orders: orders.rowCount ?? 0, klaviyoEvents: events.rowCount ?? 0 };
    }
    // Webhook payloads carry customer ids as JSON numbers, so those match as whole numbers.
    const numericIds = [...customerIds].filter((id) => /^\d+$/.test(id));
    const deliveries = await client.query(
      `UPDATE "WebhookDelivery"
          SET payload = $2::jsonb, result = NULL, error = NULL, status = 'processed',
              "processedAt" = COALESCE("processedAt", now() AT TIME ZONE 'UTC')
        WHERE "shopDomain" = $1
          AND EXISTS (SELECT 1 FROM (VALUES (lower(payload::text)), (lower(COALESCE(result::text, '')))) AS stored(text)
                       WHERE EXISTS (SELECT 1 FROM unnest($3::text[]) AS term WHERE strpos(stored.text, term) > 0)
                          OR EXISTS (SELECT 1 FROM unnest($4::text[]) AS id WHERE stored.text ~ ('(^|[^0-9])' || id || '([^0-9]|$)')))`,
      [shopDomain, JSON.stringify(REDACTED), searchTerms(), numericIds],
    );
    await client.query("COMMIT");
    return { ...REDACTED, ...counts, webhookDeliveries: deliveries.rowCount ?? 0 };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function compact(values: Array<string | null | undefined>): string[] {
  return values.filter((value): value is string => Boolean(value));
}
