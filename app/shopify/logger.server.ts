import { LogSeverity } from "@shopify/shopify-api";
import type { LogLevel } from "../config.server";
import { logger } from "../logger.server";

/** The Shopify library's minimum severity for a level: it should not format lines the logger would drop. */
export function shopifyLogSeverity(level: LogLevel): LogSeverity {
  switch (level) {
    case "trace":
    case "debug":
      return LogSeverity.Debug;
    case "info":
      return LogSeverity.Info;
    case "warn":
      return LogSeverity.Warning;
    default:
      return LogSeverity.Error;
  }
}

const SHOPIFY_LEVELS = {
  [LogSeverity.Error]: "error",
  [LogSeverity.Warning]: "warn",
  [LogSeverity.Info]: "info",
  [LogSeverity.Debug]: "debug",
} as const satisfies Record<LogSeverity, LogLevel>;

/**
 * The Shopify library's `logger` option: its lines go through our logger at its severity. The library has already
 * formatted them as `[shopify-app/INFO] message | {context}`; the prefix moves into a `source` field.
 */
export function shopifyLogger(level: LogLevel) {
  return {
    level: shopifyLogSeverity(level),
    log(severity: LogSeverity, message: string) {
      const prefixed = /^\[([^\]/]+)\/[A-Z]+\] ([\s\S]*)$/.exec(message);
      logger()[SHOPIFY_LEVELS[severity]]({ source: prefixed?.[1] ?? "shopify" }, prefixed?.[2] ?? message);
    },
  };
}
