import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, MERCHANT_USER_AGENT } from "../support/browser";
import { startDemo, type RunningDemo } from "../support/demo";

const SCREENSHOTS = path.resolve(import.meta.dirname, "../../tmp");

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

function chat(page: Page) {
  return page.getByRole("dialog", { name: /^Chat with/ });
}

async function ask(page: Page, message: string) {
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.getByRole("textbox", { name: "Your message" }).fill(message);
  await page.getByRole("button", { name: "Send" }).click();
}

describe("the storefront widget in a real browser", () => {
  it("shows product cards, adds one to the cart named after the conversation, keeps the thread over a reload, and tells Klaviyo", async () => {
    // axe-core opens a page of its own in the context, which browser.newPage()'s single-page contexts refuse.
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent: MERCHANT_USER_AGENT })).newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(demo.storefrontUrl);
    // A logged-in customer, who accepts the store's cookies: the events carry their Shopify customer id.
    await page.getByRole("button", { name: "Accept" }).click();
    const customerId = await page.locator("select[name=customer_id] option").first().getAttribute("value");
    await page.getByRole("button", { name: "Sign in" }).click();
    // A theme's own attribute, which the widget's write must leave alone.
    await page.evaluate(() => fetch("/cart/update.js", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ attributes: { gift_note: "Happy birthday" } }) }));

    await ask(page, "Do you have the Alpine Rain Shell in medium?");
    const addButtons = chat(page).getByRole("button", { name: "Add to cart" });
    await expect.poll(() => addButtons.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const firstCard = chat(page).getByRole("listitem").filter({ has: page.getByRole("button", { name: "Add to cart" }) }).first();
    expect(await firstCard.getByRole("link").first().textContent()).toMatch(/Alpine Rain Shell/);
    expect(await firstCard.textContent()).toMatch(/\$\d+\.\d{2}/);
    expect(await chat(page).getByRole("button", { name: "Yes, that helped" }).count()).toBe(1);

    const axe = await new AxeBuilder({ page }).include("#customer-agent").analyze();
    const serious = axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);

    // The add is reported to the app for the merchant's dashboard (Admin → Dashboard, card interactions).
    const reported = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith("/interactions"));
    await addButtons.first().click();
    await expect.poll(() => chat(page).getByRole("status").filter({ hasText: "Added to your cart." }).count()).toBe(1);
    const report = await reported;
    // 200 is a recorded (or already recorded) interaction; the widget does not read the body, so neither does the test.
    expect(report.status()).toBe(200);
    expect(JSON.parse(report.request().postData() ?? "{}")).toMatchObject({ kind: "add_to_cart" });
    await page.screenshot({ path: path.join(SCREENSHOTS, "widget-cards.png") });
    const conversationId = await page.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith("customer-agent:conversation:"))?.[1]);
    expect(conversationId).toBeTruthy();
    const cart = await page.evaluate(async () => (await fetch("/cart.js")).json());
    expect(cart.item_count).toBe(1);
    expect(cart.attributes).toEqual({ gift_note: "Happy birthday", _customer_agent_conversation: conversationId });

    // The panel was open: after a reload it comes back with the thread, and the header counts the cart.
    await page.reload();
    await expect.poll(() => chat(page).getByText("Do you have the Alpine Rain Shell in medium?").count(), { timeout: 10_000 }).toBe(1);
    expect(await chat(page).getByRole("button", { name: "Add to cart" }).count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: "Cart (1)" }).count()).toBe(1);

    // Asking for a person says so, in the panel.
    await chat(page).getByRole("button", { name: "Talk to a person" }).click();
    await expect.poll(() => chat(page).getByRole("status").filter({ hasText: "We've asked a person on our team to reply." }).count()).toBe(1);
    expect(await chat(page).getByRole("button", { name: "Talk to a person" }).count()).toBe(0);

    const klaviyo = await browser.newPage();
    for (const metric of ["Started Conversation", "Received Product Recommendation"]) {
      await expect
        .poll(
          async () => {
            await klaviyo.goto(demo.klaviyoUrl);
            return klaviyo.locator("tr", { has: klaviyo.getByRole("cell", { name: metric, exact: true }) }).filter({ hasText: `"external_id":"${customerId}"` }).count();
          },
          { timeout: 30_000 },
        )
        .toBe(1);
    }
    expect(problems).toEqual([]);
  });

  it("fits a 360 px phone and reads right to left", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, userAgent: MERCHANT_USER_AGENT });
    await page.goto(demo.storefrontUrl);
    await page.evaluate(() => document.documentElement.setAttribute("dir", "rtl"));
    await ask(page, "Do you have a hoodie?");
    const addButtons = chat(page).getByRole("button", { name: "Add to cart" });
    await expect.poll(() => addButtons.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const panel = await chat(page).boundingBox();
    expect(panel).not.toBeNull();
    expect(panel!.x).toBeGreaterThanOrEqual(0);
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(360);
    const card = await addButtons.first().boundingBox();
    expect(card!.x + card!.width).toBeLessThanOrEqual(360);
    // Right to left: the shopper's own message sits on the left, the agent's on the right.
    const mine = await chat(page).getByText("Do you have a hoodie?").boundingBox();
    const greeting = await chat(page).getByText("Hi! Ask us anything").boundingBox();
    expect(mine!.x).toBeLessThan(greeting!.x);
    await page.screenshot({ path: path.join(SCREENSHOTS, "widget-phone.png") });
    // Escape closes the panel and gives the focus back to the launcher.
    await page.getByRole("textbox", { name: "Your message" }).focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => chat(page).isHidden()).toBe(true);
    expect(await page.evaluate(() => document.getElementById("customer-agent")?.shadowRoot?.activeElement?.getAttribute("aria-label"))).toBe("Open chat");
  });

  it("puts an email typed in chat on the events that follow and on Klaviyo's onsite profile, only with consent", async () => {
    const tag = Date.now().toString(36);
    const declined = `declined-${tag}@example.org`;
    const consented = `consented-${tag}@example.org`;
    async function shopper(consent: "Accept" | "Decline", email: string) {
      const page = await browser.newPage({ userAgent: MERCHANT_USER_AGENT });
      await page.goto(demo.storefrontUrl);
      await page.getByRole("button", { name: consent }).click();
      await ask(page, "Hello there");
      await expect.poll(() => chat(page).locator(".message.agent").count(), { timeout: 15_000 }).toBeGreaterThan(1);
      await page.getByRole("textbox", { name: "Your message" }).fill(`You can reach me at ${email}`);
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => chat(page).getByText(`You can reach me at ${email}`).count(), { timeout: 15_000 }).toBe(1);
      await page.getByRole("textbox", { name: "Your message" }).fill("Do you have a hoodie?");
      await page.getByRole("button", { name: "Send" }).click();
      await expect.poll(() => chat(page).getByRole("button", { name: "Add to cart" }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await page.close();
    }
    // The shopper who declined goes first: by the time the other's events arrive, theirs would have too.
    await shopper("Decline", declined);
    await shopper("Accept", consented);

    const klaviyo = await browser.newPage();
    const rows = (metric: string, text: string) => klaviyo.locator("tr", { has: klaviyo.getByRole("cell", { name: metric, exact: true }) }).filter({ hasText: text });
    await expect
      .poll(
        async () => {
          await klaviyo.goto(demo.klaviyoUrl);
          return rows("Received Product Recommendation", `"email":"${consented}"`).count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    // Klaviyo's onsite script was told too, as a Klaviyo form would tell it.
    expect(await klaviyo.getByRole("cell", { name: consented, exact: true }).count()).toBe(1);
    expect(await klaviyo.getByText(declined).count()).toBe(0);
    await klaviyo.close();
  });

  it("tells a shopper who sends too fast to wait, keeps what they typed, and stores each message once", async () => {
    const page = await browser.newPage({ userAgent: MERCHANT_USER_AGENT });
    await page.goto(demo.storefrontUrl);
    await page.getByRole("button", { name: "Open chat" }).click();
    const box = page.getByRole("textbox", { name: "Your message" });
    const send = page.getByRole("button", { name: "Send" });
    const refusal = chat(page).getByText(/faster than we can answer\. Please wait \d+ s/);
    let sent = 0;
    for (; sent < 40 && (await refusal.count()) === 0; sent += 1) {
      await box.fill(`Question number ${sent + 1}`);
      await send.click();
      await expect.poll(async () => (await box.inputValue()) === "" || (await refusal.count()) > 0).toBe(true);
      await expect.poll(() => send.isEnabled().then(async (enabled) => enabled || (await refusal.count()) > 0)).toBe(true);
    }
    expect(await refusal.count()).toBe(1);
    // The refused message is still in the box, and Send waits out the pause.
    const refused = `Question number ${sent}`;
    expect(await box.inputValue()).toBe(refused);
    expect(await send.isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, "widget-rate-limited.png") });

    await page.reload();
    const shopperMessages = () => chat(page).locator(".message.shopper").evaluateAll((nodes) => nodes.map((node) => node.lastChild?.textContent ?? ""));
    const expected = Array.from({ length: sent - 1 }, (_, index) => `Question number ${index + 1}`);
    await expect.poll(shopperMessages, { timeout: 10_000 }).toEqual(expected);
  });
});
