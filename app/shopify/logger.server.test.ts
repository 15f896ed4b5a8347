import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "../logger.server";
import { shopifyLogger, shopifyLogSeverity } from "./logger.server";

/** The real Shopify library, configured as app/shopify.server.ts configures it, at `level`. */
function shopifyLibraryAt(level: Parameters<typeof shopifyLogger>[0]) {
  return shopifyApi({
    apiKey: "key",
    apiSecretKey: "secret",
    apiVersion: ApiVersion.October26,
    hostName: "app.example.com",
    isEmbeddedApp: true,
    logger: shopifyLogger(level),
  }).logger;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the Shopify library's logs", () => {
  it("asks the library for no more than the app's level", () => {
    expect(shopifyLogSeverity("warn")).toBe(LogSeverity.Warning);
    expect(shopifyLogSeverity("info")).toBe(LogSeverity.Info);
    expect(shopifyLogSeverity("debug")).toBe(LogSeverity.Debug);
    expect(shopifyLogSeverity("trace")).toBe(LogSeverity.Debug);
    expect(shopifyLogSeverity("error")).toBe(LogSeverity.Error);
  });

  it("at warn, drops the library's per-request info lines and keeps its warnings and errors, in the app's logger", async () => {
    // Replaced, not passed through: the test setup fails a test on any error that really gets logged.
    const logged = Object.fromEntries((["error", "warn", "info"] as const).map((level) => [level, vi.spyOn(logger(), level).mockImplementation(() => {})]));
    const library = shopifyLibraryAt("warn");

    await library.info("Authenticating app proxy request", { shop: "a.myshopify.com" });
    await library.warning("Session token is about to expire");
    await library.error("Could not exchange the token", { shop: "a.myshopify.com" });

    expect(logged.info).not.toHaveBeenCalled();
    expect(logged.warn).toHaveBeenCalledWith({ source: "shopify-api" }, "Session token is about to expire");
    expect(logged.error).toHaveBeenCalledWith({ source: "shopify-api" }, "Could not exchange the token | {shop: a.myshopify.com}");
  });

  it("at info, passes the library's info lines on", async () => {
    const info = vi.spyOn(logger(), "info").mockImplementation(() => {});
    await shopifyLibraryAt("info").info("Authenticating app proxy request");
    expect(info).toHaveBeenCalledWith({ source: "shopify-api" }, "Authenticating app proxy request");
  });
});
