import type { Shopper } from "@prisma/client";
import type { ShopperIdentity } from "../klaviyo/events";

/** The identifiers Klaviyo knows a shopper by, as the event and profile builders take them. */
export function shopperIdentity(shopper: Shopper): ShopperIdentity {
  return {
    anonymousId: shopper.anonymousId,
    email: shopper.email,
    phone: shopper.phone,
    shopifyCustomerId: shopper.shopifyCustomerId,
    klaviyoExchangeId: shopper.klaviyoExchangeId,
  };
}
