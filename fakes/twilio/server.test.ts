import { validateRequest } from "twilio/lib/webhooks/webhooks.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundWebhookParams, startFakeTwilio, twilioSignature, type FakeTwilio } from "./server";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "0123456789abcdef0123456789abcdef";
let twilio: FakeTwilio;

beforeAll(async () => {
  twilio = await startFakeTwilio({ statusCallbacks: false });
  twilio.addAccount(ACCOUNT, TOKEN);
});

afterAll(async () => {
  await twilio.close();
});

function sendMessage(form: Record<string, string>, credentials = `${ACCOUNT}:${TOKEN}`) {
  return fetch(`${twilio.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from(credentials).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
}

describe("fake Twilio", () => {
  it("signs webhooks exactly as Twilio does: the twilio package's own validator accepts them", () => {
    const url = "https://app.example/channels/twilio/shop.myshopify.com/messages?x=1";
    const params = inboundWebhookParams({ accountSid: ACCOUNT, channel: "whatsapp", from: "+14155550123", to: "+14155550101", body: "Hi ✨ & welcome" });
    const signature = twilioSignature(TOKEN, url, params);
    expect(validateRequest(TOKEN, signature, url, params)).toBe(true);
    expect(validateRequest(TOKEN, signature, url, { ...params, Body: "changed" })).toBe(false);
    expect(params).toMatchObject({ From: "whatsapp:+14155550123", To: "whatsapp:+14155550101", AccountSid: ACCOUNT });
  });

  it("accepts a message with the account's credentials, records it and shows it", async () => {
    const response = await sendMessage({ To: "+14155550123", From: "+14155550100", Body: "Your order shipped <today>" });
    expect(response.status).toBe(201);
    const message = await response.json();
    expect(message).toMatchObject({ account_sid: ACCOUNT, to: "+14155550123", from: "+14155550100", status: "queued" });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.messages(ACCOUNT).at(-1)).toMatchObject({ sid: message.sid, body: "Your order shipped <today>" });
    expect(await (await fetch(twilio.url)).text()).toContain("Your order shipped &#60;today&#62;");
  });

  it("refuses wrong credentials with Twilio's 401 and a missing body with its 400", async () => {
    const unauthorized = await sendMessage({ To: "+14155550123", From: "+14155550100", Body: "x" }, `${ACCOUNT}:wrong`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ code: 20003 });
    const missing = await sendMessage({ To: "+14155550123", From: "+14155550100" });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 21619 });
  });

  it("sends a WhatsApp template (ContentSid and ContentVariables instead of Body) and records what was sent", async () => {
    const response = await sendMessage({ To: "whatsapp:+14155550123", From: "whatsapp:+14155550101", ContentSid: "HX0123456789abcdef0123456789abcdef", ContentVariables: JSON.stringify({ 1: "Trail Co" }) });
    expect(response.status).toBe(201);
    const message = await response.json();
    expect(twilio.messages(ACCOUNT).at(-1)).toMatchObject({ sid: message.sid, body: "", contentSid: "HX0123456789abcdef0123456789abcdef", contentVariables: { 1: "Trail Co" } });
    expect(await (await fetch(twilio.url)).text()).toContain("[template HX0123456789abcdef0123456789abcdef");

    const badSid = await sendMessage({ To: "whatsapp:+14155550123", From: "whatsapp:+14155550101", ContentSid: "HX123" });
    expect(await badSid.json()).toMatchObject({ code: 21655 });
    const badVariables = await sendMessage({ To: "whatsapp:+14155550123", From: "whatsapp:+14155550101", ContentSid: "HX0123456789abcdef0123456789abcdef", ContentVariables: "{not json" });
    expect(badVariables.status).toBe(400);
    expect(await badVariables.json()).toMatchObject({ code: 21656 });
  });

  it("answers injected failures, then accepts again", async () => {
    twilio.failNext({ status: 503 });
    expect((await sendMessage({ To: "+14155550123", From: "+14155550100", Body: "x" })).status).toBe(503);
    expect((await sendMessage({ To: "+14155550123", From: "+14155550100", Body: "x" })).status).toBe(201);
  });
});
