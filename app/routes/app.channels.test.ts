import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { channelSettingsSchema, type ChannelSettingsInput } from "../channels/settings.server";
import { decryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { eventually } from "../../test/support/eventually";
import { adminDocumentRequest, adminFetchRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";

/** The page as the merchant reads it: without React's markers between text pieces, quotes unescaped. */
async function pageText(response: Response) {
  return (await response.text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}

function postForm(shop: TestShop, form: Record<string, string>) {
  return adminFetchRequest("/app/channels", shop, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

const validSettings = (): Required<{ [K in keyof ChannelSettingsInput]: string }> => ({
  twilioAccountSid: `AC${randomBytes(16).toString("hex")}`,
  twilioAuthToken: randomBytes(16).toString("hex"),
  smsNumber: "+1 415 555 0100",
  whatsappNumber: "whatsapp:+14155550101",
  whatsappTemplateSid: "HX0123456789abcdef0123456789abcdef",
  whatsappTemplateShopNameVariable: "1",
  emailFromAddress: "Help@TrailCo.example",
  smtpHost: "smtp.trailco.example",
  smtpPort: "587",
  smtpUser: "mailer",
  smtpPassword: "correct horse battery staple",
});

describe("Channels page", () => {
  it("stores the settings, secrets encrypted and never shown again, and shows Twilio's webhook address", async () => {
    const shop = await createTestShop();
    const input = validSettings();
    // The form's one schema accepts what the page sends.
    expect(channelSettingsSchema.safeParse(input).success).toBe(true);

    const saved = await send(await postForm(shop, { intent: "save", ...input }));
    expect(await pageText(saved)).toContain("Channel settings saved");
    const stored = await db().shopChannelSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(stored).toMatchObject({
      twilioAccountSid: input.twilioAccountSid, smsNumber: "+14155550100", whatsappNumber: "+14155550101",
      emailFromAddress: "help@trailco.example", smtpHost: "smtp.trailco.example", smtpPort: 587, smtpUser: "mailer",
      whatsappTemplateSid: "HX0123456789abcdef0123456789abcdef", whatsappTemplateShopNameVariable: "1",
    });
    expect(stored.encryptedTwilioAuthToken).not.toContain(input.twilioAuthToken);
    expect(decryptSecret(stored.encryptedTwilioAuthToken!)).toBe(input.twilioAuthToken);
    expect(decryptSecret(stored.encryptedSmtpPassword!)).toBe(input.smtpPassword);

    const page = await pageText(await send(await adminDocumentRequest("/app/channels", shop)));
    expect(page).toContain(`/channels/twilio/${shop.domain}/messages`);
    expect(page).toContain(input.twilioAccountSid);
    expect(page).not.toContain(input.twilioAuthToken);
    expect(page).not.toContain(input.smtpPassword);
    expect(page).toContain("Stored (hidden)");

    // Saving again with the secret fields empty keeps the stored secrets.
    await send(await postForm(shop, { intent: "save", ...input, twilioAuthToken: "", smtpPassword: "", smtpUser: "mailer2" }));
    const again = await db().shopChannelSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(again.smtpUser).toBe("mailer2");
    expect(decryptSecret(again.encryptedTwilioAuthToken!)).toBe(input.twilioAuthToken);
  });

  it("names each wrong field inline and stores nothing", async () => {
    const shop = await createTestShop();
    const text = await pageText(
      await send(await postForm(shop, { intent: "save", ...validSettings(), twilioAccountSid: "SK123", smsNumber: "555-0100", smtpPort: "99999", emailFromAddress: "not an address" })),
    );
    expect(text).toContain("Some settings need fixing; nothing was saved.");
    expect(text).toContain("An account SID is AC followed by 32 hexadecimal characters");
    expect(text).toContain("Enter the number with its country code, e.g. +14155550100");
    expect(text).toContain("Ports go from 1 to 65535");
    expect(text).toContain("Enter an email address, e.g. help@yourstore.com");
    expect(await db().shopChannelSettings.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("checks the WhatsApp re-engagement template's Content SID and variable, and clears them when emptied", async () => {
    const shop = await createTestShop();
    const wrong = await send(await postForm(shop, { intent: "save", ...validSettings(), whatsappTemplateSid: "SM0123456789abcdef0123456789abcdef", whatsappTemplateShopNameVariable: "shop" }));
    const text = await pageText(wrong);
    expect(text).toContain("A template's Content SID is HX followed by 32 hexadecimal characters");
    expect(text).toContain("Enter the variable's number, e.g. 1 for {{1}}");
    expect(await db().shopChannelSettings.count({ where: { shopId: shop.id } })).toBe(0);

    const withoutNumber = await pageText(await send(await postForm(shop, { intent: "save", ...validSettings(), whatsappNumber: "" })));
    expect(withoutNumber).toContain("Needed to send the WhatsApp template");
    const variableAlone = await pageText(await send(await postForm(shop, { intent: "save", ...validSettings(), whatsappTemplateSid: "" })));
    expect(variableAlone).toContain("Needed with the shop name variable");
    expect(await db().shopChannelSettings.count({ where: { shopId: shop.id } })).toBe(0);

    await send(await postForm(shop, { intent: "save", ...validSettings() }));
    const page = await pageText(await send(await adminDocumentRequest("/app/channels", shop)));
    expect(page).toContain("WhatsApp re-engagement template");
    expect(page).toContain("HX0123456789abcdef0123456789abcdef");
    await send(await postForm(shop, { intent: "save", ...validSettings(), whatsappTemplateSid: "", whatsappTemplateShopNameVariable: "" }));
    expect(await db().shopChannelSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ whatsappTemplateSid: null, whatsappTemplateShopNameVariable: null });
  });

  it("asks for the Twilio account a number needs", async () => {
    const shop = await createTestShop();
    const text = await pageText(await send(await postForm(shop, { intent: "save", smsNumber: "+14155550100" })));
    expect(text).toContain("Needed to send and receive on the numbers below");
    expect(text).toContain("Needed with the account SID");
    expect(await db().shopChannelSettings.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("reports that email sending is not configured yet, and that SMS needs setting up first", async () => {
    const shop = await createTestShop();
    const email = await pageText(await send(await postForm(shop, { intent: "test", channel: "email", to: "me@trailco.example" })));
    expect(email).toContain("The test Email was not sent: Email sending is not set up for this shop");
    const sms = await pageText(await send(await postForm(shop, { intent: "test", channel: "sms", to: "+14155550199" })));
    expect(sms).toContain("SMS is not set up for this shop");
  });

  it("lists the outgoing messages newest first with the provider's answer, and sends a failed one again", async () => {
    const shop = await createTestShop();
    const delivered = await db().channelMessage.create({
      data: { shopId: shop.id, channel: "whatsapp", recipient: "+14155550111", body: "Your parcel is on its way.", status: "delivered", attempts: 1, providerStatus: "delivered", createdAt: new Date(Date.now() - 60_000) },
    });
    const failed = await db().channelMessage.create({
      data: { shopId: shop.id, channel: "sms", recipient: "+14155550112", body: "We have the tent in green.", status: "failed", attempts: 8, providerStatus: "undelivered", lastError: "Twilio reported undelivered (error 30003)" },
    });

    const page = await pageText(await send(await adminDocumentRequest("/app/channels", shop)));
    expect(page).toContain("Outgoing messages");
    expect(page.indexOf("+14155550112")).toBeLessThan(page.indexOf("+14155550111"));
    expect(page).toContain("We have the tent in green.");
    expect(page).toContain("Twilio reported undelivered (error 30003)");
    expect(page).toContain("Delivered");
    // Only the failed one can be sent again.
    expect(page.match(/>Send again</g)).toHaveLength(1);
    expect(page).not.toContain("Showing the latest");

    const refused = await send(await postForm(shop, { intent: "send-again", channelMessageId: delivered.id }));
    expect(refused.status).toBe(409);
    expect(await pageText(refused)).toContain("Only a failed message can be sent again; this one is delivered.");
    const malformed = await send(await postForm(shop, { intent: "send-again", channelMessageId: "not-an-id" }));
    expect(malformed.status).toBe(400);
    expect(await pageText(malformed)).toContain("Choose a failed message to send again");

    const again = await send(await postForm(shop, { intent: "send-again", channelMessageId: failed.id }));
    expect(again.status).toBe(200);
    expect(await pageText(again)).toContain("Queued again: the message to +14155550112 is being sent now.");
    // The queue worker tried it at once; this shop has no Twilio account, so it failed again with that reason.
    const retried = await eventually(async () => {
      const row = await db().channelMessage.findUniqueOrThrow({ where: { id: failed.id } });
      return row.attempts === 1 && row.status === "failed" ? row : null;
    });
    expect(retried.lastError).toBe("SMS is not set up for this shop (Channels page).");
    expect(await db().channelMessage.findUniqueOrThrow({ where: { id: delivered.id } })).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("shows the latest 50 outgoing messages and says so", async () => {
    const shop = await createTestShop();
    await db().channelMessage.createMany({
      data: Array.from({ length: 51 }, (_, index) => ({ shopId: shop.id, channel: "email" as const, recipient: `shopper${index}@example.com`, body: `Reply ${index}`, status: "sent" as const, attempts: 1, createdAt: new Date(Date.now() - (51 - index) * 1000) })),
    });
    const page = await pageText(await send(await adminDocumentRequest("/app/channels", shop)));
    expect(page).toContain("Showing the latest 50 messages.");
    expect(page).toContain("shopper50@example.com");
    expect(page).not.toContain("shopper0@example.com");
  });
});
