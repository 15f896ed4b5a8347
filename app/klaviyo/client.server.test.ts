import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeKlaviyo, type FakeKlaviyo, type RateLimit } from "../../fakes/klaviyo/server";
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

function clientFor(apiKey: string, timeoutMs = 2000) {
  return new KlaviyoClient({ baseUrl: fake.url, credentials: { kind: "api_key", apiKey }, timeoutMs });
}

/** A fresh account on the fake, so tests share no quota, dedupe or injected failures. */
function account(options: { scopes?: readonly string[]; eventLimits?: RateLimit; timeoutMs?: number } = {}) {
  const apiKey = `pk_client_test_${++accountSequence}_key`;
  const accountId = fake.addAccount({
    apiKey,
    accountId: `CLIENT${accountSequence}`,
    name: "Acme Outdoors",
    scopes: options.scopes,
    limits: options.eventLimits ? { events: options.eventLimits } : undefined,
  });
  return { client: clientFor(apiKey, options.timeoutMs), accountId };
}

function event(uniqueId: string, profile: KlaviyoEventAttributes["profile"]["data"]["attributes"], metric = "Started Conversation"): KlaviyoEventAttributes {
  return {
    properties: { "Conversation ID": uniqueId, Channel: "Web chat" },
    time: "2026-11-24T10:00:00.000Z",
    unique_id: uniqueId,
    metric: { data: { type: "metric", attributes: { name: metric } } },
    profile: { data: { type: "profile", attributes: profile } },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<KlaviyoApiError> {
  const error = await promise.then(
    () => new Error("expected the call to fail"),
    (reason: unknown) => reason,
  );
  if (error instanceof KlaviyoApiError) return error;
  throw error;
}

describe("Klaviyo client: success", () => {
  it("reads the account behind a key", async () => {
    const { client, accountId } = account();
    expect(await client.getAccount()).toEqual({ id: accountId, name: "Acme Outdoors", publicApiKey: accountId, timezone: "America/New_York", currency: "USD" });
  });

  it("works with an OAuth access token as Bearer", async () => {
    fake.addOAuthToken({ accessToken: "kat_client_test", accountId: "OAUTHC1" });
    const client = new KlaviyoClient({ baseUrl: fake.url, credentials: { kind: "oauth", accessToken: "kat_client_test" }, timeoutMs: 2000 });
    expect(await client.getAccount()).toMatchObject({ id: "OAUTHC1" });
  });

  it("creates an event that Klaviyo accepts, with everything it carried", async () => {
    const { client, accountId } = account();
    await client.createEvent({ ...event("u1", { email: "ada@example.com", first_name: "Ada" }), value: 129.9 });
    expect(fake.events(accountId)).toMatchObject([
      {
        metric: "Started Conversation",
        uniqueId: "u1",
        time: "2026-11-24T10:00:00.000Z",
        value: 129.9,
        properties: { "Conversation ID": "u1", Channel: "Web chat" },
        profile: { email: "ada@example.com", first_name: "Ada" },
        via: "single",
      },
    ]);
  });

  it("sends a bulk job in one request, grouping events whose profile attributes are equal in any key order", async () => {
    const { client, accountId } = account();
    const { jobId } = await client.createEventBulkJob([
      event("b1", { email: "ada@example.com", external_id: "7001" }),
      event("b2", { email: "sam@example.com" }),
      event("b3", { external_id: "7001", email: "ada@example.com" }),
    ]);
    expect(jobId).toEqual(expect.any(String));
    expect(fake.requests().filter((request) => request.accountId === accountId)).toMatchObject([{ path: "/api/event-bulk-create-jobs", status: 202 }]);
    expect(fake.events(accountId).map((accepted) => `${String(accepted.profile.email)} ${accepted.uniqueId} ${accepted.via}`)).toEqual([
      "ada@example.com b1 bulk",
      "ada@example.com b3 bulk",
      "sam@example.com b2 bulk",
    ]);
  });

  it("refuses an empty bulk job or one over 1,000 events before calling Klaviyo", async () => {
    const { client, accountId } = account();
    const tooMany = Array.from({ length: 1001 }, (_, index) => event(`e${index}`, { email: "ada@example.com" }));
    await expect(client.createEventBulkJob(tooMany)).rejects.toThrow(RangeError);
    await expect(client.createEventBulkJob([])).rejects.toThrow(RangeError);
    expect(fake.requests().filter((request) => request.accountId === accountId)).toHaveLength(0);
  });

  it("lists every metric across Klaviyo's pages", async () => {
    const { client } = account();
    const names = Array.from({ length: 230 }, (_, index) => `Metric ${index}`);
    await client.createEventBulkJob(names.map((name, index) => event(`m${index}`, { email: "ada@example.com" }, name)));
    const metrics = await client.listMetrics();
    expect(metrics.map((metric) => metric.name)).toEqual(names);
    expect(new Set(metrics.map((metric) => metric.id)).size).toBe(230);
  });
});

describe("Klaviyo client: failures", () => {
  it("classifies Klaviyo's own throttling as retryable, with its Retry-After and words", async () => {
    const { client } = account({ eventLimits: { burst: 1, steady: 100 } });
    // Two back-to-back requests can straddle a second boundary; a third one cannot also fit in the next window.
    const outcomes = await Promise.allSettled([1, 2, 3].map((index) => client.createEvent(event(`r${index}`, { email: "ada@example.com" }))));
    const throttled = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected")?.reason as KlaviyoApiError;
    expect(throttled).toBeInstanceOf(KlaviyoApiError);
    expect(throttled).toMatchObject({ kind: "rate_limited", status: 429, retryable: true, retryAfterSeconds: 1, detail: "Request was throttled. Expected available in 1 second." });
    expect(throttled.merchantMessage).toContain("continues on its own in 1 second");
  });

  it("carries a longer Retry-After as given", async () => {
    const { client, accountId } = account();
    fake.failNext({ status: 429, retryAfter: 42, accountId });
    expect(await failureOf(client.createEvent(event("r1", { email: "ada@example.com" })))).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 42, retryable: true });
  });

  it("classifies a 503 as retryable and says nothing is lost", async () => {
    const { client, accountId } = account();
    fake.failNext({ status: 503, accountId });
    const error = await failureOf(client.createEvent(event("s1", { email: "ada@example.com" })));
    expect(error).toMatchObject({ kind: "unavailable", status: 503, retryable: true, endpoint: "POST /api/events" });
    expect(error.merchantMessage).toContain("nothing is lost");
    await client.createEvent(event("s1", { email: "ada@example.com" }));
    expect(fake.events(accountId)).toHaveLength(1);
  });

  it("gives up on a request Klaviyo never answers, as a retryable timeout", async () => {
    const { client, accountId } = account({ timeoutMs: 300 });
    fake.hangNext(1, { accountId });
    const error = await failureOf(client.createEvent(event("t1", { email: "ada@example.com" })));
    expect(error).toMatchObject({ kind: "timeout", status: null, retryable: true });
    expect(error.detail).toContain("300 ms");
  });

  it("classifies an unreachable Klaviyo as a retryable network failure", async () => {
    const closed = await startFakeKlaviyo();
    await closed.close();
    const client = new KlaviyoClient({ baseUrl: closed.url, credentials: { kind: "api_key", apiKey: "pk_unreachable_key" }, timeoutMs: 2000 });
    expect(await failureOf(client.getAccount())).toMatchObject({ kind: "network", status: null, retryable: true });
  });

  it("tells the merchant to reconnect when Klaviyo rejects the key or the OAuth access", async () => {
    const unauthorized = await failureOf(clientFor("pk_unknown_key_123").getAccount());
    expect(unauthorized).toMatchObject({ kind: "unauthorized", status: 401, retryable: false });
    expect(unauthorized.merchantMessage).toBe("Klaviyo rejected the API key (it may have been revoked or deleted). Reconnect Klaviyo with a valid private API key.");

    const oauth = new KlaviyoClient({ baseUrl: fake.url, credentials: { kind: "oauth", accessToken: "kat_revoked" }, timeoutMs: 2000 });
    expect((await failureOf(oauth.getAccount())).merchantMessage).toContain("Reconnect Klaviyo");
  });

  it("names the missing permission when the key lacks a scope", async () => {
    const { client } = account({ scopes: ["accounts:read"] });
    const forbidden = await failureOf(client.createEvent(event("f1", { email: "ada@example.com" })));
    expect(forbidden).toMatchObject({ kind: "forbidden", status: 403, retryable: false, requiredScope: "events:write" });
    expect(forbidden.merchantMessage).toContain("lacks the events:write permission");
    expect(forbidden.merchantMessage).toContain("create a private key granting events:write");
  });

  it("passes Klaviyo's words through for a refused event, and does not retry it", async () => {
    const { client } = account();
    const error = await failureOf(client.createEvent(event("v1", { phone_number: "514 555 0100" })));
    expect(error).toMatchObject({ kind: "rejected", status: 400, retryable: false, detail: "Invalid phone number format (Example of a valid format: +12345678901)" });
    expect(error.merchantMessage).toContain("Invalid phone number format");
  });
});

describe("Klaviyo client: scope probing", () => {
  it("tells which scopes a key has, without writing anything to the account", async () => {
    const { client, accountId } = account({ scopes: ["accounts:read", "events:write", "metrics:read", "segments:read"] });
    const probed = Object.fromEntries(
      await Promise.all((["events:write", "profiles:write", "metrics:read", "segments:read", "segments:write", "flows:read", "flows:write"] as const).map(async (scope) => [scope, await client.probeScope(scope)])),
    );
    expect(probed).toEqual({
      "events:write": true,
      "profiles:write": false,
      "metrics:read": true,
      "segments:read": true,
      "segments:write": false,
      "flows:read": false,
      "flows:write": false,
    });
    expect(fake.events(accountId)).toHaveLength(0);
    expect(fake.segments(accountId)).toHaveLength(0);
  });

  it("does not mistake a failure for a missing scope", async () => {
    const { client, accountId } = account();
    fake.failNext({ status: 503, accountId });
    expect(await failureOf(client.probeScope("events:write"))).toMatchObject({ kind: "unavailable" });
  });
});
