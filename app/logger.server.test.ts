import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.server";
import { annotateRequest, runInRequestContext } from "./operations/request-context.server";

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger(destination);
  log.level = "info";
  return { log, lines };
}

describe("the app's logger", () => {
  it("replaces credentials and message bodies wherever a log call puts them", () => {
    const { log, lines } = capturedLogger();
    log.warn(
      { apiKey: "pk_live_secret", connection: { accessToken: "shpat_secret", encryptedApiKey: "v1:sealed" }, request: { body: "my address is 1 Main St" }, headers: { authorization: "Bearer t" } },
      "something happened",
    );
    expect(lines[0]).toMatchObject({
      apiKey: "[redacted]",
      connection: { accessToken: "[redacted]", encryptedApiKey: "[redacted]" },
      request: { body: "[redacted]" },
      headers: { authorization: "[redacted]" },
      msg: "something happened",
    });
    expect(JSON.stringify(lines)).not.toMatch(/pk_live_secret|shpat_secret|Main St|Bearer t/);
  });

  it("puts the request's id, shop and conversation on every line written while serving it", () => {
    const { log, lines } = capturedLogger();
    runInRequestContext({ reqId: "req-1" }, () => {
      log.info("before the shop is known");
      annotateRequest({ shop: "acme.myshopify.com", conversationId: "c-1" });
      log.info("after");
    });
    log.info("outside any request");
    expect(lines.map(({ reqId, shop, conversationId }) => ({ reqId, shop, conversationId }))).toEqual([
      { reqId: "req-1", shop: undefined, conversationId: undefined },
      { reqId: "req-1", shop: "acme.myshopify.com", conversationId: "c-1" },
      { reqId: undefined, shop: undefined, conversationId: undefined },
    ]);
  });
});
