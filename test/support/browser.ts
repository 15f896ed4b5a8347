import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium driven by playwright-core. Headless Chrome announces itself in its user agent, and the Shopify
 * library turns bots away from admin pages (410), so the tests present the user agent of the desktop browser
 * a merchant would use.
 */
export const MERCHANT_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
  });
}
