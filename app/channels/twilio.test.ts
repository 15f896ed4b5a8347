import { randomBytes } from "node:crypto";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../database/scratch.server";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { inboundWebhookParams, postSignedTwilioWebhook, startFakeTwilio, type FakeTwilio } from "../../fakes/twilio/server";
import { probe, startAppProcess, type AppProcess } from "../../test/support/app-process";
import { TEST_API_KEY, TEST_API_SECRET } from "../../test/support/constants";
import { eventually } from "../../test/support/eventually";
import { send } from "../../test/support/shopify";

/**
 * SMS and WhatsApp end to end: an app instance of its own (as `npm start` runs it) on a database of its own, talking
 * to this file's fake Twilio and fake Klaviyo, so what each fake received can be checked here. Inbound messages come
 * as Twilio sends them (form-encoded, signed); staff reply through the admin route with a session token.
 */
let database: ScratchDatabase;
let app: AppProcess;
let twilio: FakeTwilio;
let klaviyo: FakeKlaviyo;
// The test process reads and writes this file's database (and encrypts with the app's key, inherited).
const databaseReady = createScratchDatabase(inject("databaseUrl"), "customer_agent_channels").then((scratch) => {
  database = scratch;
  process.env.DATABASE_URL = scratch.url;
});
const { db } = await databaseReady.then(() => import("../db.server"));
const { encryptSecret } = await import("../crypto.server");
const { saveChannelSettings } = await import("./settings.server");

beforeAll(async () => {
  twilio = await startFakeTwilio();
  klaviyo = await startFakeKlaviyo();
  app = await startAppProcess({ DATABASE_URL: database.url, KLAVIYO_API_URL: klaviyo.url, TWILIO_API_URL: twilio.url, KLAVIYO_REQUEST_TIMEOUT_MS: "2000" });
  await eventually(async () => (await probe(`${app.url}/readyz`)).status === 200, 90_000);
});

afterAll(async () => {
  await app?.stop();
  await twilio?.close();
  await klaviyo?.close();
  await (await import("../db.server")).closeDatabase();
  await database?.drop();
});

interface ChannelShop {
  id: string;
  store: string;
  domain: string;
  accountSid: string;
  authToken: string;
  smsNumber: string;
  whatsappNumber: string;
  klaviyoAccountId: string;
}

const TEMPLATE_SID = "HX0123456789abcdef0123456789abcdef";

/**
 * An installed shop with Klaviyo connected (to this file's fake) and its Twilio account set up on the Channels page,
 * with a WhatsApp re-engagement template whose variable 1 takes the shop's name when `template` is set.
 */
async function channelShop(options: { template?: boolean } = {}): Promise<ChannelShop> {
  const store = `sms-${randomBytes(5).toString("hex")}`;
  const domain = `${store}.myshopify.com`;
  const shop = await db().shop.create({ data: { domain, name: "Trail Co", countryCode: "US" } });
  await db().session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, scope: "read_products", accessToken: `shpat_${randomBytes(8).toString("hex")}` } });
  const apiKey = `pk_${randomBytes(12).toString("hex")}`;
  const klaviyoAccountId = klaviyo.addAccount({ apiKey, accountId: `ACC${randomBytes(4).toString("hex")}` });
  await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId: klaviyoAccountId, scopes: [] } });
  const accountSid = `AC${randomBytes(16).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  twilio.addAccount(accountSid, authToken);
  const smsNumber = "+14155550100";
  const whatsappNumber = "+14155550101";
  const template = options.template ? { whatsappTemplateSid: TEMPLATE_SID, whatsappTemplateShopNameVariable: "1" } : {};
  const saved = await saveChannelSettings(shop.id, { twilioAccountSid: accountSid, twilioAuthToken: authToken, smsNumber, whatsappNumber, ...template });
  expect(saved).toEqual({ ok: true });
  return { id: shop.id, store, domain, accountSid, authToken, smsNumber, whatsappNumber, klaviyoAccountId };
}

const webhookUrl = (shop: ChannelShop) => `${app.url}/channels/twilio/${shop.domain}/messages`;

/** A shopper's text to the shop, as Twilio posts it. */
async function text(shop: ChannelShop, channel: "sms" | "whatsapp", from: string, body: string) {
  const response = await twilio.sendInbound({
    webhookUrl: webhookUrl(shop), accountSid: shop.accountSid, authToken: shop.authToken, channel, from,
    to: channel === "sms" ? shop.smsNumber : shop.whatsappNumber, body,
  });
  expect(response.status).toBe(200);
  return response;
}

const sentTo = (shop: ChannelShop, address: string) => twilio.messages(shop.accountSid).filter((message) => message.to === address);

/** A form posted from the embedded admin (App Bridge's session token as a bearer header). */
async function adminPost(shop: ChannelShop, path: string, form: Record<string, string>) {
  const request = await setUpValidRequest(
    { type: RequestType.Bearer, store: shop.store, apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET },
    new Request(`${app.url}${path}`, { method: "POST", body: new URLSearchParams(form), headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
  );
  return send(request);
}

/** An admin page as the merchant's browser loads it. */
async function adminPage(shop: ChannelShop, path: string) {
  const request = await setUpValidRequest({ type: RequestType.Admin, store: shop.store, apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET }, new Request(`${app.url}${path}`));
  return (await send(request)).text();
}

const staffReply = (shop: ChannelShop, conversationId: string, body: string) => adminPost(shop, `/app/conversations/${conversationId}`, { intent: "reply", body });

async function conversationOf(shop: ChannelShop, channel: "sms" | "whatsapp") {
  return eventually(() => db().conversation.findFirst({ where: { shopId: shop.id, channel }, include: { messages: { orderBy: { createdAt: "asc" } } } }));
}

describe("SMS and WhatsApp through Twilio", () => {
  it("escalates an SMS asking for a person, tells Klaviyo on the SMS channel, and sends the staff reply as an SMS", async () => {
    const shop = await channelShop();
    const phone = "+14155550123";
    await text(shop, "sms", phone, "Can I talk to a person please?");

    const conversation = await eventually(async () => {
      const found = await conversationOf(shop, "sms");
      return found.status === "escalated" ? found : null;
    });
    expect(conversation).toMatchObject({ escalationReason: "shopper-requested", channelAddress: phone });
    const events = await eventually(async () => {
      const accepted = klaviyo.events(shop.klaviyoAccountId);
      return accepted.length >= 2 ? accepted : null;
    });
    const started = events.find((event) => event.metric === "Started Conversation")!;
    const escalated = events.find((event) => event.metric === "Conversation Escalated")!;
    expect(started.properties).toMatchObject({ Channel: "SMS", "Conversation ID": conversation.id });
    expect(started.profile).toMatchObject({ phone_number: phone });
    expect(escalated.properties).toMatchObject({ Channel: "SMS", "Escalation Reason": "shopper-requested" });
    // The agent's handoff notice went out as an SMS from the shop's number.
    const notice = await eventually(async () => sentTo(shop, phone)[0]);
    expect(notice.from).toBe(shop.smsNumber);

    const response = await staffReply(shop, conversation.id, "Hi, this is Sam from Trail Co. How can I help?");
    expect(response.status).toBe(200);
    const reply = await eventually(async () => sentTo(shop, phone).find((message) => message.body.startsWith("Hi, this is Sam")));
    expect(reply).toMatchObject({ from: shop.smsNumber, to: phone });
    // Twilio's status callbacks reach the queue row.
    await eventually(async () => (await db().channelMessage.findFirst({ where: { providerMessageId: reply.sid } }))?.status === "delivered");
  });

  it("refuses a forged Twilio signature with 403 and stores nothing", async () => {
    const shop = await channelShop();
    const params = inboundWebhookParams({ accountSid: shop.accountSid, channel: "sms", from: "+14155550124", to: shop.smsNumber, body: "hello" });
    const forged = await postSignedTwilioWebhook(webhookUrl(shop), shop.authToken, params, { signature: "bm90IGEgc2lnbmF0dXJl" });
    expect(forged.status).toBe(403);
    const otherToken = await postSignedTwilioWebhook(webhookUrl(shop), randomBytes(16).toString("hex"), params);
    expect(otherToken.status).toBe(403);
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers on WhatsApp, and refuses a staff reply after the 24-hour window with a clear message", async () => {
    const shop = await channelShop();
    const phone = "+14155550125";
    await text(shop, "whatsapp", phone, "Do you ship to Canada?");
    const answer = await eventually(async () => sentTo(shop, `whatsapp:${phone}`)[0]);
    expect(answer.from).toBe(`whatsapp:${shop.whatsappNumber}`);
    const conversation = await conversationOf(shop, "whatsapp");
    expect(conversation.messages.map((message) => message.author)).toEqual(["shopper", "agent"]);

    const shopperMessage = conversation.messages[0]!;
    await db().message.update({ where: { id: shopperMessage.id }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const response = await staffReply(shop, conversation.id, "Sorry for the late answer!");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("only allows free-form replies within 24 hours");
    // Without a template set, the refusal says what would let the reply through.
    expect(page).toContain("set a WhatsApp re-engagement template (an approved Content SID) on the Channels page");
    expect(await db().message.count({ where: { conversationId: conversation.id, author: "staff" } })).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(shop, `whatsapp:${phone}`).map((message) => message.body)).not.toContain("Sorry for the late answer!");
  });

  /** A WhatsApp conversation whose shopper last wrote 25 hours ago: the customer-service window has closed. */
  async function closedWindowConversation(shop: ChannelShop, phone: string, firstMessage: string) {
    await text(shop, "whatsapp", phone, firstMessage);
    await eventually(async () => sentTo(shop, `whatsapp:${phone}`)[0]);
    const conversation = await conversationOf(shop, "whatsapp");
    await db().message.updateMany({ where: { conversationId: conversation.id }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    return conversation;
  }

  it("after the 24-hour window, sends the re-engagement template, holds the staff replies, and delivers them once, in order, when the shopper answers", async () => {
    const shop = await channelShop({ template: true });
    const phone = "+14155550132";
    const address = `whatsapp:${phone}`;
    const conversation = await closedWindowConversation(shop, phone, "Do you ship to Canada?");

    const first = await staffReply(shop, conversation.id, "Sorry for the late answer: yes, we ship to Canada.");
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Sent the re-engagement template; your reply goes out when the shopper answers.");
    const template = await eventually(async () => sentTo(shop, address).find((message) => message.contentSid));
    expect(template).toMatchObject({ from: `whatsapp:${shop.whatsappNumber}`, contentSid: TEMPLATE_SID, contentVariables: { 1: "Trail Co" }, body: "" });
    // A second reply in the same closed window waits with the first; no second template.
    const second = await staffReply(shop, conversation.id, "Shipping takes 5 days.");
    expect(await second.text()).toContain("The re-engagement template was already sent; your reply goes out when the shopper answers.");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(shop, address).filter((message) => message.contentSid || message.body.startsWith("Sorry") || message.body.startsWith("Shipping"))).toEqual([template]);
    expect((await db().channelMessage.findMany({ where: { conversationId: conversation.id, status: "waiting" } })).map((row) => row.body).sort()).toEqual([
      "Shipping takes 5 days.",
      "Sorry for the late answer: yes, we ship to Canada.",
    ]);
    // The transcript marks both replies as waiting.
    expect((await adminPage(shop, `/app/conversations/${conversation.id}`)).match(/Goes out when the shopper answers/g)).toHaveLength(2);
    // The template row goes through the queue like any reply: Twilio's status callbacks reach it.
    await eventually(async () => (await db().channelMessage.findFirst({ where: { providerMessageId: template.sid } }))?.status === "delivered");

    // The shopper answers, and Twilio delivers that message twice.
    const answer = inboundWebhookParams({ accountSid: shop.accountSid, channel: "whatsapp", from: phone, to: shop.whatsappNumber, body: "Great, how long does it take?" });
    for (const response of await Promise.all([1, 2].map(() => postSignedTwilioWebhook(webhookUrl(shop), shop.authToken, answer)))) expect(response.status).toBe(200);
    const afterTemplate = async () => sentTo(shop, address).slice(sentTo(shop, address).indexOf(template) + 1);
    const delivered = await eventually(async () => {
      const sent = await afterTemplate();
      return sent.length >= 3 ? sent : null;
    });
    // The held replies first, as written, then the agent's answer to the new message.
    expect(delivered.slice(0, 2).map((message) => message.body)).toEqual(["Sorry for the late answer: yes, we ship to Canada.", "Shipping takes 5 days."]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = await afterTemplate();
    expect(sent.filter((message) => message.body.startsWith("Sorry for the late answer"))).toHaveLength(1);
    expect(sent.filter((message) => message.body === "Shipping takes 5 days.")).toHaveLength(1);
    expect(sent).toHaveLength(3);
    expect(await db().channelMessage.count({ where: { conversationId: conversation.id, status: "waiting" } })).toBe(0);
    const stored = await db().message.findMany({ where: { conversationId: conversation.id }, orderBy: { createdAt: "asc" } });
    expect(stored.map((message) => message.author)).toEqual(["shopper", "agent", "staff", "staff", "shopper", "agent"]);
    expect(await adminPage(shop, `/app/conversations/${conversation.id}`)).not.toContain("Goes out when the shopper answers");
  });

  it("delivers a held staff reply on a conversation waiting for a person when the shopper answers, and the agent stays out of it", async () => {
    const shop = await channelShop({ template: true });
    const phone = "+14155550133";
    const address = `whatsapp:${phone}`;
    const conversation = await closedWindowConversation(shop, phone, "Can I talk to a person please?");
    expect((await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status).toBe("escalated");

    expect(await (await staffReply(shop, conversation.id, "Hi, Sam here. Still need help?")).text()).toContain("Sent the re-engagement template");
    const template = await eventually(async () => sentTo(shop, address).find((message) => message.contentSid));
    await text(shop, "whatsapp", phone, "Yes please!");
    const reply = await eventually(async () => sentTo(shop, address).find((message) => message.body === "Hi, Sam here. Still need help?"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = sentTo(shop, address);
    expect(sent.slice(sent.indexOf(template) + 1)).toEqual([reply]);
    const stored = await db().message.findMany({ where: { conversationId: conversation.id }, orderBy: { createdAt: "asc" } });
    expect(stored.map((message) => message.author).slice(-2)).toEqual(["staff", "shopper"]);
  });

  it("drops a held staff reply when the shopper answers the template with STOP", async () => {
    const shop = await channelShop({ template: true });
    const phone = "+14155550134";
    const address = `whatsapp:${phone}`;
    const conversation = await closedWindowConversation(shop, phone, "Do you ship to Canada?");
    await staffReply(shop, conversation.id, "We do, in 5 days.");
    await eventually(async () => sentTo(shop, address).find((message) => message.contentSid));
    await text(shop, "whatsapp", phone, "STOP");
    const held = await db().channelMessage.findFirstOrThrow({ where: { conversationId: conversation.id, body: "We do, in 5 days." } });
    expect(held).toMatchObject({ status: "failed", lastError: "the shopper opted out (STOP)" });
    await text(shop, "whatsapp", phone, "START");
    await text(shop, "whatsapp", phone, "Hello again");
    await eventually(async () => (await db().message.count({ where: { conversationId: conversation.id, author: "agent" } })) === 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(shop, address).map((message) => message.body)).not.toContain("We do, in 5 days.");
  });

  it("sends nothing after STOP, and answers again after START", async () => {
    const shop = await channelShop();
    const phone = "+14155550126";
    await text(shop, "sms", phone, "STOP");
    await text(shop, "sms", phone, "Do you have trail shoes?");
    const stored = await conversationOf(shop, "sms");
    expect(stored.messages.map((message) => message.author)).toEqual(["shopper"]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sentTo(shop, phone)).toEqual([]);
    // Staff cannot write to them either.
    const refused = await staffReply(shop, stored.id, "Hello?");
    expect(await refused.text()).toContain("texted STOP");

    await text(shop, "sms", phone, "START");
    await text(shop, "sms", phone, "Do you ship to Canada?");
    const replies = await eventually(async () => {
      const sent = sentTo(shop, phone);
      return sent.length >= 2 ? sent : null;
    });
    expect(replies[0]!.body).toContain("you will get our messages again");
    expect(await db().channelOptOut.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers HELP with the shop's help text and starts no conversation", async () => {
    const shop = await channelShop();
    const phone = "+14155550128";
    await text(shop, "sms", phone, "help");
    const help = await eventually(async () => sentTo(shop, phone)[0]);
    expect(help.body).toBe("Trail Co: reply to this number to chat with us. Text STOP to stop messages, START to resume.");
    expect(await db().conversation.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("takes a message Twilio delivers more than once (at the same time, and again later) as one: one reply, every delivery answered 200", async () => {
    const shop = await channelShop();
    const phone = "+14155550129";
    const params = inboundWebhookParams({ accountSid: shop.accountSid, channel: "sms", from: phone, to: shop.smsNumber, body: "Do you ship to Canada?" });
    const deliver = () => postSignedTwilioWebhook(webhookUrl(shop), shop.authToken, params);

    const concurrent = await Promise.all([deliver(), deliver(), deliver()]);
    const later = await deliver();
    for (const response of [...concurrent, later]) {
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response/>`);
    }

    const reply = await eventually(async () => sentTo(shop, phone)[0]);
    expect(reply.from).toBe(shop.smsNumber);
    const conversations = await db().conversation.findMany({ where: { shopId: shop.id }, include: { messages: { orderBy: { createdAt: "asc" } } } });
    expect(conversations).toHaveLength(1);
    expect(conversations[0]!.messages.map((message) => [message.author, message.author === "shopper" ? message.body : ""])).toEqual([
      ["shopper", "Do you ship to Canada?"],
      ["agent", ""],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(shop, phone)).toHaveLength(1);
  });

  it("answers a HELP Twilio delivers twice once", async () => {
    const shop = await channelShop();
    const phone = "+14155550130";
    const params = inboundWebhookParams({ accountSid: shop.accountSid, channel: "sms", from: phone, to: shop.smsNumber, body: "HELP" });
    for (const response of await Promise.all([1, 2].map(() => postSignedTwilioWebhook(webhookUrl(shop), shop.authToken, params)))) expect(response.status).toBe(200);
    await eventually(async () => sentTo(shop, phone)[0]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(shop, phone)).toHaveLength(1);
  });

  it("retries a reply after Twilio answers 5xx and sends it once", async () => {
    const shop = await channelShop();
    const phone = "+14155550127";
    twilio.failNext({ status: 503, count: 2 });
    await text(shop, "sms", phone, "Do you ship to Canada?");
    const conversation = await conversationOf(shop, "sms");
    const row = await eventually(async () => {
      const found = await db().channelMessage.findFirst({ where: { conversationId: conversation.id } });
      return found?.status === "sent" || found?.status === "delivered" ? found : null;
    });
    expect(row.attempts).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(shop, phone)).toHaveLength(1);
  });

  it("shows a reply Twilio refused as failed on the Channels page, and its Send again delivers it", async () => {
    const shop = await channelShop();
    const phone = "+14155550131";
    twilio.failNext({ status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
    await text(shop, "sms", phone, "Do you ship to Canada?");
    const failed = await eventually(async () => {
      const found = await db().channelMessage.findFirst({ where: { shopId: shop.id, recipient: phone } });
      return found?.status === "failed" ? found : null;
    });
    const page = (await (await send(await setUpValidRequest(
      { type: RequestType.Admin, store: shop.store, apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET },
      new Request(`${app.url}/app/channels`),
    ))).text()).replaceAll("&#x27;", "'");
    expect(page).toContain("Attempt to send to unsubscribed recipient");

    const again = (await (await adminPost(shop, "/app/channels", { intent: "send-again", channelMessageId: failed.id })).text()).replaceAll("<!-- -->", "");
    expect(again).toContain(`Queued again: the message to ${phone} is being sent now.`);
    const reply = await eventually(async () => sentTo(shop, phone)[0]);
    expect(reply.body).toBe(failed.body);
    await eventually(async () => (await db().channelMessage.findUniqueOrThrow({ where: { id: failed.id } })).status === "delivered");
    expect(await db().channelMessage.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ attempts: 1, providerMessageId: reply.sid, lastError: null });
  });

  it("sends the Channels page's test SMS and WhatsApp through the shop's Twilio account, and names Twilio's refusal", async () => {
    const shop = await channelShop();
    const page = await (await adminPost(shop, "/app/channels", { intent: "test", channel: "whatsapp", to: "+14155550198" })).text();
    expect(page).toContain("Test WhatsApp sent to +14155550198");
    expect(sentTo(shop, "whatsapp:+14155550198")[0]!.body).toContain("this channel works");

    twilio.failNext({ status: 400, code: 21211, message: "Invalid 'To' Phone Number" });
    const refused = (await (await adminPost(shop, "/app/channels", { intent: "test", channel: "sms", to: "+14155550197" })).text()).replaceAll("&#x27;", "'");
    expect(refused).toContain("The test SMS was not sent: Twilio answered 400: Invalid 'To' Phone Number (Twilio error 21211)");
  });

  it("logged no error while doing all of the above", () => {
    const errors = app.output().split("\n").filter((line) => /"level":(50|60)/.test(line));
    expect(errors).toEqual([]);
  });
});
