import type { ChannelMessageStatus } from "@prisma/client";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, FormLayout, IndexTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { requireAdminShop } from "../admin/require-admin-shop.server";
import { en } from "../admin/strings/en";
import { MESSAGING_CHANNELS } from "../channels/channel";
import { listOutboundLog, sendFailedMessageAgain } from "../channels/outbound-log.server";
import { channelSettingsView, saveChannelSettings, type ChannelSettingsField, type FieldErrors } from "../channels/settings.server";
import { sendTestMessage } from "../channels/test-message.server";
import { formatAgo } from "../components/format";
import { TableEmptyState } from "../components/TableEmptyState";

const strings = en.channelsPage;

const STATUS_TONES: Record<ChannelMessageStatus, "attention" | "info" | "success" | "critical"> = { pending: "attention", sent: "info", delivered: "success", failed: "critical", waiting: "info" };

const sendAgainInput = z.object({
  intent: z.literal("send-again"),
  channelMessageId: z.uuid(strings.outbound.chooseFailed),
});

const testInput = z.object({
  intent: z.literal("test"),
  channel: z.enum(MESSAGING_CHANNELS),
  to: z.string().trim().min(1, "Enter where to send the test").max(320),
});

type ActionResult =
  | { intent: "save"; ok: true; message: string }
  | { intent: "save"; ok: false; message: string; errors: FieldErrors }
  | { intent: "test"; ok: boolean; message: string }
  | { intent: "send-again"; ok: boolean; message: string };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const [view, outbound] = await Promise.all([channelSettingsView(shop), listOutboundLog(shop.id)]);
  return {
    ...view,
    now: new Date().toISOString(),
    outbound: {
      more: outbound.more,
      messages: outbound.messages.map((message) => ({ ...message, createdAt: message.createdAt.toISOString(), sentAt: message.sentAt?.toISOString() ?? null })),
    },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "send-again") {
    const parsed = sendAgainInput.safeParse(form);
    if (!parsed.success) return data<ActionResult>({ intent: "send-again", ok: false, message: strings.outbound.chooseFailed }, { status: 400 });
    const result = await sendFailedMessageAgain(shop.id, parsed.data.channelMessageId);
    return result.ok
      ? data<ActionResult>({ intent: "send-again", ok: true, message: strings.outbound.sentAgain(result.recipient) })
      : data<ActionResult>({ intent: "send-again", ok: false, message: result.message }, { status: result.status });
  }
  return data(await settingsAction(shop, form));
};

async function settingsAction(shop: { id: string; name: string | null; domain: string }, form: Record<string, FormDataEntryValue>): Promise<ActionResult> {
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
}

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
                      <FormLayout.Group>
                        {field("whatsappTemplateSid", strings.whatsappTemplateSid, { placeholder: "HX…", helpText: strings.whatsappTemplateSidHelp })}
                        {field("whatsappTemplateShopNameVariable", strings.whatsappTemplateShopNameVariable, { placeholder: "1", helpText: strings.whatsappTemplateShopNameVariableHelp })}
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
        <Layout.Section>
          <OutboundLog messages={view.outbound.messages} more={view.outbound.more} now={view.now} result={result?.intent === "send-again" ? result : null} busy={busy} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type OutboundLogRow = ReturnType<typeof useLoaderData<typeof loader>>["outbound"]["messages"][number];

/** The outbound queue as the merchant reads it: newest first, what the provider said, and a way to retry a failure. */
function OutboundLog({ messages, more, now, result, busy }: { messages: OutboundLogRow[]; more: boolean; now: string; result: { ok: boolean; message: string } | null; busy: boolean }) {
  const text = strings.outbound;
  return (
    <Card padding="0">
      <BlockStack gap="300">
        <Box padding="400">
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              {text.heading}
            </Text>
            <Text as="p" tone="subdued">
              {text.help} {more ? text.showingLatest(messages.length) : null}
            </Text>
            {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
          </BlockStack>
        </Box>
        <IndexTable
          resourceName={text.resource}
          itemCount={messages.length}
          selectable={false}
          headings={[
            { title: text.headings.time },
            { title: text.headings.channel },
            { title: text.headings.recipient },
            { title: text.headings.message },
            { title: text.headings.status },
            { title: text.headings.attempts, alignment: "end" },
            { title: text.headings.provider },
          ]}
          emptyState={<TableEmptyState title={text.emptyTitle} body={text.emptyBody} />}
        >
          {messages.map((message, index) => (
            <IndexTable.Row id={message.id} key={message.id} position={index}>
              <IndexTable.Cell>
                <span title={message.createdAt}>{formatAgo(message.createdAt, now)}</span>
              </IndexTable.Cell>
              <IndexTable.Cell>{en.channels[message.channel]}</IndexTable.Cell>
              <IndexTable.Cell>{message.conversationId ? <Link to={`/app/conversations/${message.conversationId}`}>{message.recipient}</Link> : message.recipient}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" truncate>
                  {message.body.length > 60 ? `${message.body.slice(0, 60)}…` : message.body}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="100" inlineAlign="start">
                  <Badge tone={STATUS_TONES[message.status]}>{text.statuses[message.status]}</Badge>
                  {message.status === "failed" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="send-again" />
                      <input type="hidden" name="channelMessageId" value={message.id} />
                      <Button submit size="slim" loading={busy} accessibilityLabel={`${text.sendAgain}: ${message.recipient}`}>
                        {text.sendAgain}
                      </Button>
                    </Form>
                  ) : null}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {message.attempts}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="100">
                  {message.providerStatus ? <Text as="span">{message.providerStatus}</Text> : null}
                  {message.lastError ? (
                    <Text as="span" tone="critical" breakWord>
                      {message.lastError}
                    </Text>
                  ) : null}
                </BlockStack>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}
