import { describe, expect, it } from "vitest";
import { compileCustomerData, redactCustomer } from "../compliance/compliance.server";
import { startConversation } from "../conversations/shopper-messages.server";
import { db } from "../db.server";
import { createTestShop } from "../../test/support/shopify";

describe("channels and customer privacy requests", () => {
  it("reports a customer's SMS opt-out in a data request, and a redaction erases their texts but keeps the opt-out", async () => {
    const shop = await createTestShop();
    const phone = "+14155550177";
    const conversation = await startConversation({ shopId: shop.id, channel: "sms", shopper: { sender: { phone } }, firstMessage: "Where is my order?" });
    await db().channelOptOut.create({ data: { shopId: shop.id, channel: "sms", address: phone } });
    await db().channelMessage.create({ data: { shopId: shop.id, channel: "sms", recipient: phone, body: "Trail Co: you will get our messages again." } });
    const customer = { id: 9_001, email: null, phone };

    const report = (await compileCustomerData(shop.domain, { customer })) as { channelOptOuts: Array<{ address: string }>; shoppers: unknown[] };
    expect(report.channelOptOuts.map((optOut) => optOut.address)).toEqual([phone]);
    expect(report.shoppers).toHaveLength(1);

    await redactCustomer(shop.domain, { shop_domain: shop.domain, customer, orders_to_redact: [] });
    expect(await db().conversation.count({ where: { id: conversation.id } })).toBe(0);
    expect(await db().channelMessage.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db().channelOptOut.count({ where: { shopId: shop.id, address: phone } })).toBe(1);
  });
});
