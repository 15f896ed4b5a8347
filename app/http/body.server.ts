import type { z } from "zod";
import { HttpError } from "./errors";

/**
 * Reads a request body up to `limitBytes`: a declared Content-Length over the limit is refused before a byte is
 * read, and a body that streams past it (chunked, or lying about its length) is cut off there, so a client cannot
 * make the process hold more than the limit per request.
 */
export async function readBoundedBody(request: Request, limitBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(limitBytes: number) {
  return new HttpError(413, `Request body is larger than ${Math.round(limitBytes / 1024)} KB`);
}

/** A bounded JSON body validated by `schema`: malformed JSON and each invalid field are a 400 that names it. */
export async function readJsonBody<T extends z.ZodType>(request: Request, limitBytes: number, schema: T): Promise<z.infer<T>> {
  const text = new TextDecoder().decode(await readBoundedBody(request, limitBytes));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body must be JSON");
  }
  return parseInput(schema, body);
}

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const field = first.path.join(".") || undefined;
  throw new HttpError(
    400,
    result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "),
    field ? { field } : {},
  );
}
