import type { Shopper } from "@prisma/client";
import { z } from "zod";
import type { Transaction } from "../db.server";

export const consentInput = z
  .object({ analytics: z.boolean().nullish(), marketing: z.boolean().nullish() })
  .partial()
  .default({});

export interface ShopperClaims {
  anonymousId: string;
  /** From the app proxy's signed `logged_in_customer_id`, never from the request body. */
  shopifyCustomerId?: string | null;
  email?: string | null;
  phone?: string | null;
  klaviyoExchangeId?: string | null;
  consent?: z.infer<typeof consentInput>;
}

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed && z.email().safeParse(trimmed).success ? trimmed : null;
}

/** E.164 or nothing: Klaviyo rejects a profile whose phone_number is not E.164. */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const compact = phone.replace(/[\s().-]/g, "");
  const withPlus = compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
  return /^\+[1-9]\d{7,14}$/.test(withPlus) ? withPlus : null;
}

/**
 * Finds or creates the shopper behind an anonymous storefront id and adds every identifier learnt since.
 * Identifiers are only ever added or replaced by newer ones, never cleared by a request that lacks them.
 */
export async function linkShopper(tx: Transaction, shopId: string, claims: ShopperClaims): Promise<Shopper> {
  const identifiers = {
    ...(claims.shopifyCustomerId ? { shopifyCustomerId: claims.shopifyCustomerId } : {}),
    ...(normalizeEmail(claims.email) ? { email: normalizeEmail(claims.email) } : {}),
    ...(normalizePhone(claims.phone) ? { phone: normalizePhone(claims.phone) } : {}),
    ...(claims.klaviyoExchangeId ? { klaviyoExchangeId: claims.klaviyoExchangeId } : {}),
    ...(claims.consent?.analytics != null ? { analyticsConsent: claims.consent.analytics } : {}),
    ...(claims.consent?.marketing != null ? { marketingConsent: claims.consent.marketing } : {}),
  };
  return tx.shopper.upsert({
    where: { shopId_anonymousId: { shopId, anonymousId: claims.anonymousId } },
    create: { shopId, anonymousId: claims.anonymousId, ...identifiers },
    update: identifiers,
  });
}

/**
 * Identifiers reach Klaviyo only when consent is known to allow it. Shopify's Customer Privacy API answers `true`
 * where the shopper's region needs no consent and `false` where it does and the shopper has not agreed (or
 * declined), so an explicit `true` for both is the only "yes"; `null` (the API had not loaded, the store has none)
 * is not permission. Events held back for lack of consent are not queued for later.
 */
export function mayShareWithKlaviyo(shopper: Pick<Shopper, "analyticsConsent" | "marketingConsent">): boolean {
  return shopper.analyticsConsent === true && shopper.marketingConsent === true;
}
