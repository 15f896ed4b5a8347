import { describe, expect, it } from "vitest";
import { shopperReplyText } from "./reply-text";

describe("the shopper's reply without quoted text and signature", () => {
  it("drops the quoted thread below 'On … wrote:' and the signature", () => {
    const text = [
      "Yes, the two-person one please.",
      "",
      "--",
      "Ada Lovelace",
      "Analytical Engines Ltd",
      "",
      "On Tue, Dec 1, 2026 at 10:00 AM Summit Store <help@store.example> wrote:",
      "> Here are some tents:",
      "> • Trail Tent 2P: $199.00",
    ].join("\r\n");
    expect(shopperReplyText({ text })).toBe("Yes, the two-person one please.");
  });

  it("drops 'Sent from my iPhone' and Outlook's original message block", () => {
    expect(shopperReplyText({ text: "Do you have tents for two?\n\nSent from my iPhone" })).toBe("Do you have tents for two?");
    expect(shopperReplyText({ text: "Still waiting.\n\n-----Original Message-----\nFrom: Store\nHello" })).toBe("Still waiting.");
  });

  it("keeps a first email as written", () => {
    expect(shopperReplyText({ text: "Hi,\n\nDo you ship to Canada?\nThanks" })).toBe("Hi,\n\nDo you ship to Canada?\nThanks");
  });

  it("falls back to Postmark's StrippedTextReply, then the whole text, so nothing is lost", () => {
    expect(shopperReplyText({ text: "> only quotes", strippedTextReply: "The reply Postmark found" })).toBe("The reply Postmark found");
    expect(shopperReplyText({ text: "> only quotes" })).toBe("> only quotes");
  });
});
