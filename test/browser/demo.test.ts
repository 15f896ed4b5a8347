import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, MERCHANT_USER_AGENT, saveScreenshot } from "../support/browser";
import { startDemo, type RunningDemo } from "../support/demo";


let demo: RunningDemo;
let browser: Browser;
let storefrontUrl: string;
let adminUrl: string;
let klaviyoUrl: string;
let textsUrl: string;
let emailUrl: string;


beforeAll(async () => {
  demo = await startDemo();
  ({ storefrontUrl, adminUrl, klaviyoUrl, textsUrl, emailUrl } = demo);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("the local demo in a real browser", () => {
  it("lets a shopper chat on the storefront, a merchant answer and resolve it in the admin, and shows the events delivered to Klaviyo", async () => {
    // Headless Chromium says "HeadlessChrome", which the chat turns away as a bot; a shopper's browser does not.
    const shopper = await browser.newPage({ viewport: { width: 1280, height: 800 }, userAgent: MERCHANT_USER_AGENT });
    await shopper.goto(storefrontUrl);
    await expect.poll(() => shopper.locator(".card").count()).toBeGreaterThan(10);
    await shopper.getByRole("button", { name: "Open chat" }).click();
    await shopper.getByRole("textbox", { name: "Your message" }).fill("Do you have the Alpine Rain Shell in medium?");
    await shopper.getByRole("button", { name: "Send" }).click();
    // The built-in agent answers from the catalog, naming the product with its price.
    await expect.poll(() => shopper.locator(".message.agent", { hasText: /Alpine Rain Shell.*\$\d/ }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shopper.getByRole("button", { name: "Talk to a person" }).click();
    await expect.poll(() => shopper.getByRole("button", { name: "Talk to a person" }).isHidden()).toBe(true);
    await saveScreenshot(shopper, "demo-storefront-chat");

    const merchant = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: MERCHANT_USER_AGENT });
    await merchant.goto(`${adminUrl}?path=/app`);
    await expect.poll(() => merchant.getByRole("heading", { name: "Customer Agent" }).count()).toBe(1);
    await expect.poll(() => merchant.getByText("1 waiting for a person").count()).toBe(1);
    await saveScreenshot(merchant, "demo-admin-home");

    await merchant.getByRole("link", { name: "Open the inbox" }).click();
    await merchant.getByText("Do you have the Alpine Rain Shell in medium?").click();
    await merchant.getByRole("textbox", { name: "Reply" }).fill("Yes! Medium is in stock and ships today.");
    await merchant.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => merchant.getByText("Yes! Medium is in stock and ships today.").count()).toBe(1);
    await merchant.getByRole("button", { name: "Close conversation" }).click();
    await expect.poll(() => merchant.getByText("Closed", { exact: true }).count()).toBeGreaterThan(0);
    await saveScreenshot(merchant, "demo-admin-conversation");

    await expect.poll(() => shopper.getByText("Yes! Medium is in stock and ships today.").count(), { timeout: 15_000 }).toBe(1);

    await expect
      .poll(
        async () => {
          await merchant.goto(`${adminUrl}?path=/app/events`);
          return merchant.locator("tr", { hasText: "Delivered" }).filter({ hasText: /Started Conversation|Conversation Escalated/ }).count();
        },
        { timeout: 30_000 },
      )
      .toBe(2);
    await saveScreenshot(merchant, "demo-admin-events");

    const klaviyo = await browser.newPage();
    await klaviyo.goto(klaviyoUrl);
    for (const metric of ["Started Conversation", "Conversation Escalated"]) {
      expect(await klaviyo.getByRole("cell", { name: metric, exact: true }).count()).toBe(1);
    }
  });

  it("shows the merchant why a Klaviyo key was refused", async () => {
    const merchant = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: MERCHANT_USER_AGENT });
    await merchant.goto(`${adminUrl}?path=/app/klaviyo`);
    await merchant.getByLabel("Replace with another private API key").fill("pk_this_key_was_revoked_long_ago");
    await merchant.getByRole("button", { name: "Connect", exact: true }).click();
    await expect.poll(() => merchant.getByText("Klaviyo rejected this key").count()).toBe(1);
    await saveScreenshot(merchant, "demo-admin-klaviyo-error");
  });

  it("lets a shopper text the store by SMS, the agent answer, and the merchant reply from the admin by SMS", async () => {
    const phone = await browser.newPage({ viewport: { width: 900, height: 900 }, userAgent: MERCHANT_USER_AGENT });
    await phone.goto(`${textsUrl}?from=%2B14155550142`);
    await phone.getByLabel("Message").fill("Do you have the Alpine Rain Shell?");
    await phone.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(async () => {
        await phone.reload();
        return phone.locator("li", { hasText: /Alpine Rain Shell.*\$\d/ }).count();
      }, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await saveScreenshot(phone, "demo-text-the-store");

    const merchant = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: MERCHANT_USER_AGENT });
    await merchant.goto(`${adminUrl}?path=/app/conversations`);
    const thread = merchant.locator("tr", { hasText: "+14155550142" });
    await expect.poll(() => thread.filter({ hasText: "sms" }).count()).toBe(1);
    await thread.getByText("Do you have the Alpine Rain Shell?").click();
    await merchant.getByRole("textbox", { name: "Reply" }).fill("It comes in every size; medium ships today.");
    await merchant.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => merchant.getByText("It comes in every size; medium ships today.").count()).toBe(1);
    await expect
      .poll(async () => {
        await phone.reload();
        return phone.getByText("It comes in every size; medium ships today.").count();
      }, { timeout: 15_000 })
      .toBe(1);
  });

  it("lets a shopper email the store, the agent answer in the thread, and the merchant reply from the admin by email", async () => {
    const mail = await browser.newPage({ viewport: { width: 900, height: 900 }, userAgent: MERCHANT_USER_AGENT });
    await mail.goto(emailUrl);
    await mail.getByLabel("From").fill("ada.email@example.com");
    await mail.getByLabel("Subject").fill("Tents");
    await mail.getByLabel("Message").fill("Do you have tents for two?");
    await mail.getByRole("button", { name: "Send", exact: true }).click();
    await expect
      .poll(async () => {
        await mail.reload();
        return mail.locator("article", { hasText: /Re: Tents[\s\S]*Tent.*\$\d/ }).count();
      }, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await saveScreenshot(mail, "demo-email-the-store");

    const merchant = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: MERCHANT_USER_AGENT });
    await merchant.goto(`${adminUrl}?path=/app/conversations`);
    const thread = merchant.locator("tr", { hasText: "ada.email@example.com" });
    await expect.poll(() => thread.filter({ hasText: "email" }).count()).toBe(1);
    await thread.getByText("Do you have tents for two?").click();
    await merchant.getByRole("textbox", { name: "Reply" }).fill("The Alpine tent sleeps two and ships today.");
    await merchant.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => merchant.getByText("The Alpine tent sleeps two and ships today.").count()).toBe(1);
    await saveScreenshot(merchant, "demo-admin-email-conversation");
    await expect
      .poll(async () => {
        await mail.reload();
        return mail.locator("article", { hasText: "The Alpine tent sleeps two and ships today." }).count();
      }, { timeout: 15_000 })
      .toBe(1);
  });
});
