import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { TEST_API_KEY } from "../../test/support/constants";
import { adminDocumentRequest, createTestShop, send } from "../../test/support/shopify";

/** The page as the merchant reads it: without React's markers between text pieces, quotes unescaped. */
async function pageText(response: Response) {
  expect(response.status).toBe(200);
  return (await response.text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}

describe("Home", () => {
  it("walks a new shop through setup, linking to the theme editor with the app embed to switch on", async () => {
    const shop = await createTestShop();

    const text = await pageText(await send(await adminDocumentRequest("/app", shop)));

    expect(text).toContain("0 of 5 done");
    expect(text).toContain(`https://${shop.domain}/admin/themes/current/editor?context=apps&activateAppId=${TEST_API_KEY}/chat-widget`);
    // Test shops are unknown to the shared fake Shopify, whose Admin API answers 401: the step says it could not check.
    expect(text).toContain("Not checked");
    expect(text).toContain("The app could not read your live theme's settings");
    expect(text).toContain("Connect your Klaviyo account to send conversation events");
    expect(text).toContain("0 delivered, 0 pending, 0 failed");
  });

  it("shows the Klaviyo account and the shop's own delivery problems", async () => {
    const shop = await createTestShop();
    const otherShop = await createTestShop();
    await db().klaviyoConnection.create({
      data: {
        shopId: shop.id,
        authMethod: "api_key",
        encryptedApiKey: encryptSecret(`pk_${randomBytes(16).toString("hex")}`),
        accountId: "HOME01",
        accountName: "Acme Outdoors",
        scopes: [],
      },
    });
    for (const target of [shop, otherShop, otherShop]) {
      await db().klaviyoEvent.create({
        data: { shopId: target.id, metric: "Started Conversation", uniqueId: randomUUID(), occurredAt: new Date(), payload: {}, status: "failed", lastError: "x" },
      });
    }

    const text = await pageText(await send(await adminDocumentRequest("/app", shop)));

    expect(text).toContain("Connected to Acme Outdoors");
    expect(text).toContain("Klaviyo refused 1 event: the delivery log shows why, and lets you retry.");
    expect(text).toContain("0 delivered, 0 pending, 1 failed");
  });
});
