import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { en } from "../admin/strings/en";

/**
 * The error state of an admin page: what went wrong, in the page's frame. Responses the Shopify library throws
 * while authenticating (its bounce and exit-iframe pages) are rendered by its own boundary.
 */
export function RouteErrorBanner({ title }: { title: string }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status !== 404 && error.status < 500) return boundary.error(error);
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  return (
    <Page title={title}>
      <Banner tone="critical" title={en.common.loadError}>
        {detail}
      </Banner>
    </Page>
  );
}
