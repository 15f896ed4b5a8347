import "../../test/support/engine-database";
import { ownFakeKlaviyo as fake } from "../../test/support/own-klaviyo";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordRecommendation } from "../conversations/conversations.server";
import { startConversation } from "../conversations/shopper-messages.server";
import { CONSENT_GIVEN } from "../../test/support/constants";
import { encryptSecret } from "../crypto.server";
import { db, pool } from "../db.server";
import { startBackgroundWork, type BackgroundWork } from "../jobs/background.server";
import { receiveWebhook } from "../webhooks/receive.server";
import type { WebhookTopic } from "../webhooks/topics.server";
import { eventually } from "../../test/support/eventually";
import { createTestShop, webhookRequest, type TestShop } from "../../test/support/shopify";

/**
 * customers/redact as production runs it, in a database of its own so the whole database can be searched for the
 * customer afterwards: webhooks through the real routes (the Shopify library verifies their HMAC), this process's
 * background work processing them, and its Klaviyo delivery engine sending to this file's fake Klaviyo.
 */
let background: BackgroundWork;
beforeAll(async () => {
  background = await startBackgroundWork();
});
afterAll(async () => {
  await background.stop();
});

async function deliver(shop: TestShop, topic: WebhookTopic, payload: unknown) {
  const webhookId = randomUUID();
  const response = await receiveWebhook(await webhookRequest({ shop, topic, payload, webhookId }), topic);
  expect(response.status).toBe(200);
  return eventually(() => db().webhookDelivery.findFirst({ where: { shopDomain: shop.domain, webhookId, status: "processed" } }));
}

/** Every row of every table of the app's schema, as text. */
async function everyRow(): Promise<string[]> {
  const { rows: tables } = await pool().query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const rows: string[] = [];
  for (const { table_name } of tables) {
    const result = await pool().query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
    rows.push(...result.rows.map(({ row }) => `${table_name}: ${row}`));
  }
  return rows;
}

const TRAIL_RUNNER = { id: "632910392", title: "Trail Runner", sku: "TR-9", url: "https://shop.example/products/trail-runner", imageUrl: null, price: "120.00" };

describe("customers/redact", () => {
  it("erases every copy of the customer, and nothing of theirs reaches Klaviyo afterwards", async () => {
    const shop = await createTestShop();
    const ada = { id: 207119551, email: "ada.lovelace@example.com", phone: "+15145550100" };
    const adaAnonymousId = randomUUID();
    // Ada chats (logged in, then gives her phone), gets a recommendation and orders; Bob chats too.
    const conversation = await startConversation({
      shopId: shop.id,
      channel: "web_chat",
      shopper: { anonymousId: adaAnonymousId, shopifyCustomerId: String(ada.id), email: ada.email, phone: ada.phone, consent: CONSENT_GIVEN },
      firstMessage: "Trail shoes for Ada?",
    });
    const recommendation = await recordRecommendation({ shopId: shop.id, conversationId: conversation.id, products: [TRAIL_RUNNER] });
    const bob = await startConversation({ shopId: shop.id, channel: "web_chat", shopper: { anonymousId: randomUUID(), email: "bob@example.com", consent: CONSENT_GIVEN }, firstMessage: "Hi" });
    await deliver(shop, "orders/create", {
      id: 5_551_000_001,
      name: "#1001",
      email: ada.email,
      phone: ada.phone,
      customer: { id: ada.id, email: ada.email, phone: ada.phone },
      total_price: "120.00",
      currency: "USD",
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      line_items: [{ product_id: 632910392, variant_id: 1, sku: "TR-9", title: "Trail Runner", quantity: 1, price: "120.00" }],
    });
    await eventually(() => db().order.findFirst({ where: { shopId: shop.id, shopperId: { not: null } } }));
    const report = await deliver(shop, "customers/data_request", {
      shop_domain: shop.domain,
      customer: ada,
      orders_requested: [5_551_000_001],
      data_request: { id: 9 },
    });
    expect(JSON.stringify(report.result)).toContain(ada.email);
    // Klaviyo is not connected yet: the conversation's events wait in the outbox, as during an outage.
    expect(await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "pending", conversationId: conversation.id } })).toBeGreaterThan(0);
    const adaShopper = await db().shopper.findFirstOrThrow({ where: { shopId: shop.id, anonymousId: adaAnonymousId } });

    await deliver(shop, "customers/redact", { shop_domain: shop.domain, customer: ada, orders_to_redact: [5_551_000_001] });

    // Once Klaviyo is connected, what waited is delivered: Bob's events, none of Ada's.
    const apiKey = `pk_${randomBytes(12).toString("hex")}`;
    const accountId = fake.addAccount({ apiKey, accountId: `ACC${randomBytes(4).toString("hex")}` });
    await db().klaviyoConnection.create({ data: { shopId: shop.id, authMethod: "api_key", encryptedApiKey: encryptSecret(apiKey), accountId, scopes: [] } });
    await eventually(async () => fake.events(accountId).some((event) => event.uniqueId === `ca:${bob.id}:started`));
    await eventually(async () => (await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "pending" } })) === 0);
    const sentToKlaviyo = JSON.stringify(fake.requests().filter((request) => request.accountId === accountId)) + JSON.stringify(fake.events(accountId)) + JSON.stringify(fake.profiles(accountId));
    const identifiers = [ada.email, ada.phone, String(ada.id), adaAnonymousId, adaShopper.id, conversation.id, recommendation.id, "Trail shoes for Ada"];
    for (const identifier of identifiers) expect(sentToKlaviyo, identifier).not.toContain(identifier);

    const remaining = await everyRow();
    for (const identifier of identifiers) expect(remaining.filter((row) => row.includes(identifier)), identifier).toEqual([]);
    // Bob is untouched, and each delivery keeps its row so a replay is still recognised.
    expect(await db().shopper.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await db().webhookDelivery.count({ where: { shopDomain: shop.domain } })).toBe(3);
  });
});
