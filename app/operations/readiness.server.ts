import pg from "pg";
import { migrationNames } from "../database/migrate.server";

export interface ReadinessReport {
  ready: boolean;
  checks: {
    database: "reachable" | "unreachable" | "not checked";
    migrations: "applied" | "pending" | "not checked";
    background: "running" | "starting" | "stopped" | "off";
    /** The app's code is loaded and its connection pool open, so a request is answered rather than refused. */
    app: "loading" | "loaded";
    shutdown: "no" | "in progress";
  };
}

export interface ReadinessOptions {
  databaseUrl: string;
  /** WORKERS=on: the instance is ready only once its background work runs. */
  workers: boolean;
  migrationsDirectory?: string;
  /** Per check; a database slower than this counts as unreachable for the load balancer. */
  timeoutMs?: number;
}

/**
 * Whether this instance should get traffic (`/readyz`): the database answers, every migration this code expects
 * is recorded as applied, the app is loaded with its pool open, the background work runs (when WORKERS is on), and
 * shutdown has not begun. It uses a
 * connection of its own, so a saturated request pool or a pool not created yet does not decide the answer.
 */
export class Readiness {
  private readonly connection: pg.Pool;
  private readonly expectedMigrations: Promise<string[]>;
  private migrationsApplied = false;
  private background: (() => boolean) | undefined;
  private loaded = false;
  private stopping = false;

  constructor(private readonly options: ReadinessOptions) {
    const timeoutMs = options.timeoutMs ?? 2000;
    this.connection = new pg.Pool({ connectionString: options.databaseUrl, max: 1, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, idleTimeoutMillis: 30_000 });
    // An idle connection the server closed: the next check opens another; unhandled, the event would crash the process.
    this.connection.on("error", () => undefined);
    this.expectedMigrations = migrationNames(options.migrationsDirectory);
  }

  /** The app's code is loaded and warmed up: its requests are answered from now on. */
  appLoaded() {
    this.loaded = true;
  }

  /** The background work has started; `isRunning` says whether it still does. */
  backgroundStarted(isRunning: () => boolean) {
    this.background = isRunning;
  }

  /** Shutdown began: not ready from now on, so load balancers stop sending before the listener closes. */
  shuttingDown() {
    this.stopping = true;
  }

  async report(): Promise<ReadinessReport> {
    const background = !this.options.workers ? "off" : !this.background ? "starting" : this.background() ? "running" : "stopped";
    const app = this.loaded ? "loaded" : "loading";
    if (this.stopping) {
      return { ready: false, checks: { database: "not checked", migrations: "not checked", background, app, shutdown: "in progress" } };
    }
    let database: ReadinessReport["checks"]["database"] = "reachable";
    let migrations: ReadinessReport["checks"]["migrations"] = "applied";
    try {
      if (this.migrationsApplied) await this.connection.query("SELECT 1");
      else this.migrationsApplied = await this.allMigrationsApplied();
      if (!this.migrationsApplied) migrations = "pending";
    } catch {
      database = "unreachable";
      migrations = this.migrationsApplied ? "applied" : "not checked";
    }
    const ready = database === "reachable" && migrations === "applied" && app === "loaded" && (background === "running" || background === "off");
    return { ready, checks: { database, migrations, background, app, shutdown: "no" } };
  }

  async close() {
    this.stopping = true;
    await this.connection.end();
  }

  private async allMigrationsApplied(): Promise<boolean> {
    let recorded: string[];
    try {
      const { rows } = await this.connection.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      recorded = rows.map((row) => row.migration_name);
    } catch (error) {
      // No migrations table yet: reachable, nothing applied.
      if ((error as { code?: string }).code === "42P01") return false;
      throw error;
    }
    const applied = new Set(recorded);
    return (await this.expectedMigrations).every((name) => applied.has(name));
  }
}
