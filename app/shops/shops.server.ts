import type { Prisma } from "@prisma/client";
import { db, pool } from "../db.server";

const INSTALLED_SHOP_TTL_MS = 10_000;
const installedShops = new Map<string, { shop: InstalledShop | null; until: number }>();

export interface InstalledShop {
  id: string;
  domain: string;
  /** ISO alpha-2, when known: phone numbers typed without a country code are read in it. */
  countryCode: string | null;
  settings: Prisma.JsonValue;
}

/**
 * The shop behind a storefront request, only while the app is installed there (a Shop row not marked
 * uninstalled): remembered for a few seconds, since every chat message and poll asks. Never creates a row, so a
 * signed request for a shop that never installed the app, or was redacted, stores nothing.
 */
export async function findInstalledShop(domain: string): Promise<InstalledShop | null> {
  const cached = installedShops.get(domain);
  if (cached && cached.until > Date.now()) return cached.shop;
  const { rows } = await pool().query<InstalledShop>(
    `SELECT id, domain, "countryCode", settings FROM "Shop" WHERE domain = $1 AND "uninstalledAt" IS NULL`,
    [domain],
  );
  const shop = rows[0] ?? null;
  if (installedShops.size >= 10_000) installedShops.delete(installedShops.keys().next().value!);
  installedShops.set(domain, { shop, until: Date.now() + INSTALLED_SHOP_TTL_MS });
  return shop;
}

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
