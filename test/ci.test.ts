import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/** `vitest run` exactly as `npm test` runs it (global setup, reporters), on fixtures that fail. */
function runFailingFixtures(): Promise<{ code: number | null; output: string }> {
  // No DATABASE_URL: like a fresh CI machine, the nested run starts its own embedded PostgreSQL.
  const { DATABASE_URL: _inherited, ...environment } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "test/fixtures/failing-run/vitest.config.ts"],
      { cwd: ROOT, env: { ...environment, CI: "true", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

describe("the test command", () => {
  it("fails the run when a test fails or a file's beforeAll fails, and counts both as failed", async () => {
    const { code, output } = await runFailingFixtures();

    expect(code, output).not.toBe(0);
    // failing.fixture.ts: one passing, one failing test; failing-before-all.fixture.ts: its one test never runs.
    expect(output).toContain("tests: 1 passed, 2 failed, 1 skipped");
  });
});
