import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { applyMigrations } from "../../app/database/migrate.server";

/**
 * Imported first by test files that run their own Klaviyo delivery engines: the file gets a database of its own,
 * so no other engine (the app server's, another file's, their child processes) claims its accounts, and its
 * simulated clock cannot make another file's leases look expired. Child processes inherit DATABASE_URL.
 */
const server = new URL(inject("databaseUrl"));
server.pathname = "/postgres";
const name = `customer_agent_engine_${randomBytes(4).toString("hex")}`;

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await onServer(`CREATE DATABASE ${name}`);
const url = new URL(server);
url.pathname = `/${name}`;
await applyMigrations(url.toString());
process.env.DATABASE_URL = url.toString();

afterAll(async () => {
  await globalThis.prismaClient?.$disconnect();
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});
