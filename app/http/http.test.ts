import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readBoundedBody, readJsonBody } from "./body.server";
import { errorResponse, HttpError, isDatabaseUnavailable } from "./errors";
import { storableText } from "./text";

function streamed(chunks: number, chunkBytes: number) {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === chunks) controller.close();
      else controller.enqueue(new Uint8Array(chunkBytes).fill(32));
    },
  });
  return { request: new Request("http://app.test/x", { method: "POST", body, duplex: "half" } as RequestInit), pulled: () => sent };
}

describe("request bodies", () => {
  it("refuses a declared length over the limit with 413 before reading anything", async () => {
    const request = new Request("http://app.test/x", { method: "POST", body: "x".repeat(10), headers: { "content-length": "999999" } });
    await expect(readBoundedBody(request, 1024)).rejects.toMatchObject({ status: 413 });
    expect(request.bodyUsed).toBe(false);
  });

  it("stops reading a streamed body as soon as it passes the limit", async () => {
    const { request, pulled } = streamed(10_000, 1024);
    await expect(readBoundedBody(request, 64 * 1024)).rejects.toMatchObject({ status: 413, message: "Request body is larger than 64 KB" });
    expect(pulled()).toBeLessThan(80);
  });

  it("reads a body within the limit whole", async () => {
    const { request } = streamed(3, 1000);
    expect((await readBoundedBody(request, 4000)).byteLength).toBe(3000);
  });

  it("answers malformed JSON and invalid fields with a 400 naming the field", async () => {
    const schema = z.object({ message: storableText().min(1) });
    const post = (body: string) => new Request("http://app.test/x", { method: "POST", body });
    await expect(readJsonBody(post("{not json"), 1024, schema)).rejects.toMatchObject({ status: 400, message: "Request body must be JSON" });
    await expect(readJsonBody(post(JSON.stringify({ message: "a\u0000b" })), 1024, schema)).rejects.toMatchObject({
      status: 400,
      details: { field: "message" },
    });
    await expect(readJsonBody(post('{"message":"\\ud800 lone"}'), 1024, schema)).rejects.toMatchObject({ status: 400 });
    expect(await readJsonBody(post(JSON.stringify({ message: "emoji 😀 ok" })), 1024, schema)).toEqual({ message: "emoji 😀 ok" });
  });
});

describe("error responses", () => {
  it("recognises an unreachable database through the driver adapter's wrapping", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("wrapped"), { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error("c"), { code: "ECONNREFUSED" })]))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
  });

  it("answers an unavailable database with a JSON 503 and Retry-After, keeping the boundary's headers", async () => {
    const response = errorResponse(Object.assign(new Error("down"), { code: "ECONNREFUSED" }), { "Cache-Control": "no-store" });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: "Temporarily unavailable, please retry shortly" });
  });

  it("answers an HttpError as JSON and rethrows anything else", async () => {
    const response = errorResponse(new HttpError(400, "shop: not a myshopify.com domain", { field: "shop" }));
    expect(await response.json()).toEqual({ error: "shop: not a myshopify.com domain", field: "shop" });
    expect(() => errorResponse(new TypeError("bug"))).toThrow("bug");
  });
});
