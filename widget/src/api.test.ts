import { describe, expect, it } from "vitest";
import { endpoints, klaviyoExchangeId, parseConfig, validateIdentity, WidgetConfigError } from "./api";

describe("widget API helpers", () => {
  it("builds the app proxy endpoints, escaping ids", () => {
    expect(endpoints.start("/apps/customer-agent")).toBe("/apps/customer-agent/conversations");
    expect(endpoints.poll("/apps/customer-agent", "a/b", "x y")).toBe("/apps/customer-agent/conversations/a%2Fb?anonymousId=x%20y");
    expect(endpoints.escalate("/apps/customer-agent", "c1")).toBe("/apps/customer-agent/conversations/c1/escalate");
  });

  it("reads Klaviyo's exchange id from __kla_id, and ignores anonymous or broken cookies", () => {
    const identified = btoa(JSON.stringify({ cid: "abc", $exchange_id: "01KXEXCH" }));
    expect(klaviyoExchangeId(`theme=dark; __kla_id=${encodeURIComponent(identified)}`)).toBe("01KXEXCH");
    expect(klaviyoExchangeId(`__kla_id=${btoa(JSON.stringify({ cid: "abc" }))}`)).toBeNull();
    expect(klaviyoExchangeId("__kla_id=not-base64-json")).toBeNull();
    expect(klaviyoExchangeId("")).toBeNull();
  });

  it("parses the embed's config with safe defaults, and explains a missing embed", () => {
    const config = parseConfig(JSON.stringify({ shop: "s.myshopify.com", proxyPath: "/apps/customer-agent/", settings: { accentColor: "javascript:alert(1)" } }));
    expect(config).toMatchObject({ proxyPath: "/apps/customer-agent", settings: { accentColor: "#1f6f5c", position: "right", showOnMobile: true } });
    expect(() => parseConfig(null)).toThrow(WidgetConfigError);
  });

  it("validates identify() arguments with clear errors", () => {
    expect(validateIdentity({ email: "ada@example.com" })).toEqual({ email: "ada@example.com" });
    expect(() => validateIdentity("ada@example.com")).toThrow(/expects an object/);
    expect(() => validateIdentity({ email: "nope" })).toThrow(/"nope" is not an email address/);
    expect(() => validateIdentity({})).toThrow(/needs an email or a phone/);
  });
});
