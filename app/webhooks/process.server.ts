import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { recordProduct, removeProduct } from "../catalog/products.server";
import { compileCustomerData, redactCustomer } from "../compliance/compliance.server";
import { db } from "../db.server";
import { recordOrder, recordRefund } from "../orders/orders.server";
import { eraseShopData } from "../shops/shops.server";

type TopicHandler = (shopDomain: string, payload: unknown, deliveryId: string) => Promise<Prisma.InputJsonValue | void>;

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

/** Topics as `authenticate.webhook` reports them (e.g. ORDERS_CREATE) → the domain module that does the work. */
const handlers: Record<string, TopicHandler> = {
  APP_UNINSTALLED: (shop, _payload, deliveryId) => eraseShopData(shop, { keepWebhookDeliveryId: deliveryId }),
  SHOP_REDACT: (shop, _payload, deliveryId) => eraseShopData(shop, { keepWebhookDeliveryId: deliveryId }),
  APP_SCOPES_UPDATE: async (shop, payload) => {
    const { current } = scopesUpdatePayload.parse(payload);
    await db().session.updateMany({ where: { shop }, data: { scope: current.join(",") } });
  },
  ORDERS_CREATE: recordOrder,
  ORDERS_UPDATED: recordOrder,
  ORDERS_CANCELLED: recordOrder,
  REFUNDS_CREATE: recordRefund,
  PRODUCTS_CREATE: recordProduct,
  PRODUCTS_UPDATE: recordProduct,
  PRODUCTS_DELETE: removeProduct,
  CUSTOMERS_DATA_REQUEST: compileCustomerData,
  CUSTOMERS_REDACT: redactCustomer,
};

export class UnhandledTopicError extends Error {
  override name = "UnhandledTopicError";
}

/**
 * Does the work for one recorded delivery, once: a delivery already processed is skipped, so a job retried after
 * a crash between the work and the bookkeeping repeats only idempotent upserts. Failures are recorded on the
 * delivery and rethrown so the job queue retries with backoff.
 */
export async function processWebhookDelivery(deliveryId: string) {
  const delivery = await db().webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery || delivery.status === "processed") return;
  const handler = handlers[delivery.topic];
  try {
    if (!handler) throw new UnhandledTopicError(`No handler for webhook topic ${delivery.topic}`);
    const result = await handler(delivery.shopDomain, delivery.payload, delivery.id);
    await db().webhookDelivery.updateMany({
      where: { id: delivery.id },
      data: {
        status: "processed",
        processedAt: new Date(),
        attempts: { increment: 1 },
        error: null,
        ...(result ? { result } : {}),
      },
    });
  } catch (error) {
    await db().webhookDelivery.updateMany({
      where: { id: delivery.id },
      data: { status: "failed", attempts: { increment: 1 }, error: (error as Error).message.slice(0, 2000) },
    });
    throw error;
  }
}
