import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { MERCHANT_USER_AGENT } from "./constants";

export { MERCHANT_USER_AGENT } from "./constants";

/** Where browser tests leave their screenshots, as CI artifacts. */
const SCREENSHOTS = path.resolve(import.meta.dirname, "../../tmp");

/** Debian's Chromium driven by playwright-core (Playwright's own browser download cannot run here). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
  });
}

export async function saveScreenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * A merchant's browser on the embedded admin at `adminUrl` (the demo's `/demo/admin`, which mints a valid session
 * token), collecting script errors, console errors and failed requests of the app. Requests elsewhere fail offline:
 * the Shopify library preloads App Bridge from Shopify's CDN, which the demo replaces with its stand-in. A context of
 * its own, because axe-core opens a page of its own in it.
 */
export async function openEmbeddedAdmin(browser: Browser, adminUrl: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const fromApp = (url: string) => new URL(url).origin === new URL(adminUrl).origin;
  const context = await browser.newContext({ viewport: { width, height: 900 }, userAgent: MERCHANT_USER_AGENT });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && fromApp(message.location().url || adminUrl)) problems.push(`console error: ${message.text()}`);
  });
  page.on("requestfailed", (request) => {
    if (fromApp(request.url())) problems.push(`request failed: ${request.url()}`);
  });
  await page.goto(adminUrl);
  return { page, problems };
}
