import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { config } from "./config.server";

declare global {
  var databasePool: pg.Pool | undefined;
  var prismaClient: PrismaClient | undefined;
}

function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app through server.ts, which starts the embedded database first");
  }
  return url;
}

/**
 * The instance's one connection pool (DATABASE_POOL_SIZE connections), shared by Prisma and the few hot statements
 * written in SQL, so an instance's share of PostgreSQL's connection limit is one number.
 */
export function pool(): pg.Pool {
  if (!globalThis.databasePool) {
    globalThis.databasePool = new pg.Pool({ connectionString: databaseUrl(), max: config().DATABASE_POOL_SIZE });
    // An idle connection the server closed (restart, failover, a dropped test database) is already out of the pool
    // and the next query opens a new one; unhandled, the event would crash the process.
    globalThis.databasePool.on("error", (error) => console.warn(`[db] idle connection closed: ${error.message}`));
  }
  return globalThis.databasePool;
}

/** One client per process (kept across dev-server reloads), created on first use so start-up can pick the database first. */
export function db(): PrismaClient {
  globalThis.prismaClient ??= new PrismaClient({ adapter: new PrismaPg(pool()) });
  return globalThis.prismaClient;
}

/** Ends this instance's connections: on shutdown, before the database stops, so none is cut off mid-session. */
export async function closeDatabase() {
  const client = globalThis.prismaClient;
  const connections = globalThis.databasePool;
  globalThis.prismaClient = undefined;
  globalThis.databasePool = undefined;
  await client?.$disconnect();
  await connections?.end();
}

export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
