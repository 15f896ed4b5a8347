import { pino, type Logger } from "pino";
import { logLevel } from "./config.server";

declare global {
  var appLogger: Logger | undefined;
}

/**
 * The app's one logger: JSON lines on stdout (pino), at LOG_LEVEL. Created on first use, like db(), because modules
 * that log are imported before the demo and the tests have completed the environment. Kept on globalThis so the
 * built server and modules loaded beside it in one process (the demo's seed, the tests) share it.
 */
export function logger(): Logger {
  globalThis.appLogger ??= pino({
    level: logLevel(process.env),
    // "level":"warn" rather than "level":40, for people reading the lines as well as log pipelines.
    formatters: { level: (label) => ({ level: label }) },
  });
  return globalThis.appLogger;
}
