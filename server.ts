import { createServer, type Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { ConfigError, parseConfig } from "./app/config.server";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./app/database/embedded.server";
import { applyMigrations } from "./app/database/migrate.server";

const BUILD_PATH = path.resolve(import.meta.dirname, "build/server/index.js");

export interface RunningApp {
  url: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export interface AppServerOptions {
  port?: number;
  /** Keep the embedded database's data directory across runs (the demo) or throw it away (tests). */
  ephemeralDatabase?: boolean;
}

/**
 * Start-up order matters: validate the environment (fail before anything listens), provide the database
 * (embedded when DATABASE_URL is unset), migrate, and only then load the app, whose modules read the config.
 */
export async function startAppServer(options: AppServerOptions = {}): Promise<RunningApp> {
  const settings = parseConfig(process.env);
  let embedded: EmbeddedDatabase | undefined;
  if (!settings.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({
      directory: settings.EMBEDDED_POSTGRES_DIR,
      port: settings.EMBEDDED_POSTGRES_PORT,
      ephemeral: options.ephemeralDatabase,
    });
    process.env.DATABASE_URL = embedded.url;
  }
  const databaseUrl = process.env.DATABASE_URL!;
  await applyMigrations(databaseUrl);

  const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild & {
    entry: { module: { startBackgroundWork(): Promise<{ stop(): Promise<void> }>; closeConnections(): Promise<void> } };
  };
  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static(path.resolve(import.meta.dirname, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.resolve(import.meta.dirname, "build/client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const background = settings.WORKERS === "on" ? await build.entry.module.startBackgroundWork() : undefined;
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(options.port ?? settings.PORT, "0.0.0.0", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : settings.PORT;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    databaseUrl,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await background?.stop();
        // Our connections end before the database stops, so PostgreSQL has none to terminate.
        await build.entry.module.closeConnections();
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}

/**
 * Shut down in order on SIGINT/SIGTERM: stop taking requests, finish background work, then stop the database.
 * Further signals join the shutdown under way: a terminal's Ctrl+C reaches every process of the foreground group,
 * and npm and tsx relay it once more, so one key press arrives more than once. Killing the process mid-way would
 * leave the database to stop with our connections still open.
 */
export function stopOnSignals(app: { stop(): Promise<void> }) {
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= app.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const app = await startAppServer().catch((error: unknown) => {
    // A bad environment is the operator's to fix: say which variables, without a stack trace.
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  });
  stopOnSignals(app);
  console.log(`Customer Agent listening on ${app.url}`);
}
