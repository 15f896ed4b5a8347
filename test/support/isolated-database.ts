import { inject } from "vitest";

/**
 * Imported first by test files that run their own Klaviyo delivery engines: points this test process at the
 * isolated database, where the app server's own engine does not compete for the test's accounts.
 * (Each test file runs in its own process, so this does not leak into other files.)
 */
process.env.DATABASE_URL = inject("isolatedDatabaseUrl");
