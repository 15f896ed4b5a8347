import net from "node:net";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, expect, inject, it } from "vitest";

/**
 * The database going away under a running app: this file's webhook endpoint reaches PostgreSQL through a TCP relay
 * the test can cut, so the real library (session lookup) and the real intake meet a real refused connection.
 */
const target = new URL(inject("databaseUrl"));
const sockets = new Set<net.Socket>();
const relay = net.createServer((client) => {
  const upstream = net.connect(Number(target.port), target.hostname);
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  }
  client.pipe(upstream).pipe(client);
});
await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
const relayed = new URL(target);
relayed.port = String((relay.address() as net.AddressInfo).port);
process.env.DATABASE_URL = relayed.toString();

const { receiveWebhook } = await import("./receive.server");
const { closeDatabase } = await import("../db.server");
const { createTestShop, webhookRequest } = await import("../../test/support/shopify");

afterAll(async () => {
  await closeDatabase();
});

const receive = async (request: Request) => receiveWebhook(request, "orders/create");

it("answers with a JSON 503 and Retry-After while the database is unreachable, and stores nothing", async () => {
  const shop = await createTestShop();
  const order = { id: 1, name: "#1", total_price: "1.00", currency: "USD", created_at: "2026-11-20T10:00:00Z", line_items: [] };
  expect((await receive(await webhookRequest({ shop, topic: "orders/create", payload: order }))).status).toBe(200);

  relay.close();
  for (const socket of sockets) socket.destroy();
  const webhookId = randomUUID();
  const response = await receive(await webhookRequest({ shop, topic: "orders/create", payload: order, webhookId }));

  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  expect(await response.json()).toEqual({ error: "Temporarily unavailable, please retry shortly" });
  const direct = new pg.Client({ connectionString: inject("databaseUrl") });
  await direct.connect();
  const { rows } = await direct.query(`SELECT 1 FROM "WebhookDelivery" WHERE "webhookId" = $1`, [webhookId]);
  await direct.end();
  expect(rows).toHaveLength(0);
});
