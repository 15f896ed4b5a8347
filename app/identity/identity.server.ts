import type { Shopper, ShopperIdentifierKind, ShopperIdentifierSource } from "@prisma/client";
import { createHash } from "node:crypto";
import { z } from "zod";
import { detectContactDetails, normalizeEmail, normalizePhone } from "./normalize";

export const consentInput = z
  .object({ analytics: z.boolean().nullish(), marketing: z.boolean().nullish() })
  .partial()
  .default({});

/** What one message says about who sent it. Every field is optional: each channel knows different things. */
export interface ShopperClaims {
  /** The storefront widget's id for this browser; email, SMS and WhatsApp shoppers have none. */
  anonymousId?: string | null;
  /** From the app proxy's signed `logged_in_customer_id`, never from the request body. */
  shopifyCustomerId?: string | null;
  /** Declared by the storefront (`CustomerAgent.identify()`): unverified. */
  email?: string | null;
  phone?: string | null;
  /** Klaviyo's exchange id, read by the widget from the `__kla_id` cookie (widget/src/api.ts `klaviyoExchangeId`). */
  klaviyoExchangeId?: string | null;
  /** The sender of an email, SMS or WhatsApp message as the channel's provider reported it: verified. */
  sender?: { email?: string | null; phone?: string | null };
  consent?: z.infer<typeof consentInput>;
}

export interface ClaimedIdentifier {
  kind: ShopperIdentifierKind;
  value: string;
  verified: boolean;
  source: ShopperIdentifierSource;
  /** May find the shopper: the browser's own id or an identifier a trusted party vouched for. */
  key: boolean;
}

/** The identifiers of one message, and the best value of each kind for the Shopper row. */
export interface ResolvedClaims {
  /** Keys first, in the order they decide which shopper this is; no kind and value twice. */
  identifiers: ClaimedIdentifier[];
  best: { anonymousId: string | null; shopifyCustomerId: string | null; email: string | null; phone: string | null; klaviyoExchangeId: string | null };
  /** The id a new shopper gets: derived from the deciding key, so two first messages racing meet on one row. */
  newShopperId: string;
}

export class UnidentifiedShopperError extends Error {
  override name = "UnidentifiedShopperError";
}

/**
 * Turns a message's claims into identifiers: the anonymous id, the signed customer id and a channel's sender are
 * keys (they find the shopper); an email or phone declared by the widget or typed in the message (`text`,
 * phones read in the shop's country) is attached unverified and never decides who the shopper is, so typing
 * someone's address cannot make you them. The anonymous id decides first, so a conversation stays with the
 * browser that started it when its shopper logs in.
 */
export function resolveClaims(shopId: string, claims: ShopperClaims, text?: string, defaultCountry?: string | null): ResolvedClaims {
  const typed = text ? detectContactDetails(text, defaultCountry) : { email: null, phone: null };
  const senderEmail = normalizeEmail(claims.sender?.email);
  const senderPhone = normalizePhone(claims.sender?.phone, defaultCountry);
  const declaredEmail = normalizeEmail(claims.email);
  const declaredPhone = normalizePhone(claims.phone, defaultCountry);
  const anonymousId = claims.anonymousId?.trim() || null;
  const shopifyCustomerId = claims.shopifyCustomerId?.trim() || null;
  const klaviyoExchangeId = claims.klaviyoExchangeId?.trim() || null;

  const candidates: Array<Omit<ClaimedIdentifier, "value"> & { value: string | null }> = [
    { kind: "anonymous", value: anonymousId, verified: false, source: "storefront", key: true },
    { kind: "shopify_customer", value: shopifyCustomerId, verified: true, source: "app_proxy", key: true },
    { kind: "email", value: senderEmail, verified: true, source: "channel", key: true },
    { kind: "phone", value: senderPhone, verified: true, source: "channel", key: true },
    { kind: "email", value: declaredEmail, verified: false, source: "storefront", key: false },
    { kind: "phone", value: declaredPhone, verified: false, source: "storefront", key: false },
    { kind: "klaviyo_exchange", value: klaviyoExchangeId, verified: false, source: "storefront", key: false },
    { kind: "email", value: typed.email, verified: false, source: "chat", key: false },
    { kind: "phone", value: typed.phone, verified: false, source: "chat", key: false },
  ];
  const identifiers: ClaimedIdentifier[] = [];
  for (const candidate of candidates) {
    if (candidate.value === null) continue;
    if (identifiers.some((known) => known.kind === candidate.kind && known.value === candidate.value)) continue;
    identifiers.push({ ...candidate, value: candidate.value });
  }
  const deciding = identifiers.find((identifier) => identifier.key);
  if (!deciding) throw new UnidentifiedShopperError("A shopper message needs an anonymous id, a signed customer or a channel sender");
  return {
    identifiers,
    best: {
      anonymousId,
      shopifyCustomerId,
      email: senderEmail ?? declaredEmail ?? typed.email,
      phone: senderPhone ?? declaredPhone ?? typed.phone,
      klaviyoExchangeId,
    },
    newShopperId: derivedShopperId(shopId, deciding),
  };
}

function derivedShopperId(shopId: string, key: Pick<ClaimedIdentifier, "kind" | "value">): string {
  const hex = createHash("sha256").update(`${shopId}\u0000${key.kind}\u0000${key.value}`).digest("hex");
  // Shaped as a version-8 (custom) UUID, like the random ids of the other shoppers.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
