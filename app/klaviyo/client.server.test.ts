import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeKlaviyo, type FakeKlaviyo } from "../../fakes/klaviyo/server";
import { KlaviyoClient, type KlaviyoEventAttributes } from "./client.server";
import { KlaviyoApiError } from "./errors";

let fake: FakeKlaviyo;
let accountSequence = 0;

beforeAll(async () => {
  fake = await startFakeKlaviyo();
});
afterAll(async () => {
  await fake.close();
});

function account(scopes?: readonly string[]) {
  const apiKey = `pk_client_test_${++accountSequence}_key`;
  const accountId = fake.addAccount({ apiKey, accountId: `CLIENT${accountSequence}`, name: "Acme Outdoors", scopes });
  return { client: new KlaviyoClient({ baseUrl: fake.url, credentials: { kind: "api_key", apiKey }, timeoutMs: 500 }), accountId };
}

function event(uniqueId: string, email: string): KlaviyoEventAttributes {
  return {
    properties: { "Conversation ID": uniqueId },
    time: "2026-11-24T10:00:00.000Z",
    unique_id: uniqueId,
    metric: { data: { type: "metric", attributes: { name: "Started Conversation" } } },
    profile: { data: { type: "profile", attributes: { email } } },
  };
}

async function failure(promise: Promise<unknown>): Promise<KlaviyoApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KlaviyoApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("Klaviyo client", () => {
  it("reads the account behind a key", async () => {
    const { client, accountId } = account();
    expect(await client.getAccount()).toMatchObject({ id: accountId, name: "Acme Outdoors", publicApiKey: accountId });
  });

  it("creates an event that Klaviyo accepts with 202", async () => {
    const { client, accountId } = account();
    await client.createEvent(event("u1", "ada@example.com"));
    expect(fake.events(accountId)).toMatchObject([{ metric: "Started Conversation", uniqueId: "u1", profile: { email: "ada@example.com" }, via: "single" }]);
  });

  it("groups a bulk job's events by profile", async () => {
    const { client, accountId } = account();
    await client.createEventBulkJob([event("b1", "ada@example.com"), event("b2", "sam@example.com"), event("b3", "ada@example.com")]);
    expect(fake.events(accountId).map((accepted) => `${accepted.profile.email}:${accepted.uniqueId}`)).toEqual([
      "ada@example.com:b1",
      "ada@example.com:b3",
      "sam@example.com:b2",
    ]);
  });

  it("classifies a 429 as retryable and carries Retry-After", async () => {
    const { client, accountId } = account();
    fake.failNext({ status: 429, retryAfter: 7, accountId });
    const error = await failure(client.createEvent(event("r1", "ada@example.com")));
    expect(error).toMatchObject({ kind: "rate_limited", status: 429, retryable: true, retryAfterSeconds: 7 });
  });

  it("classifies 503 and a hung request as retryable", async () => {
    const { client, accountId } = account();
    fake.failNext({ status: 503, accountId });
    expect(await failure(client.createEvent(event("s1", "ada@example.com")))).toMatchObject({ kind: "unavailable", retryable: true });
    fake.hangNext(1);
    expect(await failure(client.createEvent(event("s2", "ada@example.com")))).toMatchObject({ kind: "timeout", status: null, retryable: true });
  });

  it("explains a wrong key and a missing scope to the merchant", async () => {
    const wrong = new KlaviyoClient({ baseUrl: fake.url, credentials: { kind: "api_key", apiKey: "pk_unknown_key_123" }, timeoutMs: 500 });
    const unauthorized = await failure(wrong.getAccount());
    expect(unauthorized).toMatchObject({ kind: "unauthorized", retryable: false });
    expect(unauthorized.merchantMessage).toContain("Reconnect Klaviyo with a valid private API key");

    const { client } = account(["accounts:read"]);
    const forbidden = await failure(client.createEvent(event("f1", "ada@example.com")));
    expect(forbidden).toMatchObject({ kind: "forbidden", retryable: false });
    expect(forbidden.merchantMessage).toContain("events:write");
  });

  it("passes Klaviyo's validation message through for a rejected event", async () => {
    const { client } = account();
    const bad = { ...event("v1", "ada@example.com"), profile: { data: { type: "profile" as const, attributes: {} } } };
    const error = await failure(client.createEvent(bad));
    expect(error).toMatchObject({ kind: "rejected", status: 400, retryable: false });
    expect(error.detail).toContain("A profile identifier");
  });

  it("probes scopes without writing anything", async () => {
    const { client, accountId } = account(["accounts:read", "events:write", "metrics:read"]);
    expect(await client.probeScope("events:write")).toBe(true);
    expect(await client.probeScope("metrics:read")).toBe(true);
    expect(await client.probeScope("segments:write")).toBe(false);
    expect(await client.probeScope("flows:read")).toBe(false);
    expect(fake.events(accountId)).toHaveLength(0);
  });

  it("is checked against a fake that, like Klaviyo, refuses a request without the revision header", async () => {
    const response = await fetch(`${fake.url}/api/accounts`, { headers: { Authorization: "Klaviyo-API-Key pk_client_test_1_key" } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("revision");
  });
});
