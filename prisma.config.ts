import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The JS schema engine runs Prisma Migrate through the pg driver adapter, so migrations work without the native
// engine download. DATABASE_URL is required here on purpose: the CLI must never guess which database to change.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL must be set to run Prisma Migrate");
    return new PrismaPg({ connectionString });
  },
});
