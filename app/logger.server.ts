import { pino, type DestinationStream, type Logger } from "pino";
import { logLevel } from "./config.server";
import { currentRequestContext } from "./operations/request-context.server";

declare global {
  var appLogger: Logger | undefined;
}

/**
 * Fields that hold a credential or what a shopper wrote, wherever a log call puts them (top level or one object
 * down, e.g. `{ connection: { apiKey } }`): pino replaces their values before the line is written.
 */
const SECRET_FIELDS = [
  "apiKey",
  "encryptedApiKey",
  "accessToken",
  "refreshToken",
  "clientSecret",
  "password",
  "secret",
  "token",
  "authorization",
  "cookie",
  "body",
  "messageBody",
  "firstMessage",
];
const REDACTED_PATHS = [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`), "headers.authorization", "*.headers.authorization", "headers.cookie"];

/**
 * The app's one logger: JSON lines on stdout (pino), at LOG_LEVEL. Created on first use, like db(), because modules
 * that log are imported before the demo and the tests have completed the environment. Kept on globalThis so the
 * built server and modules loaded beside it in one process (server.ts, the demo's seed, the tests) share it.
 * Inside an HTTP request every line carries the request's id, and its shop and conversation once known.
 */
export function logger(): Logger {
  globalThis.appLogger ??= createLogger();
  return globalThis.appLogger;
}

/** The logger's configuration, on stdout unless given another destination (a test's). */
export function createLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      level: logLevel(process.env),
      // "level":"warn" rather than "level":40, for people reading the lines as well as log pipelines.
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentRequestContext() }),
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
