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

/**
 * Whether an email addressed to the app's inbound address was meant for another shop: a recipient carries a plus-tag
 * of that address that is not this shop's token, and none is this shop's. Such mail was posted to the wrong shop's
 * webhook (one inbound server pointed at one shop's URL) and must not land in this shop's inbox.
 */
export function addressedToAnotherShop(recipients: string[], settings: Pick<ShopChannelSettings, "emailInboundToken">): boolean {
  const address = config().EMAIL_INBOUND_ADDRESS;
  const own = inboundEmailAddress(settings);
  if (!address || !own) return false;
  const [local, domain] = address.toLowerCase().split("@");
  const base = local!.split("+")[0]!;
  const tagged = recipients.filter((recipient) => recipient.endsWith(`@${domain}`) && recipient.startsWith(`${base}+`));
  return tagged.length > 0 && !tagged.includes(own.toLowerCase());
}
