import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MERCHANT_USER_AGENT } from "./support/constants";
import { freePort } from "./support/ports";

const ROOT = path.resolve(import.meta.dirname, "..");
const dataDirectory = path.join(ROOT, ".data", `demo-shutdown-${randomBytes(4).toString("hex")}`);

/** Every process whose command line names `needle` (the demo's data directory names its PostgreSQL). */
async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (commandLine.includes(needle)) found.push(`${pid} ${commandLine.replaceAll("\0", " ")}`);
  }
  return found;
}

afterAll(async () => {
  await rm(dataDirectory, { recursive: true, force: true });
});

describe("stopping the demo with Ctrl+C", () => {
  it("stops the app before its database: exit code 0, no terminated connections or errors, no PostgreSQL left running", async () => {
    const [app, storefront, klaviyo, database] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    // `npm run demo`'s command (after the build). A terminal runs it as its own foreground process group and Ctrl+C
    // signals that whole group.
    const demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      cwd: ROOT,
      detached: true,
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(app),
        DEMO_STOREFRONT_PORT: String(storefront),
        DEMO_KLAVIYO_PORT: String(klaviyo),
        DEMO_DATA_DIR: dataDirectory,
        EMBEDDED_POSTGRES_PORT: String(database),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    demo.stdout!.on("data", (chunk) => (output += chunk));
    demo.stderr!.on("data", (chunk) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      demo.once("exit", (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve, reject) => {
      const ready = setInterval(() => {
        if (!output.includes("Press Ctrl+C to stop.")) return;
        clearInterval(ready);
        resolve();
      }, 100);
      void exited.then(() => {
        clearInterval(ready);
        reject(new Error(`the demo exited before it was ready:\n${output}`));
      });
    });
    expect(await processesMentioning(dataDirectory)).not.toEqual([]);

    // A shopper chats first (through the storefront's app proxy), so the app holds pooled connections when the signal comes.
    expect((await fetch(`http://localhost:${storefront}/`)).status).toBe(200);
    const chat = await fetch(`http://localhost:${storefront}/apps/customer-agent/conversations`, {
      method: "POST",
      // A shopper's browser: Node's own user agent is a bot's, which gets no conversation.
      headers: { "Content-Type": "application/json", "User-Agent": MERCHANT_USER_AGENT },
      body: JSON.stringify({ anonymousId: `shutdown-${randomBytes(6).toString("hex")}`, message: "Do you ship to Canada?" }),
    });
    expect(chat.status).toBe(200);

    process.kill(-demo.pid!, "SIGINT");
    // npm relays the terminal's signal once more: the second one must join the shutdown, not cut it short.
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(-demo.pid!, "SIGINT");

    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).not.toMatch(/terminating connection|error|exception/i);
    expect(await processesMentioning(dataDirectory)).toEqual([]);
    // PostgreSQL removes its pid file only on a clean shutdown.
    expect(existsSync(path.join(dataDirectory, "postgres", "postmaster.pid"))).toBe(false);
  }, 180_000);
});
