import { describe, expect, it } from "vitest";
import { optOutKeyword } from "./opt-outs.server";
import { shortenProductLinks, splitIntoParts } from "./parts";

describe("replies as texts", () => {
  it("keeps a short reply whole", () => {
    expect(splitIntoParts("  Yes, we ship to Canada.  ", 320)).toEqual(["Yes, we ship to Canada."]);
    expect(splitIntoParts("   ", 320)).toEqual([]);
  });

  it("cuts a long reply at paragraph, then sentence, then word boundaries, never past the limit", () => {
    const paragraphs = `${"a".repeat(200)}\n\n${"b".repeat(200)}`;
    expect(splitIntoParts(paragraphs, 320)).toEqual(["a".repeat(200), "b".repeat(200)]);

    const sentences = Array.from({ length: 12 }, (_, index) => `Sentence number ${index} is here.`).join(" ");
    const parts = splitIntoParts(sentences, 100);
    expect(parts.every((part) => part.length <= 100)).toBe(true);
    expect(parts.every((part) => part.endsWith("."))).toBe(true);
    expect(parts.join(" ")).toBe(sentences);

    const words = Array.from({ length: 80 }, () => "word").join(" ");
    expect(splitIntoParts(words, 50).every((part) => part.length <= 50 && !part.startsWith(" ") && !part.endsWith("wor"))).toBe(true);
  });

  it("never halves an emoji", () => {
    const parts = splitIntoParts("😀".repeat(30), 7);
    expect(parts.every((part) => Array.from(part).length <= 7 && !/[\uD800-\uDBFF]$/.test(part))).toBe(true);
    expect(parts.join("")).toBe("😀".repeat(30));
  });

  it("shortens product links to the product page on the shop's domain, keeping other links whole", () => {
    const text = "• Trail Runner: $89.00 https://demo.myshopify.com/products/trail-runner?variant=123&utm_source=agent\nTrack: https://www.ups.com/track?tracknum=1Z9";
    expect(shortenProductLinks(text)).toBe("• Trail Runner: $89.00 https://demo.myshopify.com/products/trail-runner\nTrack: https://www.ups.com/track?tracknum=1Z9");
  });
});

describe("opt-out keywords", () => {
  it("reads a whole message as STOP, START or HELP in any case, and nothing else", () => {
    expect(["STOP", " stop ", "Unsubscribe", "cancel.", "END", "quit", "STOPALL"].map(optOutKeyword)).toEqual(Array(7).fill("stop"));
    expect(["START", "unstop", "Yes"].map(optOutKeyword)).toEqual(["start", "start", "start"]);
    expect(optOutKeyword("help")).toBe("help");
    expect(optOutKeyword("please stop sending me the wrong size")).toBeNull();
  });
});
