import "../../test/support/engine-database";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { PRESENT_INSTANCES } from "../jobs/instance-presence.server";
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

const delivered = (shopId: string) => db().klaviyoEvent.count({ where: { shopId, status: "delivered" } });

beforeAll(async () => {
  fake = await startFakeKlaviyo();
});
// Each test's instances only: one left running would take the next test's accounts.
afterEach(async () => {
  await Promise.all(children.splice(0).map(kill));
});
afterAll(async () => {
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

    // Nobody lapses the dead instance's lease: its absence from PostgreSQL frees the account.
    startInstance({ DELIVERY_BULK_THRESHOLD: "100000" });
    await eventually(async () => (await db().klaviyoEvent.count({ where: { shopId: shop.id, status: "delivered" } })) === 1500, 60_000);

    const uniqueIds = fake.events(accountId).map((event) => event.uniqueId);
    expect(uniqueIds).toHaveLength(1500);
    expect(new Set(uniqueIds).size).toBe(1500);
    // Accepted by Klaviyo but not yet marked when the process died: resent with the same unique_id, and dropped.
    expect(fake.duplicatesIgnored(accountId)).toBe(acceptedBeforeCrash - markedBeforeCrash);
  });

  it("takes over a killed instance's idle account as soon as it is gone, without waiting for its lease to lapse", async () => {
    const { shop, accountId } = await connectedShop(fake);
    const longLeases = { DELIVERY_LEASE_MS: "600000", DELIVERY_IDLE_LEASE_MS: "600000" };
    await recordFacts(shop.id, 5, startedFact);
    const doomed = startInstance({ ...longLeases, DELIVERY_INSTANCE_ID: `doomed-${randomBytes(4).toString("hex")}` });
    await eventually(async () => (await delivered(shop.id)) === 5);
    const held = await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(held.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
    await kill(doomed);

    await recordFacts(shop.id, 5, startedFact);
    const survivor = `survivor-${randomBytes(4).toString("hex")}`;
    startInstance({ ...longLeases, DELIVERY_INSTANCE_ID: survivor });
    await eventually(async () => (await delivered(shop.id)) === 10, 60_000);
    expect((await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } })).leaseOwner).toBe(survivor);
    expect(fake.events(accountId)).toHaveLength(10);
  });

  it("leaves a running instance's idle account with it while another instance is up", async () => {
    const { shop, accountId } = await connectedShop(fake);
    const longLeases = { DELIVERY_LEASE_MS: "600000", DELIVERY_IDLE_LEASE_MS: "600000" };
    await recordFacts(shop.id, 5, startedFact);
    const holder = `holder-${randomBytes(4).toString("hex")}`;
    startInstance({ ...longLeases, DELIVERY_INSTANCE_ID: holder });
    await eventually(async () => (await delivered(shop.id)) === 5);
    const other = `other-${randomBytes(4).toString("hex")}`;
    startInstance({ ...longLeases, DELIVERY_INSTANCE_ID: other });
    await eventually(async () => (await db().$queryRaw<Array<{ present: boolean }>>`SELECT ${other} = ANY (${Prisma.raw(PRESENT_INSTANCES)}) AS present`)[0]!.present);

    await recordFacts(shop.id, 5, startedFact);
    await eventually(async () => (await delivered(shop.id)) === 10);
    expect((await db().klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } })).leaseOwner).toBe(holder);
    expect(fake.events(accountId)).toHaveLength(10);
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
