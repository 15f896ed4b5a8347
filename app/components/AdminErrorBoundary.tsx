import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { adminStrings } from "../admin/strings";

/**
 * Every admin page's error state (export it as the route's ErrorBoundary): a 404 the loader threw says what was not
 * found; anything else says so without internals, inside the admin's frame, so the navigation still works.
 */
export function AdminErrorBoundary() {
  const error = useRouteError();
  const text = adminStrings().common;
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Page title={notFound ? text.notFoundTitle : text.errorTitle} backAction={{ content: text.back, url: "/app" }}>
      <Banner tone="critical" title={notFound ? text.notFoundTitle : text.errorTitle}>
        <p>{notFound ? (typeof error.data === "string" && error.data ? error.data : text.notFoundBody) : text.errorBody}</p>
      </Banner>
    </Page>
  );
}
