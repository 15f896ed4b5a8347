import { afterAll, inject } from "vitest";
import { createScratchDatabase } from "../../app/database/scratch.server";
import { closeDatabase } from "../../app/db.server";

/**
 * Imported first by test files that run their own Klaviyo delivery engines: the file gets a database of its own,
 * so no other engine (the app server's, another file's, their child processes) claims its accounts, and its
 * simulated clock cannot make another file's leases look expired. Child processes inherit DATABASE_URL.
 */
const database = await createScratchDatabase(inject("databaseUrl"), "customer_agent_engine");
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  await closeDatabase();
  await database.drop();
});
