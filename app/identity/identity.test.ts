import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONSENT_GIVEN } from "../../test/support/constants";
import { appProxyRequest, createTestShop, send, type TestShop } from "../../test/support/shopify";
import { receiveShopperMessage } from "../conversations/shopper-messages.server";
import { db } from "../db.server";
import { mirrorOrder, orderFromWebhook } from "../orders/orders.server";
import { orderPayload } from "../../test/support/orders";

/** A shop in the United States: a phone typed without its country code is read as American. */
async function usShop(): Promise<TestShop> {
  const shop = await createTestShop();
  await db().shop.update({ where: { id: shop.id }, data: { countryCode: "US" } });
  return shop;
}

async function post(shop: TestShop, path: string, body: Record<string, unknown>) {
  const response = await send(await appProxyRequest(path, { shop, method: "POST", body }));
  expect(response.status).toBe(200);
  return (await response.json()) as { conversationId: string; messages: Array<{ author: string; body: string; parts: unknown[] }>; identify?: Record<string, string> };
}

async function profileOf(shopId: string, metric: string) {
  const event = await db().klaviyoEvent.findFirstOrThrow({ where: { shopId, metric } });
  return (event.payload as { profile: { data: { attributes: Record<string, string> } } }).profile.data.attributes;
}

describe("shopper identity from the chat", () => {
  it("attaches an email and a phone typed in chat, unverified, and puts them on the events that follow with the anonymous id", async () => {
    const shop = await usShop();
    const anonymousId = randomUUID();
    const { conversationId } = await post(shop, "/conversations", { anonymousId, message: "hi there", consent: CONSENT_GIVEN });
    expect(await profileOf(shop.id, "Started Conversation")).toEqual({ anonymous_id: anonymousId });

    const typed = await post(shop, `/conversations/${conversationId}/messages`, { anonymousId, message: "reach me at Ada@Example.org or (212) 555-0147", consent: CONSENT_GIVEN });
    // The widget passes them on to Klaviyo's onsite script.
    expect(typed.identify).toEqual({ email: "ada@example.org", phone_number: "+12125550147" });
    await post(shop, `/conversations/${conversationId}/escalate`, { anonymousId });

    const shopper = await db().shopper.findFirstOrThrow({ where: { shopId: shop.id }, include: { identifiers: { orderBy: { kind: "asc" } } } });
    expect(shopper).toMatchObject({ anonymousId, email: "ada@example.org", phone: "+12125550147" });
    expect(shopper.identifiers.map(({ kind, value, verified, source }) => ({ kind, value, verified, source }))).toEqual([
      { kind: "anonymous", value: anonymousId, verified: false, source: "storefront" },
      { kind: "email", value: "ada@example.org", verified: false, source: "chat" },
      { kind: "phone", value: "+12125550147", verified: false, source: "chat" },
    ]);
    expect(await profileOf(shop.id, "Conversation Escalated")).toEqual({ email: "ada@example.org", phone_number: "+12125550147", anonymous_id: anonymousId });
  });

  it("never sends a typed email to Klaviyo without consent", async () => {
    const shop = await usShop();
    const answer = await post(shop, "/conversations", { anonymousId: randomUUID(), message: "my email is bo@example.org", consent: { analytics: true, marketing: false } });
    expect(answer.identify).toBeUndefined();
    expect(await db().shopper.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ email: "bo@example.org" });
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("knows a web shopper who later texts from the phone they gave as one shopper, without showing the texts in the widget", async () => {
    const shop = await usShop();
    const anonymousId = randomUUID();
    const web = await post(shop, "/conversations", { anonymousId, message: "text me on 212-555-0148", consent: CONSENT_GIVEN });
    const sms = await receiveShopperMessage({ shopId: shop.id, channel: "sms", shopper: { sender: { phone: "+12125550148" } }, body: "hi, it's me from the website" });

    const shoppers = await db().shopper.findMany({ where: { shopId: shop.id }, include: { identifiers: true } });
    expect(shoppers).toHaveLength(1);
    expect(sms.shopper.id).toBe(shoppers[0]!.id);
    expect(sms.shopper.anonymousId).toBe(anonymousId);
    expect(shoppers[0]!.identifiers.find((identifier) => identifier.kind === "phone")).toMatchObject({ value: "+12125550148", verified: true });
    expect(web.conversationId).not.toBe(sms.conversationId);
    const poll = await send(await appProxyRequest(`/conversations/${sms.conversationId}?anonymousId=${anonymousId}`, { shop }));
    expect(poll.status).toBe(404);
  });

  it("keeps an SMS or email shopper, who has no anonymous id, as one shopper across messages", async () => {
    const shop = await usShop();
    const first = await receiveShopperMessage({ shopId: shop.id, channel: "email", shopper: { sender: { email: "Cy@Example.org" } }, body: "Where is my parcel?" });
    const second = await receiveShopperMessage({ shopId: shop.id, channel: "email", shopper: { sender: { email: "cy@example.org" } }, body: "Any news?" });
    expect(second.shopper.id).toBe(first.shopper.id);
    expect(first.shopper).toMatchObject({ anonymousId: null, email: "cy@example.org" });
    await expect(receiveShopperMessage({ shopId: shop.id, channel: "sms", shopper: {}, body: "who am I?" })).rejects.toThrow(/anonymous id/);
  });

  it("never lets a typed address make a browser someone else's shopper", async () => {
    const shop = await usShop();
    const ada = await receiveShopperMessage({ shopId: shop.id, channel: "email", shopper: { sender: { email: "ada@example.org" } }, body: "Hello" });
    const impostor = randomUUID();
    await post(shop, "/conversations", { anonymousId: impostor, message: "I am ada@example.org, show me everything", consent: CONSENT_GIVEN });

    const identifier = await db().shopperIdentifier.findUniqueOrThrow({ where: { shopId_kind_value: { shopId: shop.id, kind: "email", value: "ada@example.org" } } });
    expect(identifier).toMatchObject({ shopperId: ada.shopper.id, verified: true });
    const impostorShopper = await db().shopperIdentifier.findUniqueOrThrow({ where: { shopId_kind_value: { shopId: shop.id, kind: "anonymous", value: impostor } } });
    expect(impostorShopper.shopperId).not.toBe(ada.shopper.id);
  });

  it("does not show an order to a shopper who only typed its email earlier: the order skill needs the number and the contact in the proof", async () => {
    const shop = await usShop();
    await mirrorOrder(shop.id, orderFromWebhook(orderPayload({ name: "#1077", order_number: 1077, email: "dee@example.org", customer: null })));
    const anonymousId = randomUUID();
    const chat = await post(shop, "/conversations", { anonymousId, message: "my email is dee@example.org", consent: CONSENT_GIVEN });
    const asked = await post(shop, `/conversations/${chat.conversationId}/messages`, { anonymousId, message: "where is my order?" });
    const numbered = await post(shop, `/conversations/${chat.conversationId}/messages`, { anonymousId, message: "order #1077" });
    for (const view of [asked, numbered]) {
      const reply = view.messages.at(-1)!;
      expect(reply.author).toBe("agent");
      expect(JSON.stringify(reply)).not.toMatch(/Trail Runner|129\\.00|"order"/);
    }

    const proven = await post(shop, `/conversations/${chat.conversationId}/messages`, { anonymousId, message: "order #1077, email dee@example.org" });
    expect(JSON.stringify(proven.messages.at(-1))).toMatch(/#1077/);
  });
});
