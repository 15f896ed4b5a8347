import { afterEach, describe, expect, it } from "vitest";
import { startFakeKlaviyo, type FakeKlaviyo } from "./server";

let fake: FakeKlaviyo | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function post(url: string, apiKey: string, body: unknown) {
  return fetch(`${url}/api/events`, {
    method: "POST",
    headers: { Authorization: `Klaviyo-API-Key ${apiKey}`, revision: "2026-07-15", "content-type": "application/vnd.api+json" },
    body: JSON.stringify(body),
  });
}

function event(uniqueId: string) {
  return {
    data: {
      type: "event",
      attributes: {
        properties: {},
        unique_id: uniqueId,
        metric: { data: { type: "metric", attributes: { name: "Started Conversation" } } },
        profile: { data: { type: "profile", attributes: { email: "ada@example.com" } } },
      },
    },
  };
}

describe("fake Klaviyo", () => {
  it("enforces the per-second burst limit with 429 and Retry-After, like Klaviyo", async () => {
    let now = 1_700_000_000_000;
    fake = await startFakeKlaviyo({ now: () => now });
    fake.addAccount({ apiKey: "pk_limits", accountId: "L1", limits: { events: { burst: 3, steady: 100 } } });

    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await post(fake.url, "pk_limits", event(`e${index}`))).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const throttled = await post(fake.url, "pk_limits", event("e9"));
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(JSON.stringify(await throttled.json())).toContain("Request was throttled. Expected available in 1 second.");

    now += 1000;
    expect((await post(fake.url, "pk_limits", event("e10"))).status).toBe(202);
  });

  it("enforces the steady per-minute limit with a Retry-After until the next minute", async () => {
    let now = Date.UTC(2026, 10, 24, 10, 0, 0);
    fake = await startFakeKlaviyo({ now: () => now });
    fake.addAccount({ apiKey: "pk_steady", accountId: "S1", limits: { events: { burst: 100, steady: 5 } } });
    for (let index = 0; index < 5; index++) {
      now += 1000;
      expect((await post(fake.url, "pk_steady", event(`s${index}`))).status).toBe(202);
    }
    const throttled = await post(fake.url, "pk_steady", event("s5"));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBe(55);
  });

  it("records an event once per unique_id, profile and metric", async () => {
    fake = await startFakeKlaviyo();
    fake.addAccount({ apiKey: "pk_dedupe", accountId: "D1" });
    await post(fake.url, "pk_dedupe", event("same"));
    expect((await post(fake.url, "pk_dedupe", event("same"))).status).toBe(202);
    expect(fake.events("D1")).toHaveLength(1);
    expect(fake.duplicatesIgnored("D1")).toBe(1);
  });

  it("rejects a bulk job that repeats a unique_id, whole", async () => {
    fake = await startFakeKlaviyo();
    fake.addAccount({ apiKey: "pk_bulk", accountId: "B1" });
    const attributes = event("x").data.attributes;
    const response = await fetch(`${fake.url}/api/event-bulk-create-jobs`, {
      method: "POST",
      headers: { Authorization: "Klaviyo-API-Key pk_bulk", revision: "2026-07-15", "content-type": "application/vnd.api+json" },
      body: JSON.stringify({
        data: {
          type: "event-bulk-create-job",
          attributes: {
            "events-bulk-create": {
              data: [
                {
                  type: "event-bulk-create",
                  attributes: {
                    profile: attributes.profile,
                    events: { data: [{ type: "event", attributes: { ...attributes, profile: undefined } }, { type: "event", attributes: { ...attributes, profile: undefined } }] },
                  },
                },
              ],
            },
          },
        },
      }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("Duplicate unique_id");
    expect(fake.events("B1")).toHaveLength(0);
  });

  it("checks scopes before the body, so a key's scopes can be probed", async () => {
    fake = await startFakeKlaviyo();
    fake.addAccount({ apiKey: "pk_scoped", accountId: "P1", scopes: ["accounts:read"] });
    expect((await post(fake.url, "pk_scoped", {})).status).toBe(403);
    fake.addAccount({ apiKey: "pk_full", accountId: "P2" });
    expect((await post(fake.url, "pk_full", {})).status).toBe(400);
  });
});
