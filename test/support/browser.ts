import { chromium, type Browser } from "playwright-core";

export { MERCHANT_USER_AGENT } from "./constants";

/** Debian's Chromium driven by playwright-core (Playwright's own browser download cannot run here). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
  });
}
