import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { connectionStatus, connectWithApiKey, disconnect, REQUIRED_SCOPES, startOAuth } from "../klaviyo/connection.server";
import { authenticate } from "../shopify.server";
import { requireShop } from "../shops/shops.server";

const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("connect"), apiKey: z.string().max(200) }),
  z.object({ intent: z.literal("oauth") }),
  z.object({ intent: z.literal("disconnect") }),
]);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireShop(session.shop);
  const status = await connectionStatus(shop.id);
  return { status: { ...status, connectedAt: status.connectedAt?.toISOString() ?? null }, scopes: Object.entries(REQUIRED_SCOPES) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const shop = await requireShop(session.shop);
  const parsed = intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false as const, message: "Unknown action", field: undefined };
  switch (parsed.data.intent) {
    case "connect": {
      const result = await connectWithApiKey(shop.id, parsed.data.apiKey);
      return result.ok ? { ok: true as const, message: "Klaviyo is connected.", field: undefined } : { ok: false as const, message: result.message, field: result.field };
    }
    case "oauth":
      // Klaviyo's sign-in page cannot be framed by the Shopify admin: leave the iframe.
      throw redirect(await startOAuth(shop.domain), { target: "_top" });
    case "disconnect":
      await disconnect(shop.id);
      return { ok: true as const, message: "Klaviyo is disconnected. New events wait here until you connect again.", field: undefined };
  }
};

export default function KlaviyoSettings() {
  const { status, scopes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [apiKey, setApiKey] = useState("");
  const busy = navigation.state !== "idle";
  const fieldError = result && !result.ok && result.field === "apiKey" ? result.message : undefined;

  return (
    <Page title="Klaviyo" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok ? <Banner tone="success">{result.message}</Banner> : null}
            {result && !result.ok && !result.field ? <Banner tone="critical">{result.message}</Banner> : null}
            {status.state === "needs_attention" ? (
              <Banner tone="critical" title="Klaviyo needs your attention">
                {status.statusDetail} Events are kept and delivered once you reconnect.
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {status.state === "none" ? "Connect your Klaviyo account" : `Connected to ${status.accountName ?? status.accountId}`}
                </Text>
                {status.state !== "none" ? (
                  <Text as="p" tone="subdued">
                    {status.authMethod === "oauth" ? "Connected with Klaviyo sign-in" : "Connected with a private API key"}
                    {status.connectedAt ? ` on ${new Date(status.connectedAt).toLocaleDateString()}` : ""}.
                  </Text>
                ) : null}
                <Form method="post">
                  <FormLayout>
                    <input type="hidden" name="intent" value="connect" />
                    <TextField
                      label={status.state === "none" ? "Private API key" : "Replace with another private API key"}
                      name="apiKey"
                      type="password"
                      value={apiKey}
                      onChange={setApiKey}
                      autoComplete="off"
                      placeholder="pk_…"
                      helpText="Klaviyo → Settings → API keys → Create private API key, with the scopes listed on this page."
                      error={fieldError}
                    />
                    <InlineStack gap="200">
                      <Button submit variant="primary" loading={busy}>
                        Connect
                      </Button>
                    </InlineStack>
                  </FormLayout>
                </Form>
                {status.oauthAvailable ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="oauth" />
                    <Button submit>Connect with Klaviyo</Button>
                  </Form>
                ) : null}
                {status.state !== "none" ? (
                  <Form
                    method="post"
                    onSubmit={(event) => {
                      if (!window.confirm("Disconnect Klaviyo? Events are kept and sent when you connect again.")) event.preventDefault();
                    }}
                  >
                    <input type="hidden" name="intent" value="disconnect" />
                    <Button submit tone="critical" variant="plain">
                      Disconnect
                    </Button>
                  </Form>
                ) : null}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Scopes the key needs
              </Text>
              <DataTable columnContentTypes={["text", "text"]} headings={["Scope", "Used to"]} rows={scopes} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
