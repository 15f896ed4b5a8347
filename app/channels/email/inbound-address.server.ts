import type { ShopChannelSettings } from "@prisma/client";

/**
 * EMAIL CHANNEL HOOK: the address merchants forward their support mail to, shown on the Channels page. The email
 * channel fills this in (e.g. `inbound+<emailInboundToken>@<the inbound provider's domain>`, the token routing the
 * mail to the shop); null until then.
 */
export function inboundEmailAddress(_settings: Pick<ShopChannelSettings, "emailInboundToken">): string | null {
  return null;
}
