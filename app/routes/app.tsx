import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { en } from "../admin/strings/en";
import { NavigationLoading } from "../components/NavigationLoading";
import { config } from "../config.server";
import { authenticate } from "../shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const settings = config();
  return {
    apiKey: settings.SHOPIFY_API_KEY,
    appBridgeUrl: settings.DEMO_MODE ? "/demo/app-bridge.js" : undefined,
  };
};

export default function AppLayout() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/conversations">Conversations</Link>
        <Link to="/app/dashboard">Dashboard</Link>
        <Link to="/app/guidance">{en.nav.guidance}</Link>
        <Link to="/app/rules">{en.nav.rules}</Link>
        <Link to="/app/knowledge">{en.nav.knowledge}</Link>
        <Link to="/app/klaviyo">Klaviyo</Link>
        <Link to="/app/channels">Channels</Link>
        <Link to="/app/events">Event delivery</Link>
      </NavMenu>
      <NavigationLoading />
      <Outlet />
    </AppProvider>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
