import { inspect } from "node:util";
import type { LogFn } from "pino";
import { afterEach } from "vitest";
import { logger } from "../app/logger.server";

/** An unexpected error logged (through the app's logger or console.error) is a bug the user would see in logs: fail the test that caused it. */
const errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};
const appLogger = logger();
for (const level of ["error", "fatal"] as const) {
  const write: LogFn = appLogger[level];
  appLogger[level] = function (this: unknown, ...args: Parameters<LogFn>) {
    errors.push(args);
    write.apply(this, args);
  } as LogFn;
}

afterEach(() => {
  if (errors.length === 0) return;
  const logged = errors.splice(0).map((args) => args.map((arg) => (typeof arg === "string" ? arg : inspect(arg))).join(" "));
  throw new Error(`an error was logged during the test:\n${logged.join("\n")}`);
});
