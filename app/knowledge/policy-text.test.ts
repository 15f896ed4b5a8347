import { describe, expect, it } from "vitest";
import { policyPassages, policyPlainText } from "./policy-text";

describe("policy passages", () => {
  it("splits a policy's HTML into paragraphs and lists under their headings, as plain text", () => {
    const html = `<p>We want you to love it &amp; keep it.</p><h3>Rates</h3><ul><li>Standard: <strong>$6.95</strong></li><li>Express:&nbsp;$14.95</li></ul><p>Questions?<br>Email us.</p>`;
    expect(policyPassages(html)).toEqual([
      { heading: null, text: "We want you to love it & keep it." },
      { heading: "Rates", text: "Standard: $6.95\nExpress: $14.95" },
      { heading: "Rates", text: "Questions? Email us." },
    ]);
    expect(policyPlainText(html)).toBe("We want you to love it & keep it.\nRates\nStandard: $6.95\nExpress: $14.95\nQuestions? Email us.");
  });

  it("keeps short lines under one heading together, so a contact page is quoted whole", () => {
    const html = "<p>Email: shop@example.com</p><p>Phone: +1 212 555 0147</p><h3>Returns</h3><p>Within 30 days.</p>";
    expect(policyPassages(html)).toEqual([
      { heading: null, text: "Email: shop@example.com\nPhone: +1 212 555 0147" },
      { heading: "Returns", text: "Within 30 days." },
    ]);
  });

  it("reads a body written as plain text, and finds nothing in an empty one", () => {
    expect(policyPassages("Call us.\n\nOr write &#8211; any time.")).toEqual([{ heading: null, text: "Call us.\nOr write – any time." }]);
    expect(policyPassages("  <p> </p> ")).toEqual([]);
  });
});
