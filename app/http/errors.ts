/**
 * The one error type of the app's public HTTP boundaries (the storefront API behind the app proxy, the webhook
 * endpoints): a status, a message the caller can act on, and the field it concerns, answered as JSON.
 */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503,
    message: string,
    readonly details: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** PostgreSQL SQLSTATEs and socket codes that mean "the database is not there right now", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, in recovery)
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08006",
  "P1001", // Prisma: can't reach database server
  "P1002",
  "P1017", // Prisma: server closed the connection
  "P2024", // Prisma: timed out fetching a connection from the pool
]);
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /connect ECONNREFUSED/i];

/** Walks the cause chain: Prisma's driver adapter wraps pg's error, which may wrap the socket's. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const candidate = current as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof candidate.code === "string" && UNAVAILABLE_CODES.has(candidate.code)) return true;
    if (typeof candidate.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(candidate.kind)) return true;
    if (typeof candidate.message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(candidate.message as string))) return true;
    if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = candidate.cause;
  }
  return false;
}

export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The answer for an error at a public boundary: HttpError as itself, an unreachable database as 503 with
 * Retry-After (the caller should come back, nothing was stored), anything else propagates as a real failure.
 */
export function errorResponse(error: unknown, headers: HeadersInit = {}): Response {
  if (error instanceof HttpError) {
    const retry = error.details.retryAfterSeconds;
    return Response.json(
      { error: error.message, ...(error.details.field ? { field: error.details.field } : {}) },
      { status: error.status, headers: { ...Object.fromEntries(new Headers(headers)), ...(retry ? { "Retry-After": String(retry) } : {}) } },
    );
  }
  if (isDatabaseUnavailable(error)) {
    return errorResponse(
      new HttpError(503, "Temporarily unavailable, please retry shortly", { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }),
      headers,
    );
  }
  throw error;
}
