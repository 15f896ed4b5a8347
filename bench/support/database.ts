import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { startEmbeddedPostgres } from "../../app/database/embedded.server";
import { applyMigrations } from "../../app/database/migrate.server";
import { createScratchDatabase } from "../../app/database/scratch.server";

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * A database of the bench's own, migrated: a scratch database on the server in DATABASE_URL when it is set, else a
 * private embedded PostgreSQL under .data/ that is removed afterwards.
 */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const scratch = await createScratchDatabase(server, `customer_agent_${name}`);
    return { url: scratch.url, stop: () => scratch.drop() };
  }
  const directory = path.resolve(import.meta.dirname, `../../.data/bench-${name}-${randomBytes(4).toString("hex")}`);
  const embedded = await startEmbeddedPostgres({ directory, port: 54500 + Math.floor(Math.random() * 490), ephemeral: true });
  await applyMigrations(embedded.url);
  return {
    url: embedded.url,
    async stop() {
      await embedded.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
