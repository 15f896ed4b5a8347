import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Sends every request the Shopify library makes to `https://<shop>/admin/...` to another origin instead: the local
 * fake Admin API in the demo and tests. Uses the library's own runtime fetch hook, so nothing else changes.
 */
export function routeAdminApiTo(origin: string) {
  const target = new URL(origin);
  const upstream = abstractFetch;
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith("/admin/") && url.host !== target.host) {
      const rewritten = new URL(url.pathname + url.search, target);
      rewritten.searchParams.set("shop", url.hostname);
      return upstream(rewritten.toString(), init);
    }
    return upstream(input, init);
  });
}
