import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { applyMigrations } from "../database/migrate.server";
import { eventually } from "../../test/support/eventually";
import { probe, startAppProcess, type AppProcess } from "../../test/support/app-process";
import { Readiness } from "./readiness.server";

/** Prisma Migrate's advisory lock, which the migration runner takes: held here, migrations wait. */
const MIGRATION_LOCK = 72707369;
const started: AppProcess[] = [];
const databases: string[] = [];

/** An empty database (no tables, no migrations table) on the test run's server. */
async function emptyDatabase(): Promise<string> {
  const name = `customer_agent_readiness_${randomBytes(4).toString("hex")}`;
  const maintenance = new URL(inject("databaseUrl"));
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  databases.push(name);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  await Promise.all(started.map((app) => app.stop()));
  const maintenance = new URL(inject("databaseUrl"));
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  for (const name of databases) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
});

describe("readiness", () => {
  it("reports a reachable database without migrations as not ready, and ready once they are applied and the app is loaded", async () => {
    const databaseUrl = await emptyDatabase();
    const readiness = new Readiness({ databaseUrl, workers: false });
    try {
      expect(await readiness.report()).toEqual({
        ready: false,
        checks: { database: "reachable", migrations: "pending", background: "off", app: "loading", shutdown: "no" },
      });
      await applyMigrations(databaseUrl);
      expect(await readiness.report()).toMatchObject({ ready: false, checks: { database: "reachable", migrations: "applied", app: "loading" } });
      readiness.appLoaded();
      expect(await readiness.report()).toMatchObject({ ready: true, checks: { database: "reachable", migrations: "applied", app: "loaded" } });
    } finally {
      await readiness.close();
    }
  });

  it("reports a database it cannot reach as not ready", async () => {
    const unreachable = new URL(inject("databaseUrl"));
    unreachable.port = "1";
    const readiness = new Readiness({ databaseUrl: unreachable.toString(), workers: false, timeoutMs: 1000 });
    try {
      expect(await readiness.report()).toMatchObject({ ready: false, checks: { database: "unreachable" } });
    } finally {
      await readiness.close();
    }
  });

  it("a server is live but not ready while its migrations wait, ready once they ran and its workers started, and not ready again from the start of shutdown", async () => {
    const databaseUrl = await emptyDatabase();
    // Another deploy step holds the migration lock: this instance's migrations wait behind it.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);

    const app = await startAppProcess({ DATABASE_URL: databaseUrl, WORKERS: "on", SHUTDOWN_DRAIN_MS: "3000" });
    started.push(app);
    await eventually(async () => (await probe(`${app.url}/healthz`)).status === 200, 60_000);
    expect(await probe(`${app.url}/readyz`)).toEqual({
      status: 503,
      body: { ready: false, checks: { database: "reachable", migrations: "pending", background: "starting", app: "loading", shutdown: "no" } },
    });
    // The app itself is not loaded yet: its pages answer 503 rather than hang.
    expect((await probe(`${app.url}/app`)).status).toBe(503);

    await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    await holder.end();
    const ready = await eventually(async () => {
      const answer = await probe(`${app.url}/readyz`);
      return answer.status === 200 && answer;
    }, 60_000);
    expect(ready.body).toEqual({ ready: true, checks: { database: "reachable", migrations: "applied", background: "running", app: "loaded", shutdown: "no" } });

    app.child.kill("SIGTERM");
    const stopping = await eventually(async () => {
      const answer = await probe(`${app.url}/readyz`);
      return answer.status === 503 && answer;
    });
    expect(stopping.body).toMatchObject({ ready: false, checks: { shutdown: "in progress" } });
    // Still alive and serving while the load balancer drains it.
    expect((await probe(`${app.url}/healthz`)).status).toBe(200);
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).not.toMatch(/terminating connection|"level":"error"|exception/i);
  }, 180_000);
});
