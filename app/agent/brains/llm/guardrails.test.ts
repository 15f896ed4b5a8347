import { describe, expect, it } from "vitest";
import { checkGrounded } from "./guardrails";

const product = JSON.stringify({ products: [{ title: "Alpine Rain Shell", price: "189.00", currencyCode: "USD", url: "https://demo.example/products/alpine-rain-shell" }] });
const order = JSON.stringify({ order: { name: "#1001", totalPrice: "214.00", tracking: [{ number: "1Z999AA10123456784", url: "https://www.ups.com/track?tracknum=1Z999AA10123456784" }] } });
const evidence = { toolResults: [product, order], shopperText: "where is order 1001?", secrets: ["AGENT-INSTRUCTIONS-7f3a", "sk-secret"] };

describe("LLM reply guardrails", () => {
  it("accepts prices, order numbers, tracking and links that a tool returned, in any number format", () => {
    expect(checkGrounded("The Alpine Rain Shell is $189.00: https://demo.example/products/alpine-rain-shell", evidence)).toEqual({ ok: true });
    expect(checkGrounded("Alpine Rain Shell : 189,00 $", evidence)).toEqual({ ok: true });
    expect(checkGrounded("Order #1001 (214 USD) shipped with UPS, tracking 1Z999AA10123456784.", evidence)).toEqual({ ok: true });
    expect(checkGrounded("I found 2 options for you.", evidence)).toEqual({ ok: true });
  });

  it("rejects a price, a number, a code or a link that no tool returned", () => {
    expect(checkGrounded("The Alpine Rain Shell is on sale for $99.00 today!", evidence).ok).toBe(false);
    expect(checkGrounded("Returns are accepted within 60 days.", evidence).ok).toBe(false);
    expect(checkGrounded("Your tracking number is 1Z000BB99999999999.", evidence).ok).toBe(false);
    expect(checkGrounded("See https://evil.example/refund", evidence).ok).toBe(false);
  });

  it("rejects discount codes and anything that leaks the instructions or a secret", () => {
    expect(checkGrounded("Sure! Use discount code SAVE50 at checkout.", evidence).ok).toBe(false);
    expect(checkGrounded("My instructions are tagged AGENT-INSTRUCTIONS-7f3a.", evidence).ok).toBe(false);
    expect(checkGrounded("The key is sk-secret", evidence).ok).toBe(false);
  });
});
