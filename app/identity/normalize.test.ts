import { describe, expect, it } from "vitest";
import { detectContactDetails, normalizeEmail, normalizePhone } from "./normalize";

describe("normalizeEmail", () => {
  it("lower-cases and trims an address, and refuses what is not one", () => {
    expect(normalizeEmail("  Ada@Example.ORG ")).toBe("ada@example.org");
    expect(normalizeEmail("")).toBeNull();
    expect(normalizeEmail("not an email")).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
  });
});

describe("normalizePhone", () => {
  it("writes a number with its country code as E.164, whatever the punctuation", () => {
    expect(normalizePhone("+1 (514) 555-0100")).toBe("+15145550100");
    expect(normalizePhone("0044 7911 123456")).toBe("+447911123456");
  });

  it("reads a national number in the shop's country, and never guesses a country it was not given", () => {
    expect(normalizePhone("(212) 555-0147", "US")).toBe("+12125550147");
    expect(normalizePhone("07911 123456", "gb")).toBe("+447911123456");
    expect(normalizePhone("(212) 555-0147")).toBeNull();
    expect(normalizePhone("(212) 555-0147", "XX")).toBeNull();
  });

  it("refuses numbers that cannot be phones: Klaviyo would reject the whole event", () => {
    expect(normalizePhone("12345", "US")).toBeNull();
    expect(normalizePhone("+1 212 555")).toBeNull();
    expect(normalizePhone("+44 7700 900123 45")).toBeNull();
    expect(normalizePhone("")).toBeNull();
  });
});

describe("detectContactDetails", () => {
  it("finds an email and a phone typed in a chat message", () => {
    expect(detectContactDetails("you can reach me at Ada@Example.org.", "US")).toEqual({ email: "ada@example.org", phone: null });
    expect(detectContactDetails("call me on (212) 555-0147 after 5pm", "US")).toEqual({ email: null, phone: "+12125550147" });
    expect(detectContactDetails("ada@example.org or +44 7911 123456", "US")).toEqual({ email: "ada@example.org", phone: "+447911123456" });
  });

  it("does not take order numbers, prices, dates or quantities for phone numbers", () => {
    for (const text of ["where is order #1001?", "anything under $50", "ordered on 2026-11-30", "I need 2 pairs in size 42", "my order 1001 for 129.99"]) {
      expect(detectContactDetails(text, "US")).toEqual({ email: null, phone: null });
    }
  });

  it("leaves a national number alone when the shop's country is unknown", () => {
    expect(detectContactDetails("call me on (212) 555-0147", null)).toEqual({ email: null, phone: null });
  });
});
