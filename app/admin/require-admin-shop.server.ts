import { authenticate } from "../shopify.server";
import { annotateRequest } from "../operations/request-context.server";
import { requireShop } from "../shops/shops.server";

/**
 * Every admin page's first step: Shopify's session-token authentication (which answers the redirect or 401
 * itself when the token is missing or stale), then the shop's row, created on first sight.
 */
export async function requireAdminShop(request: Request) {
  const context = await authenticate.admin(request);
  annotateRequest({ shop: context.session.shop });
  const shop = await requireShop(context.session.shop);
  return { ...context, shop };
}
