import "../../../test/support/engine-database";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { deliverInboundWebhook, postmarkInboundPayload, type InboundEmailInput } from "../../../fakes/postmark/inbound";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../../fakes/klaviyo/server";
import { startFakeSmtp, type CaughtEmail, type FakeSmtp } from "../../../fakes/smtp/server";
import { probe, startAppProcess, type AppProcess } from "../../../test/support/app-process";
import { DEMO_TEST_SHOPS } from "../../../test/support/constants";
import { eventually } from "../../../test/support/eventually";
import { adminDocumentRequest, adminFetchRequest, createDemoShop, send, webhookRequest, type TestShop } from "../../../test/support/shopify";
import { syncCatalog } from "../../catalog/sync.server";
import { encryptSecret } from "../../crypto.server";
import { db } from "../../db.server";
import { emailWebhookCredentials, emailWebhookPath } from "./webhook-credentials.server";

/**
 * The email channel end to end, over HTTP: a Postmark-shaped inbound webhook into an app instance of this file's
 * own (its own database, so its workers alone send this shop's mail and events), replies caught by the fake SMTP
 * server, events read off the fake Klaviyo.
 */
const SMTP_USER = "store-mailer";
const SMTP_PASSWORD = `pw-${randomBytes(8).toString("hex")}`;
const FROM = "help@email-channel-test.example";
const INBOUND = "inbound@inbound.customer-agent.example";
let app: AppProcess;
let klaviyo: FakeKlaviyo;
let smtp: FakeSmtp;
let shop: TestShop;
let accountId: string;
let inboundToken: string;

beforeAll(async () => {
  [klaviyo, smtp] = await Promise.all([startFakeKlaviyo(), startFakeSmtp({ users: { [SMTP_USER]: SMTP_PASSWORD } })]);
  shop = await createDemoShop(DEMO_TEST_SHOPS.emailChannel);
  await syncCatalog(shop.domain);
  const apiKey = `pk_${randomBytes(12).toString("hex")}`;
  accountId = klaviyo.addAccount({ apiKey, accountId: `ACC${randomBytes(4).toString("hex")}` });
  await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] } });
  inboundToken = randomBytes(12).toString("hex");
  await db().shopChannelSettings.create({
    data: {
      shopId: shop.id,
      emailInboundToken: inboundToken,
      emailFromAddress: FROM,
      smtpHost: smtp.host,
      smtpPort: smtp.port,
      smtpUser: SMTP_USER,
      encryptedSmtpPassword: encryptSecret(SMTP_PASSWORD),
    },
  });
  app = await startAppProcess({
    DATABASE_URL: process.env.DATABASE_URL!,
    KLAVIYO_API_URL: klaviyo.url,
    SHOPIFY_ADMIN_API_ORIGIN: inject("fakeShopifyUrl"),
    EMAIL_INBOUND_ADDRESS: INBOUND,
  });
  await eventually(async () => (await probe(`${app.url}/readyz`)).status === 200, 90_000);
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await Promise.all([klaviyo?.close(), smtp?.close()]);
});

function webhookUrl(credentials = emailWebhookCredentials(inboundToken)) {
  const url = new URL(emailWebhookPath(shop.domain), app.url);
  url.username = credentials.username;
  url.password = credentials.password;
  return url.toString();
}

async function email(input: Omit<InboundEmailInput, "to"> & { to?: string }, url = webhookUrl()) {
  const payload = postmarkInboundPayload({ to: "support@email-channel-test.example", ...input });
  const response = await deliverInboundWebhook(url, payload);
  return { response, messageId: payload.Headers.find((header) => header.Name === "Message-ID")!.Value };
}

/** An admin request prepared for the shared app (Shopify's test helpers sign for it), sent to this file's instance. */
async function toInstance(request: Request): Promise<Response> {
  const url = new URL(request.url);
  return send(new Request(new URL(url.pathname + url.search, app.url), { method: request.method, headers: request.headers, ...(request.method === "GET" ? {} : { body: await request.text() }) }));
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});

const mailTo = (address: string) => smtp.messages().filter((mail) => mail.to.includes(address));
const eventsFor = (address: string) => klaviyo.events(accountId).filter((event) => event.profile.email === address);

describe("the email channel", () => {
  it("answers a shopper's email with a threaded reply with product links, and Klaviyo hears about it with the email on the profile", async () => {
    const shopper = `ada.${randomUUID().slice(0, 8)}@example.org`;
    const first = await email({ from: shopper, fromName: "Ada", subject: "Tents", text: "do you have tents for two?\n\nSent from my iPhone" });
    expect(first.response.status).toBe(200);
    expect(await first.response.json()).toMatchObject({ outcome: "answered" });

    const [reply] = await eventually(async () => (mailTo(shopper).length ? mailTo(shopper) : null));
    expect(reply).toMatchObject({ authenticatedAs: SMTP_USER, from: FROM, subject: "Re: Tents", inReplyTo: first.messageId, references: [first.messageId] });
    expect(reply!.messageId).toMatch(/^<ca\.[^@]+@email-channel-test\.example>$/);
    expect(reply!.headers["auto-submitted"]).toBe("auto-replied");
    expect(reply!.text).toMatch(/\/products\//);
    expect(reply!.html).toMatch(/<a href="https?:\/\/[^"]+\/products\/[^"]+"/);
    expect(reply!.html).toMatch(/<img src="https?:\/\//);

    const conversation = await db().conversation.findFirstOrThrow({ where: { shopId: shop.id, shopper: { email: shopper } }, include: { messages: { orderBy: { createdAt: "asc" } } } });
    expect(conversation.channel).toBe("email");
    // Signatures such as "Sent from my iPhone" are not part of what the shopper said.
    expect(conversation.messages[0]!.body).toBe("do you have tents for two?");

    const events = await eventually(async () => {
      const found = eventsFor(shopper);
      return found.some((event) => event.metric === "Received Product Recommendation") && found.some((event) => event.metric === "Started Conversation") ? found : null;
    });
    const started = events.find((event) => event.metric === "Started Conversation")!;
    expect(started.properties).toMatchObject({ Channel: "email", "Conversation ID": conversation.id, "First Message": "do you have tents for two?" });
    expect(events.find((event) => event.metric === "Received Product Recommendation")!.properties).toMatchObject({ Channel: "email", "Conversation ID": conversation.id });

    // The shopper answers our email, quoting it: the same conversation continues, and our answer threads under theirs.
    const second = await email({
      from: shopper,
      subject: "Re: Tents",
      text: `Which one is the lightest?\n\nOn Thu, Dec 3, 2026 at 10:00 AM Store <${FROM}> wrote:\n> ${reply!.text!.split("\n")[0]}`,
      inReplyTo: reply!.messageId!,
      references: [first.messageId, reply!.messageId!],
    });
    expect(await second.response.json()).toMatchObject({ outcome: "answered", conversationId: conversation.id, threaded: true });
    const answers = await eventually(async () => (mailTo(shopper).length >= 2 ? mailTo(shopper) : null));
    expect(answers[1]).toMatchObject({ subject: "Re: Tents", inReplyTo: second.messageId, references: [first.messageId, reply!.messageId, second.messageId] });
    const messages = await db().message.findMany({ where: { conversationId: conversation.id, author: "shopper" }, orderBy: { createdAt: "asc" } });
    expect(messages.map((message) => message.body)).toEqual(["do you have tents for two?", "Which one is the lightest?"]);
    expect(eventsFor(shopper).filter((event) => event.metric === "Started Conversation")).toHaveLength(1);

    // A retried webhook delivery of the same email is recognised: nothing is stored or sent twice.
    const retried = await deliverInboundWebhook(webhookUrl(), postmarkInboundPayload({ from: shopper, to: "support@email-channel-test.example", subject: "Re: Tents", text: "Which one is the lightest?", messageId: second.messageId }));
    expect(await retried.json()).toEqual({ outcome: "ignored", reason: "duplicate" });
    expect(await db().message.count({ where: { conversationId: conversation.id, author: "shopper" } })).toBe(2);
  });

  it("reads an email sent as HTML only, without its quoted part", async () => {
    const shopper = `html.${randomUUID().slice(0, 8)}@example.org`;
    const { response } = await email({ from: shopper, subject: "Sizes", text: "", html: "<div dir=\"ltr\">Do you have <b>rain jackets</b> in medium?</div><blockquote>Earlier mail</blockquote>" });
    const { conversationId } = (await response.json()) as { conversationId: string };
    const [message] = await db().message.findMany({ where: { conversationId, author: "shopper" } });
    expect(message!.body).toBe("Do you have rain jackets in medium?");

    // An email with nothing written in it (an attachment alone) gets no conversation.
    const empty = await email({ from: `empty.${randomUUID().slice(0, 8)}@example.org`, subject: "", text: "\n\n" });
    expect(await empty.response.json()).toEqual({ outcome: "ignored", reason: "empty" });
  });

  it("ignores an auto-reply: no conversation, no answer, no loop", async () => {
    const away = `away.${randomUUID().slice(0, 8)}@example.org`;
    const { response } = await email({ from: away, subject: "Out of office", text: "I am away until Monday.", headers: [{ Name: "Auto-Submitted", Value: "auto-replied" }] });
    expect(await response.json()).toEqual({ outcome: "ignored", reason: "auto-submitted" });

    // An out-of-office answer to one of our replies, threaded under it, does not continue that conversation either.
    const shopper = `sam.${randomUUID().slice(0, 8)}@example.org`;
    await email({ from: shopper, subject: "Hello", text: "Do you ship to Canada?" });
    const [ours] = await eventually(async () => (mailTo(shopper).length ? mailTo(shopper) : null));
    const outOfOffice = await email({
      from: shopper,
      subject: "Automatic reply: Re: Hello",
      text: "I am away.",
      inReplyTo: ours!.messageId!,
      headers: [{ Name: "X-Autoreply", Value: "yes" }],
    });
    expect(await outOfOffice.response.json()).toEqual({ outcome: "ignored", reason: "autoreply-header" });
    // Our own reply coming back (a forwarding loop) and a bounce are ignored too.
    expect(await (await email({ from: FROM, subject: "Re: Hello", text: "loop" })).response.json()).toEqual({ outcome: "ignored", reason: "own-address" });
    expect(await (await email({ from: "MAILER-DAEMON@mx.example.org", subject: "Undelivered", text: "bounce" })).response.json()).toEqual({ outcome: "ignored", reason: "mailer-daemon" });

    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await db().shopper.count({ where: { shopId: shop.id, email: { in: [away, "mailer-daemon@mx.example.org", FROM] } } })).toBe(0);
    expect(mailTo(away)).toHaveLength(0);
    expect(mailTo(shopper)).toHaveLength(1);
    expect(await db().message.count({ where: { conversation: { shopId: shop.id, shopper: { email: shopper } }, author: "shopper" } })).toBe(1);
  });

  it("answers a sender who writes faster than a person with 429, which Postmark retries later", async () => {
    const flood = `flood.${randomUUID().slice(0, 8)}@example.org`;
    // 41 at once: even split across two minute windows, one window sees more than the 20 a shopper may send.
    const statuses = await Promise.all(Array.from({ length: 41 }, (_, index) => email({ from: flood, subject: `Question ${index}`, text: `Question ${index}?` }).then(({ response }) => response)));
    const refused = statuses.filter((response) => response.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(statuses.every((response) => response.status === 200 || response.status === 429)).toBe(true);
  });

  it("retries a reply the mail server turns away for now, and fails one it refuses for good with the server's answer", async () => {
    const later = `later.${randomUUID().slice(0, 8)}@example.org`;
    // Earlier tests' replies are out first, so the refusal meets this test's email.
    await eventually(async () => (await db().channelMessage.count({ where: { shopId: shop.id, status: "pending" } })) === 0);
    smtp.failNext({ code: 451, message: "Try again later" });
    await email({ from: later, subject: "Hello", text: "Do you ship to Canada?" });
    const sent = await eventually(async () => db().channelMessage.findFirst({ where: { shopId: shop.id, recipient: later, status: "sent" } }));
    expect(sent.attempts).toBe(2);
    expect(mailTo(later)).toHaveLength(1);

    const refused = `refused.${randomUUID().slice(0, 8)}@example.org`;
    smtp.failNext({ code: 550, message: "Mailbox unavailable" });
    await email({ from: refused, subject: "Hello", text: "Do you ship to Canada?" });
    const failed = await eventually(async () => db().channelMessage.findFirst({ where: { shopId: shop.id, recipient: refused, status: "failed" } }));
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain("550 Mailbox unavailable");
    expect(mailTo(refused)).toHaveLength(0);
  });

  it("rejects wrong or missing Basic credentials with 401, and another shop's mail with 403, storing nothing", async () => {
    const stranger = `eve.${randomUUID().slice(0, 8)}@example.org`;
    const wrong = await email({ from: stranger, subject: "Hi", text: "hello" }, webhookUrl({ username: inboundToken, password: "guessed" }));
    expect(wrong.response.status).toBe(401);
    expect(wrong.response.headers.get("www-authenticate")).toMatch(/^Basic /);
    const otherShops = await email({ from: stranger, subject: "Hi", text: "hello" }, webhookUrl(emailWebhookCredentials(randomBytes(12).toString("hex"))));
    expect(otherShops.response.status).toBe(401);
    const none = await fetch(new URL(emailWebhookPath(shop.domain), app.url), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(postmarkInboundPayload({ from: stranger, to: FROM, subject: "Hi", text: "hello" })) });
    expect(none.status).toBe(401);

    // Mail for another shop's inbound address posted to this shop's webhook (a misconfigured inbound server) is refused too.
    const misrouted = await email({ from: stranger, to: `inbound+${randomBytes(12).toString("hex")}@inbound.customer-agent.example`, subject: "Hi", text: "hello" });
    expect(misrouted.response.status).toBe(403);
    expect(await db().shopper.count({ where: { shopId: shop.id, email: stranger } })).toBe(0);
    const mine = await email({ from: stranger, to: `inbound+${inboundToken}@inbound.customer-agent.example`, subject: "Hi", text: "hello" });
    expect(mine.response.status).toBe(200);
    expect(await db().emailThreadMessage.count({ where: { shopId: shop.id, rfcMessageId: { in: [wrong.messageId, otherShops.messageId, misrouted.messageId] } } })).toBe(0);
  });

  it("shows the shop's webhook URL on the Channels page and sends its test email through the shop's SMTP server", async () => {
    const page = await toInstance(await adminDocumentRequest("/app/channels", shop));
    const html = (await page.text()).replaceAll("&amp;", "&");
    const url = new URL(emailWebhookPath(shop.domain), app.url);
    url.username = inboundToken;
    url.password = emailWebhookCredentials(inboundToken).password;
    expect(html).toContain(url.toString());
    expect(html).toContain(`inbound+${inboundToken}@inbound.customer-agent.example`);

    const to = `owner.${randomUUID().slice(0, 8)}@example.org`;
    const tested = await toInstance(await adminFetchRequest("/app/channels", shop, form({ intent: "test", channel: "email", to })));
    expect(tested.status).toBe(200);
    const [mail] = await eventually(async () => (mailTo(to).length ? mailTo(to) : null));
    expect(mail).toMatchObject({ from: FROM, authenticatedAs: SMTP_USER });
    expect(mail!.text).toContain("this channel works");

    // A refusal is shown with the server's own answer.
    smtp.failNext({ code: 554, message: "Sender address rejected" });
    const refused = await toInstance(await adminFetchRequest("/app/channels", shop, form({ intent: "test", channel: "email", to })));
    expect(await refused.text()).toContain("554 Sender address rejected");
  });

  it("hands a customer's email threads over on a data request and erases them on redaction", async () => {
    const shopper = `kim.${randomUUID().slice(0, 8)}@example.org`;
    const subject = `Parcel ${randomUUID().slice(0, 8)}`;
    const first = await email({ from: shopper, subject, text: "Where is my parcel?" });
    await eventually(async () => (mailTo(shopper).length ? true : null));
    const customer = { id: Number(`77${Date.now() % 1_000_000}`), email: shopper, phone: null };

    const deliver = async (topic: string, payload: Record<string, unknown>) => {
      const webhookId = randomUUID();
      expect((await toInstance(await webhookRequest({ shop, topic, payload, webhookId }))).status).toBe(200);
      return eventually(async () => {
        const delivery = await db().webhookDelivery.findFirst({ where: { webhookId, status: "processed" } });
        return delivery ?? null;
      });
    };
    const report = await deliver("customers/data_request", { shop_domain: shop.domain, customer, orders_requested: [], data_request: { id: 1 } });
    expect(JSON.stringify(report.result)).toContain(subject);
    expect(JSON.stringify(report.result)).toContain(first.messageId);

    await deliver("customers/redact", { shop_domain: shop.domain, customer, orders_to_redact: [] });
    expect(await db().emailThreadMessage.count({ where: { shopId: shop.id, OR: [{ subject: { contains: subject } }, { rfcMessageId: first.messageId }] } })).toBe(0);
    expect(await db().channelMessage.count({ where: { shopId: shop.id, recipient: shopper } })).toBe(0);
  });

  it("sends a staff reply typed in the admin by email, threaded under the shopper's last email", async () => {
    const shopper = `lin.${randomUUID().slice(0, 8)}@example.org`;
    const first = await email({ from: shopper, subject: "Refund", text: "I want to talk to a person about a refund please" });
    const { conversationId } = (await first.response.json()) as { conversationId: string };
    await eventually(async () => (mailTo(shopper).length ? true : null));
    // The admin shows the email thread: its subject, the shopper's address and words.
    const page = await (await toInstance(await adminDocumentRequest(`/app/conversations/${conversationId}`, shop))).text();
    expect(page).toContain("Refund");
    expect(page).toContain(shopper);
    expect(page).toContain("I want to talk to a person about a refund please");

    const response = await toInstance(
      await adminFetchRequest(`/app/conversations/${conversationId}`, shop, form({ intent: "reply", body: "Hi, this is Jo from the store. I have refunded your order <#1001> & emailed the receipt." })),
    );
    expect(response.status).toBe(200);

    const staffMail = await eventually(async () => mailTo(shopper).find((mail: CaughtEmail) => mail.text?.includes("this is Jo")));
    expect(staffMail).toMatchObject({ subject: "Re: Refund", inReplyTo: first.messageId, references: [first.messageId] });
    // A person wrote it: it is not marked as an automatic reply; and the HTML part escapes what staff typed.
    expect(staffMail.headers["auto-submitted"]).toBeUndefined();
    expect(staffMail.html).toContain("&lt;#1001&gt; &amp; emailed");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailTo(shopper).filter((mail) => mail.text?.includes("this is Jo"))).toHaveLength(1);
  });
});
