import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Starts server.ts as `npm start` does (node --import tsx), in a process of its own, and waits for it to exit. */
function startServer(environment: { NODE_ENV: "production" | "development"; [variable: string]: string }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        SHOPIFY_API_KEY: "key",
        SHOPIFY_API_SECRET: "secret",
        SHOPIFY_APP_URL: "https://customer-agent.example.com",
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        ...environment,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

describe("server start-up", () => {
  it("refuses DEMO_MODE=true unless the Admin API is a local fake, in production and in development", async () => {
    for (const NODE_ENV of ["production", "development"] as const) {
      const { code, output } = await startServer({ NODE_ENV, DEMO_MODE: "true", SHOPIFY_ADMIN_API_ORIGIN: "https://demo.myshopify.com" });
      expect(code).toBe(1);
      expect(output).toContain("DEMO_MODE: the demo routes mint admin sessions");
      expect(output).toContain("SHOPIFY_ADMIN_API_ORIGIN must be a loopback origin");
      expect(output).not.toContain("listening");
    }
  });
});
