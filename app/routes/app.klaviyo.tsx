import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineStack, Layout, Modal, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { requireAdminShop } from "../admin/require-admin-shop.server";
import { KlaviyoSetupCard } from "../components/KlaviyoSetupCard";
import { connectionStatus, connectWithApiKey, disconnect, KLAVIYO_SCOPES, startOAuth } from "../klaviyo/connection.server";
import { runKlaviyoSetup, setupStatus, type SetupItem } from "../klaviyo/setup.server";
import { shopSettings, updateShopSettings } from "../settings/settings.server";

const actionInput = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("connect"), apiKey: z.string() }),
  z.object({ intent: z.literal("oauth") }),
  z.object({ intent: z.literal("disconnect") }),
  z.object({ intent: z.literal("setup") }),
  z.object({
    intent: z.literal("windows"),
    recommendationWindowHours: z.coerce.number().int("whole hours").min(1, "at least 1 hour").max(720, "at most 720 hours (30 days)"),
    attributionWindowDays: z.coerce.number().int("whole days").min(1, "at least 1 day").max(90, "at most 90 days"),
  }),
]);

type ActionResult =
  | { intent: "connect" | "disconnect"; ok: boolean; message: string; field?: "apiKey" }
  | { intent: "oauth"; ok: true; authorizeUrl: string }
  | { intent: "oauth"; ok: false; message: string }
  | { intent: "setup"; ok: boolean; message: string | null; items: SetupItem[] }
  | { intent: "windows"; ok: boolean; message: string };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const [status, setup, settings] = await Promise.all([connectionStatus(shop.id), setupStatus(shop.id), shopSettings(shop.id)]);
  return {
    setup,
    windows: { recommendationWindowHours: settings.recommendationWindowHours, attributionWindowDays: settings.attributionWindowDays },
    status: { ...status, connectedAt: status.connectedAt?.toISOString() ?? null },
    scopes: KLAVIYO_SCOPES.map((info) => ({ ...info, granted: status.scopes.includes(info.scope) })),
  };
};

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shop } = await requireAdminShop(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionInput.safeParse(form);
  if (!parsed.success) {
    if (form.intent === "windows") return { intent: "windows", ok: false, message: parsed.error.issues.map((issue) => `${windowLabel(issue.path[0])}: ${issue.message}`).join("; ") };
    throw new Response("Unknown action", { status: 400 });
  }
  switch (parsed.data.intent) {
    case "connect": {
      const result = await connectWithApiKey(shop.id, parsed.data.apiKey);
      return result.ok
        ? { intent: "connect", ok: true, message: `Klaviyo is connected to ${result.connection.accountName ?? result.connection.accountId}.` }
        : { intent: "connect", ok: false, message: result.message, field: result.field };
    }
    case "oauth": {
      if (!(await connectionStatus(shop.id)).oauthAvailable) {
        return { intent: "oauth", ok: false, message: "Connecting with Klaviyo sign-in is not available: use a private API key." };
      }
      return { intent: "oauth", ok: true, authorizeUrl: await startOAuth(shop.domain) };
    }
    case "disconnect":
      await disconnect(shop.id);
      return { intent: "disconnect", ok: true, message: "Klaviyo is disconnected. New events wait in the delivery log until you connect again." };
    case "setup": {
      const result = await runKlaviyoSetup(shop.id);
      if (!result.ok) return { intent: "setup", ok: false, message: result.message, items: result.items };
      const created = result.items.filter((item) => item.state === "created").length;
      const pending = result.items.filter((item) => item.state === "waiting_for_metrics" || item.state === "failed").length;
      const message = pending > 0 ? `${created} created; ${pending} not yet: see below why, and try again later.` : created > 0 ? `${created} created in Klaviyo.` : "Everything is already in Klaviyo.";
      return { intent: "setup", ok: pending === 0, message, items: result.items };
    }
    case "windows": {
      const { intent: _intent, ...windows } = parsed.data;
      await updateShopSettings(shop.id, windows);
      return { intent: "windows", ok: true, message: "Windows saved. New recommendations and orders use them." };
    }
  }
};

function windowLabel(field: PropertyKey | undefined) {
  return field === "recommendationWindowHours" ? "No-order window" : field === "attributionWindowDays" ? "Attribution window" : "Windows";
}

/** The same text on the server and in the browser, whatever their time zones. */
function formatDate(iso: string) {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
}

export default function KlaviyoSettings() {
  const { status, scopes, setup, windows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [apiKey, setApiKey] = useState("");
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const connected = status.state !== "none";
  const fieldError = result?.intent === "connect" && !result.ok && result.field === "apiKey" ? result.message : undefined;
  const banner = result && "message" in result && !fieldError && result.intent !== "setup" ? result : null;
  const setupItems = result?.intent === "setup" ? result.items : setup;

  useEffect(() => {
    if (result?.intent === "connect" && result.ok) setApiKey("");
    // Klaviyo's sign-in page refuses to be framed by the Shopify admin: it opens in the whole window.
    if (result?.intent === "oauth" && result.ok) window.open(result.authorizeUrl, "_top");
  }, [result]);

  return (
    <Page title="Klaviyo" subtitle="Send conversation events to your Klaviyo account" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {banner ? <Banner tone={banner.ok ? "success" : "critical"}>{banner.message}</Banner> : null}
            {status.state === "needs_attention" ? (
              <Banner tone="critical" title="Klaviyo needs your attention">
                <p>{status.statusDetail} Events are kept and delivered once you reconnect.</p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="400">
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {connected ? `Connected to ${status.accountName ?? status.accountId}` : "Connect your Klaviyo account"}
                    </Text>
                    {status.state === "connected" ? <Badge tone="success">Connected</Badge> : null}
                    {status.state === "needs_attention" ? <Badge tone="critical">Needs attention</Badge> : null}
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {connected
                      ? `${status.authMethod === "oauth" ? "Connected with Klaviyo sign-in" : "Connected with a private API key"}${status.connectedAt ? ` on ${formatDate(status.connectedAt)}` : ""}. Account ID ${status.accountId}.`
                      : "Paste a private API key, or sign in with Klaviyo. Events recorded before you connect are sent once you do."}
                  </Text>
                </BlockStack>
                <Form method="post">
                  <input type="hidden" name="intent" value="connect" />
                  <FormLayout>
                    <TextField
                      label={connected ? "Replace with another private API key" : "Private API key"}
                      name="apiKey"
                      type="password"
                      value={apiKey}
                      onChange={setApiKey}
                      autoComplete="off"
                      placeholder="pk_…"
                      helpText="Klaviyo → Settings → API keys → Create Private API Key, with Full Access or the scopes listed on this page."
                      error={fieldError}
                    />
                    <InlineStack gap="200">
                      <Button submit variant="primary" loading={submitting === "connect"}>
                        Connect
                      </Button>
                    </InlineStack>
                  </FormLayout>
                </Form>
                {status.oauthAvailable ? (
                  <>
                    <Divider />
                    <Form method="post">
                      <input type="hidden" name="intent" value="oauth" />
                      <InlineStack gap="200" blockAlign="center">
                        <Button submit loading={submitting === "oauth"}>
                          Connect with Klaviyo
                        </Button>
                        <Text as="span" tone="subdued">
                          Sign in to Klaviyo and approve access, no key to copy.
                        </Text>
                      </InlineStack>
                    </Form>
                  </>
                ) : null}
                {connected ? (
                  <>
                    <Divider />
                    <InlineStack>
                      <Button tone="critical" variant="plain" onClick={() => setConfirmingDisconnect(true)}>
                        Disconnect Klaviyo
                      </Button>
                    </InlineStack>
                  </>
                ) : null}
              </BlockStack>
            </Card>
            <KlaviyoSetupCard
              items={setupItems}
              connected={status.state === "connected"}
              windows={windows}
              result={result?.intent === "setup" ? result : null}
              busy={submitting === "setup" || submitting === "windows" ? submitting : null}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Permissions the app uses
              </Text>
              {scopes.map((info) => (
                <Box key={info.scope}>
                  <BlockStack gap="050">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">
                        {info.scope}
                      </Text>
                      {connected ? (
                        info.granted ? (
                          <Badge tone="success">Granted</Badge>
                        ) : info.required ? (
                          <Badge tone="critical">Missing</Badge>
                        ) : (
                          <Badge>Not granted</Badge>
                        )
                      ) : info.required ? null : (
                        <Badge>Optional</Badge>
                      )}
                    </InlineStack>
                    <Text as="p" variant="bodySm" tone="subdued">
                      To {info.purpose}. In Klaviyo: {info.klaviyoAccess}.
                    </Text>
                  </BlockStack>
                </Box>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirmingDisconnect}
        onClose={() => setConfirmingDisconnect(false)}
        title="Disconnect Klaviyo?"
        primaryAction={{
          content: "Disconnect",
          destructive: true,
          loading: submitting === "disconnect",
          onAction: () => {
            submit({ intent: "disconnect" }, { method: "post" });
            setConfirmingDisconnect(false);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingDisconnect(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            The app stops sending events to {status.accountName ?? "this Klaviyo account"}. Events recorded meanwhile are kept and sent when you connect
            again.
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
