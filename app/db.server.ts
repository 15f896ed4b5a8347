import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { config } from "./config.server";

declare global {
  var prismaClient: PrismaClient | undefined;
}

function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app through server.ts, which starts the embedded database first");
  }
  return url;
}

/** One client per process (kept across dev-server reloads), created on first use so start-up can pick the database first. */
export function db(): PrismaClient {
  globalThis.prismaClient ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl() }) });
  return globalThis.prismaClient;
}

export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
