import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { requireAdminShop } from "../admin/require-admin-shop.server";
import { en } from "../admin/strings/en";
import { MESSAGING_CHANNELS } from "../channels/channel";
import { channelSettingsView, saveChannelSettings, type ChannelSettingsField, type FieldErrors } from "../channels/settings.server";
import { sendTestMessage } from "../channels/test-message.server";

const strings = en.channelsPage;

const testInput = z.object({
  intent: z.literal("test"),
  channel: z.enum(MESSAGING_CHANNELS),
  to: z.string().trim().min(1, "Enter where to send the test").max(320),
});

type ActionResult =
  | { intent: "save"; ok: true; message: string }
  | { intent: "save"; ok: false; message: string; errors: FieldErrors }
  | { intent: "test"; ok: boolean; message: string };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return channelSettingsView(shop);
};

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shop } = await requireAdminShop(request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "test") {
    const parsed = testInput.safeParse(form);
    if (!parsed.success) return { intent: "test", ok: false, message: parsed.error.issues.map((issue) => issue.message).join("; ") };
    const result = await sendTestMessage(shop, parsed.data.channel, parsed.data.to);
    return result.ok
      ? { intent: "test", ok: true, message: strings.testSent(parsed.data.channel, parsed.data.to) }
      : { intent: "test", ok: false, message: strings.testFailed(parsed.data.channel, result.message) };
  }
  if (form.intent !== "save") throw new Response("Unknown action", { status: 400 });
  const result = await saveChannelSettings(shop.id, form);
  return result.ok ? { intent: "save", ok: true, message: strings.saved } : { intent: "save", ok: false, message: strings.fixErrors, errors: result.errors };
};

export default function ChannelsPage() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [values, setValues] = useState(view.values);
  const [testChannel, setTestChannel] = useState<string>("sms");
  const [testTo, setTestTo] = useState("");
  const errors: FieldErrors = result?.intent === "save" && !result.ok ? result.errors : {};
  const field = (name: ChannelSettingsField, label: string, extra: { type?: "password" | "text" | "number"; helpText?: string; placeholder?: string } = {}) => (
    <TextField
      label={label}
      name={name}
      value={values[name]}
      onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
      autoComplete="off"
      error={errors[name]}
      {...extra}
    />
  );

  return (
    <Page title={strings.title}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p">{strings.intro}</Text>
            {result?.intent === "save" ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
            <Form method="post">
              <input type="hidden" name="intent" value="save" />
              <BlockStack gap="400">
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {strings.twilioHeading}
                    </Text>
                    <Text as="p" tone="subdued">
                      {strings.twilioHelp}
                    </Text>
                    <FormLayout>
                      {field("twilioAccountSid", strings.accountSid, { placeholder: "AC…" })}
                      {field("twilioAuthToken", strings.authToken, { type: "password", helpText: view.hasTwilioAuthToken ? strings.authTokenStored : strings.authTokenMissing })}
                      <FormLayout.Group>
                        {field("smsNumber", strings.smsNumber, { helpText: strings.numberHelp })}
                        {field("whatsappNumber", strings.whatsappNumber, { helpText: strings.numberHelp })}
                      </FormLayout.Group>
                      <TextField label={strings.webhookUrl} value={view.twilioWebhookUrl} readOnly autoComplete="off" />
                      <Text as="p" tone="subdued">
                        {strings.statusCallbackUrl}: {view.twilioStatusCallbackUrl}
                      </Text>
                    </FormLayout>
                  </BlockStack>
                </Card>
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {strings.emailHeading}
                    </Text>
                    <Text as="p" tone="subdued">
                      {strings.emailHelp}
                    </Text>
                    <FormLayout>
                      <TextField label={strings.inboundWebhookUrl} value={view.inboundEmailWebhookUrl ?? strings.inboundWebhookPending} helpText={strings.inboundWebhookHelp} readOnly autoComplete="off" />
                      {view.inboundEmailAddress ? <TextField label={strings.inboundAddress} value={view.inboundEmailAddress} readOnly autoComplete="off" /> : null}
                      {field("emailFromAddress", strings.fromAddress, { placeholder: "help@yourstore.com" })}
                      <FormLayout.Group>
                        {field("smtpHost", strings.smtpHost)}
                        {field("smtpPort", strings.smtpPort, { type: "number", placeholder: "587" })}
                      </FormLayout.Group>
                      <FormLayout.Group>
                        {field("smtpUser", strings.smtpUser)}
                        {field("smtpPassword", strings.smtpPassword, { type: "password", helpText: view.hasSmtpPassword ? strings.authTokenStored : strings.authTokenMissing })}
                      </FormLayout.Group>
                    </FormLayout>
                  </BlockStack>
                </Card>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={busy}>
                    {strings.save}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="test" />
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {strings.testHeading}
                </Text>
                {result?.intent === "test" ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
                <Select
                  label={strings.testChannel}
                  name="channel"
                  options={MESSAGING_CHANNELS.map((channel) => ({ label: en.channels[channel], value: channel }))}
                  value={testChannel}
                  onChange={setTestChannel}
                />
                <TextField label={strings.testTo} name="to" value={testTo} onChange={setTestTo} helpText={strings.testToHelp} autoComplete="off" />
                <Button submit loading={busy}>
                  {strings.sendTest(testChannel as (typeof MESSAGING_CHANNELS)[number])}
                </Button>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
