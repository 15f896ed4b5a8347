import { ConfigError, parseConfig } from "../app/config.server";
import { applyMigrations, MigrationError } from "../app/database/migrate.server";

/**
 * `npm run db:migrate`: applies the migrations a deploy brings, once, before its instances start (they find nothing
 * left to do). Run with the app's environment; DATABASE_URL must name the shared PostgreSQL.
 */
try {
  const settings = parseConfig(process.env);
  if (!settings.DATABASE_URL) throw new ConfigError("Invalid environment (see .env.example):\n  DATABASE_URL: is not set (migrations run against the shared PostgreSQL)");
  const applied = await applyMigrations(settings.DATABASE_URL);
  console.log(applied.length === 0 ? "No migrations to apply." : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join("\n")}`);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof MigrationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
