import { randomBytes, randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "../../app/crypto.server";
import { db } from "../../app/db.server";
import { launchBrowser, openEmbeddedAdmin, saveScreenshot } from "../support/browser";
import { appUrl, createTestShop, type TestShop } from "../support/shopify";

const KLAVIYO_REFUSAL = "Invalid phone number format (Example of a valid format: +12345678901)";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function openAdmin(shop: TestShop, adminPath: string) {
  return openEmbeddedAdmin(browser, appUrl(`/demo/admin?${new URLSearchParams({ shop: shop.domain, path: adminPath })}`));
}

describe("the embedded admin in a real browser", () => {
  it("guides the merchant from the checklist to a refused Klaviyo key, then retries an event Klaviyo refused", async () => {
    const shop = await createTestShop();
    const failed = await db().klaviyoEvent.create({
      data: {
        shopId: shop.id,
        metric: "Conversation Escalated",
        uniqueId: randomUUID(),
        occurredAt: new Date(Date.now() - 5 * 60_000),
        payload: {},
        status: "failed",
        attempts: 1,
        lastStatusCode: 400,
        lastError: KLAVIYO_REFUSAL,
      },
    });
    const { page, problems } = await openAdmin(shop, "/app");

    await expect.poll(() => page.getByRole("heading", { name: "Set up" }).count()).toBe(1);
    for (const step of ["1. Switch on the chat in your theme", "2. Connect Klaviyo", "3. See events arrive in Klaviyo"]) {
      expect(await page.getByRole("heading", { name: step }).count()).toBe(1);
    }
    expect(await page.getByText("Klaviyo refused 1 event: the delivery log shows why, and lets you retry.").count()).toBe(1);
    await saveScreenshot(page, "admin-home");
    // Test shops are unknown to the shared fake Shopify: its Admin API answered 401 to the theme check, and the
    // Shopify library dropped the shop's offline token in response. Put it back for the pages that follow.
    await db().session.update({ where: { id: `offline_${shop.domain}` }, data: { accessToken: shop.accessToken } });

    await page.getByRole("link", { name: "Klaviyo", exact: true }).click();
    await page.getByLabel("Private API key").fill("pk_this_key_was_revoked_long_ago");
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await expect.poll(() => page.getByText("Klaviyo rejected this key").count()).toBe(1);
    expect(await page.getByLabel("Private API key").getAttribute("aria-invalid")).toBe("true");
    await saveScreenshot(page, "admin-klaviyo-refused-key");

    await page.getByRole("link", { name: "Event delivery", exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: "Conversation Escalated" });
    await expect.poll(() => row.getByText(`400: ${KLAVIYO_REFUSAL}`).count()).toBe(1);
    expect(await row.getByText("Failed", { exact: true }).count()).toBe(1);
    await saveScreenshot(page, "admin-events-failed");

    await row.getByRole("checkbox").check({ force: true });
    await page.getByRole("button", { name: "Retry", exact: true }).click();
    await expect.poll(() => row.getByText("Pending", { exact: true }).count()).toBe(1);
    expect(await page.getByText("1 event queued again").count()).toBe(1);
    expect(await db().klaviyoEvent.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: "pending", lastError: null });
    await saveScreenshot(page, "admin-events-retried");

    expect(problems).toEqual([]);
  });

  it("tells the merchant what needs attention, and disconnects only after confirmation", async () => {
    const shop = await createTestShop();
    await db().klaviyoConnection.create({
      data: {
        shopId: shop.id,
        authMethod: "api_key",
        // Not a key the shared fake Klaviyo knows; the shop has no pending events, so nothing is sent with it.
        encryptedApiKey: encryptSecret(`pk_${randomBytes(16).toString("hex")}`),
        accountId: "BROWSER01",
        accountName: "Acme Outdoors",
        scopes: ["accounts:read", "events:write", "profiles:write", "metrics:read", "segments:write"],
        status: "needs_attention",
        statusDetail: "Klaviyo rejected the API key (it may have been deleted or revoked). Reconnect Klaviyo with a valid private API key.",
      },
    });
    const { page, problems } = await openAdmin(shop, "/app/klaviyo");

    await expect.poll(() => page.getByRole("heading", { name: "Connected to Acme Outdoors" }).count()).toBe(1);
    expect(await page.getByText("Klaviyo needs your attention").count()).toBe(1);
    expect(await page.getByText("Missing", { exact: true }).count()).toBe(1);
    await saveScreenshot(page, "admin-klaviyo-needs-attention");

    await page.getByRole("button", { name: "Disconnect Klaviyo" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByText("The app stops sending events to Acme Outdoors").count()).toBe(1);
    await saveScreenshot(page, "admin-klaviyo-confirm-disconnect");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(1);

    await page.getByRole("button", { name: "Disconnect Klaviyo" }).click();
    await dialog.getByRole("button", { name: "Disconnect", exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Connect your Klaviyo account" }).count()).toBe(1);
    expect(await page.getByText("Klaviyo is disconnected.").count()).toBe(1);
    expect(await db().klaviyoConnection.count({ where: { shopId: shop.id } })).toBe(0);

    expect(problems).toEqual([]);
  });
});
