import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "./migrate.server";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A throwaway, migrated database on the server of `anyUrlOnServer` (tests and benchmarks borrowing a server):
 * created through the server's `postgres` maintenance database and dropped, connections and all, afterwards.
 */
export async function createScratchDatabase(anyUrlOnServer: string, prefix: string): Promise<ScratchDatabase> {
  const maintenance = new URL(anyUrlOnServer);
  maintenance.pathname = "/postgres";
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: maintenance.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(anyUrlOnServer);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
