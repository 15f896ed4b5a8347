import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
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
  if (!shop) return { shoppers: [], orders: [] };
  const shoppers = await db().shopper.findMany({
    where: shopperMatch(shop.id, customer),
    include: {
      identifiers: true,
      conversations: { include: { messages: { orderBy: { createdAt: "asc" } } } },
      recommendations: true,
    },
  });
  const orders = await db().order.findMany({ where: { shopId: shop.id, shopifyCustomerId: customer.id } });
  return JSON.parse(JSON.stringify({ shoppers, orders })) as Prisma.InputJsonObject;
}

/** customers/redact: deletes the customer's shopper identities (conversations cascade) and mirrored orders. */
export async function redactCustomer(shopDomain: string, payload: unknown) {
  const { customer } = customerReference.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return;
  await db().$transaction([
    db().shopper.deleteMany({ where: shopperMatch(shop.id, customer) }),
    db().order.deleteMany({
      where: {
        shopId: shop.id,
        OR: [
          { shopifyCustomerId: customer.id },
          ...(normalizeEmail(customer.email) ? [{ email: normalizeEmail(customer.email) }] : []),
        ],
      },
    }),
  ]);
}
