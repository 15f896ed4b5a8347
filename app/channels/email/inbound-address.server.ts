import type { ShopChannelSettings } from "@prisma/client";
import { config } from "../../config.server";

/**
 * The address merchants forward their support mail to, shown on the Channels page: the email provider's inbound
 * address (EMAIL_INBOUND_ADDRESS) plus-tagged with the shop's inbound token (`inbound+<token>@…`), which the
 * provider reports as MailboxHash. Null when the app has no inbound address configured.
 */
export function inboundEmailAddress(settings: Pick<ShopChannelSettings, "emailInboundToken">): string | null {
  const address = config().EMAIL_INBOUND_ADDRESS;
  if (!address) return null;
  const [local, domain] = address.split("@");
  return `${local!.split("+")[0]}+${settings.emailInboundToken}@${domain}`;
}
