import "../../test/support/isolated-database";
import { randomBytes } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { listOutboundLog, sendFailedMessageAgain } from "./outbound-log.server";

// The isolated database has no app server, so no queue worker picks up what these tests queue again.

async function newShop() {
  return db().shop.create({ data: { domain: `outbound-${randomBytes(5).toString("hex")}.myshopify.com`, name: "Trail Co", countryCode: "US" } });
}

async function queued(shopId: string, data: Partial<Prisma.ChannelMessageUncheckedCreateInput> = {}) {
  return db().channelMessage.create({ data: { shopId, channel: "sms", recipient: "+14155550123", body: "Your order shipped.", ...data } });
}

const failedSms = (shopId: string, data: Partial<Prisma.ChannelMessageUncheckedCreateInput> = {}) =>
  queued(shopId, { status: "failed", attempts: 8, providerMessageId: "SMold", providerStatus: "undelivered", lastError: "Twilio reported undelivered (error 30003)", ...data });

describe("the outbound log", () => {
  it("lists the shop's outbound messages newest first, capped, and says when there are more", async () => {
    const shop = await newShop();
    const other = await newShop();
    await queued(other.id, { body: "another shop's" });
    const base = Date.now() - 60_000;
    for (const [offset, body] of [[0, "oldest"], [1000, "middle"], [2000, "newest"]] as const) await queued(shop.id, { body, createdAt: new Date(base + offset) });

    const capped = await listOutboundLog(shop.id, 2);
    expect(capped.messages.map((message) => message.body)).toEqual(["newest", "middle"]);
    expect(capped.more).toBe(true);
    const all = await listOutboundLog(shop.id);
    expect(all.messages.map((message) => message.body)).toEqual(["newest", "middle", "oldest"]);
    expect(all.more).toBe(false);
  });

  it("queues a failed message again, due now, with fresh attempts and the old provider answer cleared", async () => {
    const shop = await newShop();
    const failed = await failedSms(shop.id, { nextAttemptAt: new Date(Date.now() + 3_600_000) });

    expect(await sendFailedMessageAgain(shop.id, failed.id)).toEqual({ ok: true, recipient: "+14155550123" });
    const row = await db().channelMessage.findUniqueOrThrow({ where: { id: failed.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 0, providerMessageId: null, providerStatus: null, lastError: null, claimedBy: null });
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("refuses anything but a failed message of this shop, and changes nothing", async () => {
    const shop = await newShop();
    const sent = await queued(shop.id, { status: "sent", attempts: 1, providerMessageId: "SMsent" });
    const pending = await queued(shop.id);
    const othersFailed = await failedSms((await newShop()).id);

    expect(await sendFailedMessageAgain(shop.id, sent.id)).toEqual({ ok: false, status: 409, message: "Only a failed message can be sent again; this one is sent." });
    expect(await sendFailedMessageAgain(shop.id, pending.id)).toMatchObject({ ok: false, status: 409 });
    expect(await sendFailedMessageAgain(shop.id, othersFailed.id)).toEqual({ ok: false, status: 404, message: "That message is not in this shop's outgoing messages." });
    expect(await db().channelMessage.findUniqueOrThrow({ where: { id: sent.id } })).toMatchObject({ status: "sent", attempts: 1, providerMessageId: "SMsent" });
    expect(await db().channelMessage.findUniqueOrThrow({ where: { id: othersFailed.id } })).toMatchObject({ status: "failed", attempts: 8 });
  });

  it("refuses to send again to a shopper who texted STOP, or on WhatsApp after the 24-hour window unless it is the re-engagement template", async () => {
    const shop = await newShop();
    const failed = await failedSms(shop.id);
    await db().channelOptOut.create({ data: { shopId: shop.id, channel: "sms", address: "+14155550123" } });
    expect(await sendFailedMessageAgain(shop.id, failed.id)).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("texted STOP on SMS") });

    const shopper = await db().shopper.create({ data: { shopId: shop.id, phone: "+14155550124" } });
    const conversation = await db().conversation.create({ data: { shopId: shop.id, shopperId: shopper.id, channel: "whatsapp", channelAddress: "+14155550124" } });
    await db().message.create({ data: { conversationId: conversation.id, author: "shopper", body: "Where is my order?", createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const late = await failedSms(shop.id, { channel: "whatsapp", recipient: "+14155550124", conversationId: conversation.id });
    expect(await sendFailedMessageAgain(shop.id, late.id)).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("within 24 hours") });
    expect(await db().channelMessage.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({ status: "failed" });

    // The re-engagement template is what WhatsApp delivers outside the window: it can be sent again.
    const template = await failedSms(shop.id, {
      channel: "whatsapp", recipient: "+14155550124", conversationId: conversation.id, body: "WhatsApp re-engagement template HX0123456789abcdef0123456789abcdef",
      details: { whatsappTemplate: { contentSid: "HX0123456789abcdef0123456789abcdef", contentVariables: { 1: "Trail Co" } } },
    });
    expect(await sendFailedMessageAgain(shop.id, template.id)).toEqual({ ok: true, recipient: "+14155550124" });
  });
});
