import { useNavigation } from "@remix-run/react";
import { useEffect } from "react";

interface AppBridgeGlobal {
  loading?(on: boolean): void;
}

/**
 * The loading state of every admin page: while a page loads or a form saves, Shopify's admin shows its own loading
 * bar (App Bridge's `shopify.loading`), as merchants see it for Shopify's pages.
 */
export function NavigationLoading() {
  const busy = useNavigation().state !== "idle";
  useEffect(() => {
    (window as unknown as { shopify?: AppBridgeGlobal }).shopify?.loading?.(busy);
  }, [busy]);
  return null;
}
