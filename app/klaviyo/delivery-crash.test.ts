import "../../test/support/engine-database";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { eventually } from "../../test/support/eventually";
import { connectedShop, recordFacts, startedFact } from "../../test/support/klaviyo";

const ROOT = path.resolve(import.meta.dirname, "../..");
let fake: FakeKlaviyo;
const children: ChildProcess[] = [];

/**
 * Node itself with tsx as a loader, not the tsx CLI: the CLI runs the script in a child process of its own,
 * which a SIGKILL to the CLI would leave running.
 */
function startInstance(extraEnv: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/delivery-instance.ts"], {
    cwd: ROOT,
    env: { ...process.env, KLAVIYO_API_URL: fake.url, ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  fake = await startFakeKlaviyo();
});
afterAll(async () => {
  await Promise.all(children.map(kill));
  await fake.close();
});

describe("Klaviyo delivery across crashes and instances", () => {
  it("loses and doubles nothing when the delivering process is killed mid-batch and another takes over", async () => {
    const { shop, accountId } = await connectedShop(fake);
    await recordFacts(shop.id, 1500, startedFact);

    const doomed = startInstance({ DELIVERY_BULK_THRESHOLD: "100000" });
    await eventually(async () => fake.events(accountId).length >= 200);
    await kill(doomed);
    // Requests already on the wire still reach Klaviyo after the sender died.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const acceptedBeforeCrash = fake.events(accountId).length;
    const markedBeforeCrash = await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "delivered" } });
    expect(acceptedBeforeCrash).toBeLessThan(1500);
    expect(acceptedBeforeCrash).toBeGreaterThan(markedBeforeCrash);

    // The dead instance's lease would lapse within 15 s on its own; lapse it now rather than wait.
    await db().klaviyoConnection.updateMany({ where: { shopId: shop.id }, data: { leaseExpiresAt: new Date(0) } });
    startInstance({ DELIVERY_BULK_THRESHOLD: "100000" });
    await eventually(async () => (await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "delivered" } })) === 1500, 60_000);

    const uniqueIds = fake.events(accountId).map((event) => event.uniqueId);
    expect(uniqueIds).toHaveLength(1500);
    expect(new Set(uniqueIds).size).toBe(1500);
    // Accepted by Klaviyo but not yet marked when the process died: resent with the same unique_id, and dropped.
    expect(fake.duplicatesIgnored(accountId)).toBe(acceptedBeforeCrash - markedBeforeCrash);
  });

  it("shares accounts between several running instances without sending anything twice", async () => {
    const shops = await Promise.all([1, 2, 3, 4].map(() => connectedShop(fake)));
    for (const { shop } of shops) await recordFacts(shop.id, 100, startedFact);
    startInstance({});
    startInstance({});

    for (const { shop, accountId } of shops) {
      await eventually(async () => (await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "delivered" } })) === 100, 60_000);
      expect(fake.events(accountId)).toHaveLength(100);
      expect(fake.duplicatesIgnored(accountId)).toBe(0);
    }
  });
});
