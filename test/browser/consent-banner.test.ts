import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoCatalog, type DemoCatalog } from "../../fakes/shopify/catalog";
import { startFakeShopify, type FakeShopify } from "../../fakes/shopify/server";
import { launchBrowser } from "../support/browser";
import { TEST_API_SECRET } from "../support/constants";
import { appUrl } from "../support/shopify";

const LOADS_PER_PAGE_TYPE = 10;

let browser: Browser;
let storefront: FakeShopify;
let catalog: DemoCatalog;

beforeAll(async () => {
  catalog = buildDemoCatalog("consent-banner-test.myshopify.com");
  storefront = await startFakeShopify({ apiSecret: TEST_API_SECRET, appUrl: appUrl("/"), shops: [catalog] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
});

const PAGES: Record<string, (catalog: DemoCatalog) => string> = {
  index: () => "/",
  collection: () => "/collections/all",
  product: (catalog) => `/products/${catalog.products.find((candidate) => candidate.status === "ACTIVE")!.handle}`,
};

describe("the demo storefront's consent banner", () => {
  it.each(Object.keys(PAGES))(
    "appears on every fresh load of the %s page, and the footer's privacy button brings it back after a decision",
    async (pageType) => {
      const pagePath = PAGES[pageType]!(catalog);
      for (let load = 1; load <= LOADS_PER_PAGE_TYPE; load++) {
        // A new context is a first visit: no consent cookie, so Shopify's banner is due.
        const context = await browser.newContext();
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${storefront.url}${pagePath}`);
        const banner = page.getByRole("region", { name: "Cookie consent" });
        await expect.poll(() => banner.isVisible(), { message: `${pageType} load ${load}: banner visible` }).toBe(true);

        await banner.getByRole("button", { name: "Decline" }).click();
        await expect.poll(() => banner.isHidden(), { message: `${pageType} load ${load}: hidden after declining` }).toBe(true);
        await page.getByRole("button", { name: "Privacy settings" }).click();
        await expect.poll(() => banner.isVisible(), { message: `${pageType} load ${load}: privacy settings reopen it` }).toBe(true);

        expect(errors, `${pageType} load ${load}`).toEqual([]);
        await context.close();
      }
    },
    120_000,
  );
});
