import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { config } from "./config.server";
import { logger } from "./logger.server";

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
 * written in SQL, so an instance's share of PostgreSQL's connection limit is one number. It is a fixed-size pool,
 * opened at start-up (`warmPool`) and kept open: a burst (Shopify's webhooks, a sale's shoppers) otherwise paid for
 * opening connections, each a new PostgreSQL backend, exactly when it could least afford to (ADR 005).
 */
export function pool(): pg.Pool {
  if (!globalThis.databasePool) {
    const size = config().DATABASE_POOL_SIZE;
    globalThis.databasePool = new pg.Pool({ connectionString: databaseUrl(), min: size, max: size });
    // An idle connection the server closed (restart, failover, a dropped test database) is already out of the pool
    // and the next query opens a new one; unhandled, the event would crash the process.
    globalThis.databasePool.on("error", (error) => logger().warn({ source: "db" }, `idle connection closed: ${error.message}`));
  }
  return globalThis.databasePool;
}

/** Opens every connection of the pool now, before the instance takes traffic. */
export async function warmPool() {
  const connections = await Promise.all(Array.from({ length: config().DATABASE_POOL_SIZE }, () => pool().connect()));
  try {
    await Promise.all(connections.map((connection) => connection.query("SELECT 1")));
  } finally {
    for (const connection of connections) connection.release();
  }
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

/**
 * A statement runner over either a Prisma transaction or a pg client inside its own transaction: the hot paths
 * (the chat message, webhook intake) run their few statements on `pool()` directly, and the writes they share
 * with Prisma-based code (the Klaviyo outbox) are written once against this.
 */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** For statements whose rows are not read (Prisma cannot read a `void` column such as pg_notify's). */
  execute(text: string, values?: unknown[]): Promise<void>;
}

function isPrismaTransaction(executor: Transaction | pg.ClientBase | Sql): executor is Transaction {
  return typeof (executor as Partial<Transaction>).$queryRawUnsafe === "function";
}

export function sqlOf(executor: Transaction | pg.ClientBase | Sql): Sql {
  if (isPrismaTransaction(executor)) {
    return {
      query: (text, values = []) => executor.$queryRawUnsafe(text, ...values),
      execute: async (text, values = []) => void (await executor.$executeRawUnsafe(text, ...values)),
    };
  }
  if ("execute" in executor) return executor;
  return {
    query: async (text, values) => (await executor.query(text, values as unknown[])).rows,
    execute: async (text, values) => void (await executor.query(text, values as unknown[])),
  };
}

/** Runs `work` in one transaction on a pooled connection, rolling back on any error. */
export async function withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
