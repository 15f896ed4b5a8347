import { describe, expect, it } from "vitest";
import { ConfigError, logLevel, parseConfig } from "./config.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("configuration", () => {
  it("applies defaults for everything optional", () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({ PORT: 3000, KLAVIYO_API_URL: "https://a.klaviyo.com", WORKERS: "on", DEMO_MODE: false });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("names every missing or malformed variable in one error", () => {
    let message = "";
    try {
      parseConfig({ SHOPIFY_API_KEY: "key", SHOPIFY_APP_URL: "not a url", ENCRYPTION_KEY: "short", DATABASE_URL: "mysql://x" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain("SHOPIFY_API_SECRET: is not set");
    expect(message).toContain("SHOPIFY_APP_URL:");
    expect(message).toContain("ENCRYPTION_KEY: must be 32 random bytes in base64");
    expect(message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// connection string");
    expect(message).not.toContain("SHOPIFY_API_KEY");
  });

  it("sends SMS and WhatsApp to Twilio's API unless TWILIO_API_URL names another, which must be a URL", () => {
    expect(parseConfig(valid).TWILIO_API_URL).toBe("https://api.twilio.com");
    expect(parseConfig({ ...valid, TWILIO_API_URL: "http://127.0.0.1:4020" }).TWILIO_API_URL).toBe("http://127.0.0.1:4020");
    expect(() => parseConfig({ ...valid, TWILIO_API_URL: "api.twilio.com" })).toThrow(/TWILIO_API_URL:/);
  });

  it("treats blank values copied from .env.example as unset", () => {
    expect(parseConfig({ ...valid, DATABASE_URL: "", KLAVIYO_CLIENT_ID: "" }).DATABASE_URL).toBeUndefined();
  });

  it("requires the Klaviyo OAuth client id and secret together", () => {
    expect(() => parseConfig({ ...valid, KLAVIYO_CLIENT_ID: "abc" })).toThrow(/KLAVIYO_CLIENT_ID and KLAVIYO_CLIENT_SECRET go together/);
  });

  it("refuses demo mode, whatever NODE_ENV is, unless the Admin API is a local fake", () => {
    for (const NODE_ENV of [undefined, "development", "test", "production"]) {
      expect(() => parseConfig({ ...valid, NODE_ENV, DEMO_MODE: "true" })).toThrow(/DEMO_MODE: .*SHOPIFY_ADMIN_API_ORIGIN/);
      for (const origin of ["https://admin.shopify.com", "https://shop.myshopify.com", "http://localhost.example.com", "http://10.0.0.1:4000"]) {
        expect(() => parseConfig({ ...valid, NODE_ENV, DEMO_MODE: "true", SHOPIFY_ADMIN_API_ORIGIN: origin })).toThrow(/DEMO_MODE/);
      }
    }
    for (const origin of ["http://localhost:4000", "http://127.0.0.1:4000", "http://[::1]:4000"]) {
      expect(parseConfig({ ...valid, NODE_ENV: "production", DEMO_MODE: "true", SHOPIFY_ADMIN_API_ORIGIN: origin }).DEMO_MODE).toBe(true);
    }
  });

  it("logs at warn in production and tests, at info in development, unless LOG_LEVEL says otherwise", () => {
    expect(parseConfig({ ...valid, NODE_ENV: "production" }).LOG_LEVEL).toBe("warn");
    expect(parseConfig({ ...valid, NODE_ENV: "test" }).LOG_LEVEL).toBe("warn");
    expect(parseConfig({ ...valid, NODE_ENV: "development" }).LOG_LEVEL).toBe("info");
    expect(parseConfig(valid).LOG_LEVEL).toBe("info");
    expect(parseConfig({ ...valid, NODE_ENV: "production", LOG_LEVEL: "debug" }).LOG_LEVEL).toBe("debug");
    expect(parseConfig({ ...valid, NODE_ENV: "production", LOG_LEVEL: "" }).LOG_LEVEL).toBe("warn");
    expect(() => parseConfig({ ...valid, LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL:/);
  });

  it("gives the logger the same level from LOG_LEVEL and NODE_ENV alone, before the rest of the environment is set", () => {
    expect(logLevel({ NODE_ENV: "production" })).toBe("warn");
    expect(logLevel({ NODE_ENV: "development" })).toBe("info");
    expect(logLevel({ NODE_ENV: "production", LOG_LEVEL: "error" })).toBe("error");
    // A bad value fails start-up in parseConfig; until then nothing from info up is lost.
    expect(logLevel({ NODE_ENV: "production", LOG_LEVEL: "verbose" })).toBe("info");
  });
});
