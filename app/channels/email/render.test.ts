import { describe, expect, it } from "vitest";
import { escapeHtml, renderReplyEmail } from "./render";

const tent = {
  type: "product",
  productId: "gid://shopify/Product/1",
  title: "Trail Tent 2P",
  url: "https://store.example/products/trail-tent",
  imageUrl: "https://cdn.example/tent.jpg",
  price: "199.00",
  compareAtPrice: null,
  currencyCode: "USD",
  variantId: null,
};

describe("agent replies rendered as email", () => {
  it("sends the message's text as the text part and products as linked cards with images in HTML", () => {
    const body = "Here are a few options:\n• Trail Tent 2P: $199.00 https://store.example/products/trail-tent\n\nDid that help?";
    const email = renderReplyEmail({ body, parts: [tent, { type: "quick-replies", replies: [] }] });
    expect(email.text).toBe(body);
    expect(email.html).toContain(`<a href="https://store.example/products/trail-tent"`);
    expect(email.html).toContain(`<img src="https://cdn.example/tent.jpg" alt="Trail Tent 2P"`);
    expect(email.html).toContain("$199.00");
    expect(email.html).toContain("Here are a few options:");
    expect(email.html).toContain("Did that help?");
    // The cards stand where the products' text lines were, between the introduction and the question.
    expect(email.html).not.toContain("• Trail Tent 2P");
    expect(email.html.indexOf("Here are a few options:")).toBeLessThan(email.html.indexOf("<ul"));
    expect(email.html.indexOf("</ul>")).toBeLessThan(email.html.indexOf("Did that help?"));
  });

  it("escapes everything from messages and the catalog", () => {
    const email = renderReplyEmail({
      body: `Hello <script>alert(1)</script> & "friends"`,
      parts: [{ ...tent, title: `<img src=x onerror=alert(1)>"`, url: `https://store.example/p?a=1&b="><script>` }],
    });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img src=x");
    expect(email.html).toContain("Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;");
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;");
    expect(email.html).toContain(`href="https://store.example/p?a=1&amp;b=%22%3E%3Cscript%3E"`);
  });

  it("links only web URLs: a javascript: or data: URL from a product record is shown as text", () => {
    const email = renderReplyEmail({ body: "Options:", parts: [{ ...tent, url: "javascript:alert(1)", imageUrl: "data:image/png;base64,AAAA" }] });
    expect(email.html).not.toContain("javascript:");
    expect(email.html).not.toContain("data:image");
    expect(email.html).toContain("<strong>Trail Tent 2P</strong>");
  });

  it("escapes the five characters that matter in content and attributes", () => {
    expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  });
});
