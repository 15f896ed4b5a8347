import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The built server in its own process, as `npm start` runs it (node --import tsx server.ts, NODE_ENV=production,
 * LOG_LEVEL warn unless set), on `port` with `environment` on top of the bench's own. Resolves once it listens.
 * The child is node itself, so a signal to it reaches the server (SIGKILL included).
 */
export function startAppInstance(options: { port: number; environment: Record<string, string>; nodeArguments?: string[] }): Promise<ChildProcess> {
  const instance = spawn(process.execPath, [...(options.nodeArguments ?? []), "--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...options.environment, PORT: String(options.port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) => reject(new Error(`server on port ${options.port} exited with ${code} before listening`));
    instance.once("exit", failed);
    instance.stdout!.on("data", (chunk: Buffer) => {
      if (!chunk.toString().includes("listening on")) return;
      instance.off("exit", failed);
      resolve(instance);
    });
  });
}

/** SIGTERM and wait for the exit (a graceful stop). */
export async function stopAppInstance(instance: ChildProcess) {
  if (instance.exitCode !== null || instance.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.once("exit", resolve));
  instance.kill("SIGTERM");
  await exited;
}
