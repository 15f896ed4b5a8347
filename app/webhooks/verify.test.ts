import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { HttpError } from "../http/errors";
import { verifyShopifyWebhook } from "./verify.server";

const SECRET = "verify-test-secret";
const body = JSON.stringify({ id: 820982911946154500, email: "jon@example.com" });

/** Signed by @shopify/shopify-api's own test helper, so this verifier accepts exactly what the library accepts. */
async function signedByShopify(): Promise<Request> {
  return setUpValidRequest(
    {
      type: RequestType.Extension,
      store: "verify-test",
      apiSecretKey: SECRET,
      body: JSON.parse(body) as object,
      headers: { "X-Shopify-Topic": "orders/create", "X-Shopify-Webhook-Id": "b54557e4", "X-Shopify-API-Version": "2026-10" },
    },
    new Request("https://app.example/webhooks/orders/create"),
  );
}

const bytes = async (request: Request) => new Uint8Array(await request.clone().arrayBuffer());

function statusOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
  return undefined;
}

describe("verifyShopifyWebhook", () => {
  it("accepts a delivery the library's test helper signed and reads its headers", async () => {
    const request = await signedByShopify();
    expect(verifyShopifyWebhook(request.headers, await bytes(request), SECRET)).toMatchObject({
      topic: "orders/create",
      shop: "verify-test.myshopify.com",
      webhookId: "b54557e4",
      apiVersion: "2026-10",
    });
  });

  it("refuses a body changed after signing, or signed with another secret, with 401", async () => {
    const request = await signedByShopify();
    const tampered = new TextEncoder().encode((await request.clone().text()).replace("jon@", "eve@"));
    expect(statusOf(() => verifyShopifyWebhook(request.headers, tampered, SECRET))).toBe(401);
    await expect(bytes(request).then((raw) => verifyShopifyWebhook(request.headers, raw, "another-secret"))).rejects.toMatchObject({ status: 401 });
  });

  it("answers 400 when the HMAC or a delivery header is missing, as the library does", async () => {
    const request = await signedByShopify();
    const raw = await bytes(request);
    const without = (name: string) => {
      const headers = new Headers(request.headers);
      headers.delete(name);
      return headers;
    };
    expect(statusOf(() => verifyShopifyWebhook(without("X-Shopify-Hmac-Sha256"), raw, SECRET))).toBe(400);
    expect(statusOf(() => verifyShopifyWebhook(without("X-Shopify-Webhook-Id"), raw, SECRET))).toBe(400);
  });
});
