import { db } from "../db.server";

/** Creates the shop's row on install, and clears an earlier uninstall when a merchant comes back. */
export async function recordInstall(domain: string) {
  return db().shop.upsert({
    where: { domain },
    create: { domain },
    update: { uninstalledAt: null, installedAt: new Date() },
  });
}

export async function findShop(domain: string) {
  return db().shop.findUnique({ where: { domain } });
}

export async function requireShop(domain: string) {
  return (await findShop(domain)) ?? recordInstall(domain);
}

/**
 * Erases everything the app holds for a shop: sessions, the Klaviyo connection and every domain row
 * (cascading from Shop), plus its webhook log except the delivery doing the erasing, which keeps a replay of it
 * from being processed again.
 */
export async function eraseShopData(domain: string, options: { keepWebhookDeliveryId?: string } = {}) {
  await db().$transaction([
    db().session.deleteMany({ where: { shop: domain } }),
    db().shop.deleteMany({ where: { domain } }),
    db().webhookDelivery.deleteMany({
      where: { shopDomain: domain, ...(options.keepWebhookDeliveryId ? { id: { not: options.keepWebhookDeliveryId } } : {}) },
    }),
  ]);
}
