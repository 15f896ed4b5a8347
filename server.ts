import { createServer, type Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Readable } from "node:stream";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type RequestHandler } from "express";
import { ConfigError, parseConfig } from "./app/config.server";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./app/database/embedded.server";
import { applyMigrations } from "./app/database/migrate.server";
import { liveness, metricsEndpoint, observeRequests, readinessEndpoint } from "./app/operations/http.server";
import { Readiness } from "./app/operations/readiness.server";
import { routePatternMatcher } from "./app/operations/route-patterns";

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
 * (embedded when DATABASE_URL is unset), listen with /healthz, /readyz and /metrics only (so an orchestrator sees
 * a live process that is not ready yet), migrate, and only then load the app, whose modules read the config.
 * Health, readiness and metrics are served here, before the Remix app: they are for the platform, not for Shopify,
 * so no Shopify authentication applies, and they answer while the app itself is not loaded yet. Shopify's webhooks
 * are answered here too, by the app's own intake (app/webhooks), without Remix's per-request routing (ADR 005).
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
  const readiness = new Readiness({ databaseUrl, workers: settings.WORKERS === "on" });

  let routeOf = (_pathname: string) => "unmatched";
  let webhooks: ((request: Request) => Promise<Response> | null) | undefined;
  let remix: RequestHandler = (_request, response) => {
    response.status(503).set("Retry-After", "5").type("text/plain").send("Starting");
  };
  const app = express();
  app.disable("x-powered-by");
  app.use(observeRequests((pathname) => (pathname.startsWith("/assets/") ? "/assets/*" : routeOf(pathname))));
  app.get("/healthz", liveness);
  app.get("/readyz", readinessEndpoint(readiness));
  app.get("/metrics", metricsEndpoint(settings.METRICS_TOKEN));
  app.use("/assets", express.static(path.resolve(import.meta.dirname, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.resolve(import.meta.dirname, "build/client"), { maxAge: "1h" }));
  app.post("/webhooks/*", (request, response, next) => {
    const answer = webhooks?.(webhookRequest(request));
    if (!answer) return next();
    // One series per topic: every path that gets here is one of shopify.app.toml's topics.
    response.locals.route = request.path;
    answer.then(async (result) => {
      response.status(result.status).set(Object.fromEntries(result.headers)).end(Buffer.from(await result.arrayBuffer()));
    }, next);
  });
  app.all("*", (request, response, next) => remix(request, response, next));

  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(options.port ?? settings.PORT, "0.0.0.0", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : settings.PORT;

  await applyMigrations(databaseUrl);
  const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild & {
    entry: {
      module: {
        startBackgroundWork(): Promise<{ stop(): Promise<void>; isRunning(): boolean }>;
        warmUp(): Promise<void>;
        closeConnections(): Promise<void>;
        handleWebhookRequest(request: Request): Promise<Response> | null;
      };
    };
  };
  await build.entry.module.warmUp();
  routeOf = routePatternMatcher(build.routes);
  remix = createRequestHandler({ build, mode: process.env.NODE_ENV });
  webhooks = build.entry.module.handleWebhookRequest;
  readiness.appLoaded();
  const background = settings.WORKERS === "on" ? await build.entry.module.startBackgroundWork() : undefined;
  if (background) readiness.backgroundStarted(() => background.isRunning());

  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    databaseUrl,
    stop() {
      stopping ??= (async () => {
        // Not ready first, still serving: the load balancer takes this instance out before the listener closes.
        readiness.shuttingDown();
        if (settings.SHUTDOWN_DRAIN_MS > 0) await new Promise((resolve) => setTimeout(resolve, settings.SHUTDOWN_DRAIN_MS));
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await background?.stop();
        // Our connections end before the database stops, so PostgreSQL has none to terminate.
        await readiness.close();
        await build.entry.module.closeConnections();
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}

/** The delivery as a fetch Request with the headers the intake reads: Shopify's own and the body's length and type. */
function webhookRequest(request: express.Request): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string" && (name.startsWith("x-shopify-") || name.startsWith("content-"))) headers.set(name, value);
  }
  return new Request(new URL(request.originalUrl, "http://localhost"), {
    method: "POST",
    headers,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
}

/**
 * Shut down in order on SIGINT/SIGTERM: stop taking requests, finish background work, then stop the database.
 * Further signals join the shutdown under way: a terminal's Ctrl+C reaches every process of the foreground group,
 * and npm relays it once more, so one key press arrives more than once. Killing the process mid-way would
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
