import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAi, type FakeOpenAi } from "../../fakes/openai/server";
import { launchBrowser, MERCHANT_USER_AGENT, saveScreenshot } from "../support/browser";
import { startDemo, type RunningDemo } from "../support/demo";


let demo: RunningDemo;
let browser: Browser;
let openai: FakeOpenAi;

beforeAll(async () => {
  [demo, openai] = await Promise.all([startDemo(), startFakeOpenAi()]);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await openai?.close();
  await demo?.stop();
});

/** A merchant's browser on the demo's embedded admin (a fresh session token per page), collecting script errors. */
async function merchant(width = 1280): Promise<{ context: BrowserContext; page: Page; problems: string[]; open(adminPath: string): Promise<void> }> {
  // axe-core opens a page of its own in the context, which browser.newPage()'s single-page contexts refuse.
  const context = await browser.newContext({ viewport: { width, height: 900 }, userAgent: MERCHANT_USER_AGENT });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // A refused save is answered 400 by design (the field errors), which Chromium reports as a failed resource.
    if (/status of 400 \(Bad Request\)/.test(message.text())) return;
    if (message.type() === "error" && message.location().url.startsWith(new URL(demo.adminUrl).origin)) problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems, open: async (adminPath) => void (await page.goto(`${demo.adminUrl}?path=${encodeURIComponent(adminPath)}`)) };
}


async function expectAccessible(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}

function section(page: Page, name: string) {
  return page.getByRole("form", { name });
}

describe("the admin's settings pages in a real browser", () => {
  it("shows the checklist from real state and today's figures", async () => {
    const { page, problems, open } = await merchant();
    await open("/app");
    await expect.poll(() => page.getByRole("heading", { name: "Set up" }).count()).toBe(1);
    for (const step of ["4. Create segments and a flow in Klaviyo", "5. See your first conversation"]) {
      expect(await page.getByRole("heading", { name: step }).count()).toBe(1);
    }
    expect(await page.getByRole("heading", { name: "Today" }).count()).toBe(1);
    expect(await page.getByText("Resolved by the agent").count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, "admin-settings-home");
    expect(problems).toEqual([]);
  });

  it("saves guidance, keeps typed values on a refused save, checks the LLM endpoint, and the storefront and agent use it", async () => {
    const { page, problems, open } = await merchant();
    await open("/app/guidance");
    const identity = section(page, "Identity");
    await expect.poll(() => identity.getByLabel("Agent name").count()).toBe(1);
    await identity.getByLabel("Agent name").fill("Juniper");
    await identity.getByLabel("Greeting").fill("Hey, I'm Juniper from Demo Outfitters. Ask me about gear or your order.");
    await identity.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => identity.getByText("Saved.", { exact: true }).count()).toBe(1);

    // A refused save names the field and keeps what was typed.
    const widget = section(page, "Chat on your store");
    await widget.getByLabel("Colour").fill("rust");
    await widget.getByLabel("Launcher label").fill("Ask Juniper");
    await widget.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => widget.getByText("Enter a colour as #RRGGBB, for example #1F6F5C.").count()).toBe(1);
    expect(await widget.getByLabel("Launcher label").inputValue()).toBe("Ask Juniper");
    expect(await widget.getByLabel("Colour").getAttribute("aria-invalid")).toBe("true");
    await saveScreenshot(page, "admin-settings-guidance-error");
    await widget.getByLabel("Colour").fill("#aa3300");
    await widget.getByLabel("Cart").check();
    await widget.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => widget.getByText("Saved and published to your store.").count()).toBe(1);

    // The connection check runs against the endpoint with the key typed, and the key is never shown again.
    const brain = section(page, "Brain");
    await brain.getByLabel("Who writes the replies").selectOption("llm");
    await brain.getByLabel("Base URL").fill(openai.baseUrl);
    await brain.getByLabel("Model").fill("gpt-demo");
    await brain.getByLabel("API key").fill(openai.apiKey);
    await brain.getByRole("button", { name: "Check connection" }).click();
    await expect.poll(() => brain.getByText("The endpoint answered with model gpt-demo.").count()).toBe(1);
    await brain.getByLabel("API key").fill("sk-wrong");
    await brain.getByRole("button", { name: "Check connection" }).click();
    await expect.poll(() => brain.getByText("The endpoint refused the API key (401).").count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, "admin-settings-guidance");

    // Saved means saved: a fresh load shows it.
    await open("/app/guidance");
    await expect.poll(() => section(page, "Identity").getByLabel("Agent name").inputValue()).toBe("Juniper");
    expect(await section(page, "Chat on your store").getByLabel("Launcher label").inputValue()).toBe("Ask Juniper");
    expect(await section(page, "Brain").getByLabel("Who writes the replies").inputValue()).toBe("builtin");
    expect(problems).toEqual([]);

    // The storefront renders the look from the metafield; the chat greets with the merchant's words.
    const shopper = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent: MERCHANT_USER_AGENT })).newPage();
    await shopper.goto(demo.storefrontUrl);
    const launcher = shopper.getByRole("button", { name: "Ask Juniper" });
    await expect.poll(() => launcher.count(), { timeout: 10_000 }).toBe(1);
    expect(await launcher.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe("rgb(170, 51, 0)");
    await launcher.click();
    const chat = shopper.getByRole("dialog", { name: /^Chat with/ });
    await expect.poll(() => chat.getByText("Hey, I'm Juniper from Demo Outfitters. Ask me about gear or your order.").count()).toBeGreaterThan(0);
    await shopper.getByRole("textbox", { name: "Your message" }).fill("Hello!");
    await shopper.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => chat.getByText("Hey, I'm Juniper from Demo Outfitters. Ask me about gear or your order.").count(), { timeout: 15_000 }).toBe(2);
    // Screen readers hear the agent's name before its messages.
    expect(await chat.locator(".message.agent .author", { hasText: "Juniper:" }).count()).toBeGreaterThan(0);
    await saveScreenshot(shopper, "admin-settings-storefront-look");

    // Hidden on the cart page: the embed renders nothing there.
    await shopper.goto(new URL("/cart", demo.storefrontUrl).toString());
    expect(await shopper.locator("#customer-agent-config").count()).toBe(0);
  });

  it("adds a rule, moves it up, and shows which rule a phrase would fire and why", async () => {
    const { page, problems, open } = await merchant();
    await open("/app/rules");
    const add = section(page, "Add rule");
    await expect.poll(() => add.getByLabel("Name").count()).toBe(1);
    await add.getByLabel("Name").fill("Engraving request");
    await add.getByLabel("Phrases").fill("engraving\ngift wrap");
    await add.getByRole("button", { name: "Add rule" }).click();
    const rows = page.getByRole("listitem");
    await expect.poll(() => rows.last().getByRole("heading", { name: "Engraving request" }).count()).toBe(1);
    const count = await rows.count();

    await page.getByRole("button", { name: "Move Engraving request up" }).click();
    await expect.poll(() => rows.nth(count - 2).getByRole("heading", { name: "Engraving request" }).count()).toBe(1);

    const tester = section(page, "Test a phrase");
    await tester.getByLabel("Shopper message").fill("Could you add engraving to the flask?");
    await tester.getByRole("button", { name: "Test" }).click();
    await expect.poll(() => page.getByRole("status").getByText(`Rule ${count - 1}, “Engraving request”, fires.`).count()).toBe(1);
    expect(await page.getByRole("status").getByText("Why: the message contains “engraving”.").count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, "admin-settings-rules");

    await tester.getByLabel("Shopper message").fill("Do you have a rain jacket in blue?");
    await tester.getByRole("button", { name: "Test" }).click();
    await expect.poll(() => page.getByRole("status").getByText("No rule fires: the agent answers this message itself.").count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it("adds an FAQ entry, finds it by search, and re-syncs the policies from Shopify", async () => {
    const { page, problems, open } = await merchant();
    await open("/app/knowledge");
    const add = section(page, "Add FAQ entry");
    await expect.poll(() => add.getByLabel("Question").count()).toBe(1);
    await add.getByLabel("Question").fill("Do you repair worn zippers?");
    await add.getByLabel("Answer").fill("Yes: send the item back and we replace a worn zipper for free within two years of purchase.");
    await add.getByRole("button", { name: "Add FAQ entry" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Do you repair worn zippers?" }).count()).toBe(1);

    const entries = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: /^Edit: / }) });
    const all = await entries.count();
    await page.getByLabel("Search FAQ").fill("zipper");
    await expect.poll(() => entries.count()).toBeLessThan(all);
    expect(await page.getByRole("heading", { name: "Do you repair worn zippers?" }).count()).toBe(1);

    await page.getByRole("button", { name: "Re-sync policies" }).click();
    await expect.poll(() => page.getByText(/\d+ polic(y|ies) synced from Shopify\./).count()).toBe(1);
    expect(await page.getByText(/^Last synced /).count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await saveScreenshot(page, "admin-settings-knowledge");
    expect(problems).toEqual([]);
  });

  it("fits a phone's width on every page", async () => {
    const { page, problems, open } = await merchant(375);
    for (const [adminPath, heading] of [["/app", "Set up"], ["/app/guidance", "Identity"], ["/app/rules", "Test a phrase"], ["/app/knowledge", "Policies"]] as const) {
      await open(adminPath);
      await expect.poll(() => page.getByRole("heading", { name: heading }).count()).toBeGreaterThan(0);
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll("body *")].filter((element) => element.getBoundingClientRect().right > 376).slice(0, 5).map((element) => `${element.tagName}.${element.className}`),
      );
      expect({ adminPath, overflowing }).toEqual({ adminPath, overflowing: [] });
      await saveScreenshot(page, `admin-settings${adminPath.replace(/\//g, "-")}-narrow`);
    }
    expect(problems).toEqual([]);
  });
});
