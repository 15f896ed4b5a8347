import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { freePort } from "./ports";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface RunningDemo {
  storefrontUrl: string;
  adminUrl: string;
  klaviyoUrl: string;
  /** The fake Twilio's "text the store" page. */
  textsUrl: string;
  stop(): Promise<void>;
}

/** The README's run command (minus the build `npm test` already did), in a clean environment like a fresh shell. */
export async function startDemo(): Promise<RunningDemo> {
  const dataDirectory = path.join(ROOT, ".data", `demo-test-${randomBytes(4).toString("hex")}`);
  const [app, storefront, klaviyo, postgres, twilio] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const demo: ChildProcess = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/demo.ts"], {
    cwd: ROOT,
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(app),
      DEMO_STOREFRONT_PORT: String(storefront),
      DEMO_KLAVIYO_PORT: String(klaviyo),
      DEMO_TWILIO_PORT: String(twilio),
      DEMO_DATA_DIR: dataDirectory,
      EMBEDDED_POSTGRES_PORT: String(postgres),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl+C to stop.")) resolve();
    };
    demo.stdout!.on("data", collect);
    demo.stderr!.on("data", collect);
    demo.once("exit", (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
  });
  return {
    storefrontUrl: /Storefront\s+(\S+)/.exec(output)![1]!,
    adminUrl: /Admin\s+(\S+)/.exec(output)![1]!,
    klaviyoUrl: /Klaviyo\s+(\S+)/.exec(output)![1]!,
    textsUrl: /Texts\s+(\S+)/.exec(output)![1]!,
    async stop() {
      if (demo.exitCode === null) {
        demo.kill("SIGTERM");
        await new Promise((resolve) => demo.once("exit", resolve));
      }
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
