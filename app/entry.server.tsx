import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { closeDatabase, warmPool } from "./db.server";
import { stopJobQueue } from "./jobs/queue.server";
import { logger } from "./logger.server";
import { addDocumentResponseHeaders } from "./shopify.server";

export { startBackgroundWork } from "./jobs/background.server";
export { handleWebhookRequest } from "./webhooks/receive.server";

/** Before the instance takes traffic: its connection pool open, so the first burst does not wait for it. */
export async function warmUp() {
  await warmPool();
}

/** The instance's connections (the pool, pg-boss's), ended on shutdown before an embedded database stops. */
export async function closeConnections() {
  await stopJobQueue();
  await closeDatabase();
}

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        logger().error({ err: error }, "rendering the page failed");
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
