import { afterEach } from "vitest";

/** An unexpected console.error is a bug the user would see in logs: fail the test that caused it. */
const errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};

afterEach(() => {
  if (errors.length === 0) return;
  const logged = errors.splice(0).map((args) => args.map(String).join(" "));
  throw new Error(`console.error was called during the test:\n${logged.join("\n")}`);
});
