import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeKlaviyo, type FakeKlaviyo } from "./server";

const REVISION = "2026-07-15";
const START = Date.UTC(2026, 10, 24, 10, 0, 0);

let fake: FakeKlaviyo;
let clock = START;

async function start() {
  clock = START;
  fake = await startFakeKlaviyo({ now: () => clock });
  return fake;
}

afterEach(async () => {
  await fake.close();
});

function call(path: string, init: { method?: string; apiKey?: string; bearer?: string; revision?: string | null; contentType?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.bearer) headers.Authorization = `Bearer ${init.bearer}`;
  else headers.Authorization = `Klaviyo-API-Key ${init.apiKey ?? "pk_test"}`;
  if (init.revision !== null) headers.revision = init.revision ?? REVISION;
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/vnd.api+json";
  return fetch(`${fake.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

interface ErrorBody {
  errors: Array<{ id: string; status: number; code: string; title: string; detail: string; source: { pointer: string } }>;
}

async function firstError(response: Response) {
  const body = (await response.json()) as ErrorBody;
  return body.errors[0]!;
}

function eventAttributes(overrides: { uniqueId?: string; email?: string; metric?: string; profile?: Record<string, unknown> } = {}) {
  return {
    properties: { "Conversation ID": "c1" },
    time: "2026-11-24T10:00:00.000Z",
    unique_id: overrides.uniqueId ?? "u1",
    metric: { data: { type: "metric", attributes: { name: overrides.metric ?? "Started Conversation" } } },
    profile: { data: { type: "profile", attributes: overrides.profile ?? { email: overrides.email ?? "ada@example.com" } } },
  };
}

function eventDocument(overrides: Parameters<typeof eventAttributes>[0] = {}) {
  return { data: { type: "event", attributes: eventAttributes(overrides) } };
}

function bulkDocument(groups: Array<{ profile: Record<string, unknown>; uniqueIds: string[]; metric?: string }>) {
  return {
    data: {
      type: "event-bulk-create-job",
      attributes: {
        "events-bulk-create": {
          data: groups.map((group) => ({
            type: "event-bulk-create",
            attributes: {
              profile: { data: { type: "profile", attributes: group.profile } },
              events: {
                data: group.uniqueIds.map((uniqueId) => {
                  const { profile: _profile, ...attributes } = eventAttributes({ uniqueId, metric: group.metric });
                  return { type: "event", attributes };
                }),
              },
            },
          })),
        },
      },
    },
  };
}

describe("fake Klaviyo: authentication and request checks", () => {
  it("refuses unknown credentials with a JSON:API 401 and accepts API keys and OAuth bearer tokens", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test", accountId: "ACME01", name: "Acme Outdoors" });
    fake.addOAuthToken({ accessToken: "kat_acme", accountId: "ACME01" });

    const unknown = await call("/api/accounts", { apiKey: "pk_nobody" });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(await firstError(unknown)).toMatchObject({ status: 401, code: "not_authenticated", title: expect.any(String), detail: expect.any(String), source: { pointer: expect.any(String) } });

    const withKey = await call("/api/accounts");
    expect(withKey.status).toBe(200);
    expect(await withKey.json()).toMatchObject({
      data: [{ type: "account", id: "ACME01", attributes: { contact_information: { organization_name: "Acme Outdoors" }, public_api_key: "ACME01", timezone: expect.any(String), preferred_currency: "USD" } }],
    });
    expect((await call("/api/accounts", { bearer: "kat_acme" })).status).toBe(200);
  });

  it("stops accepting a key once it is revoked", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    fake.revokeApiKey("pk_test");
    expect((await call("/api/accounts")).status).toBe(401);
  });

  it("requires a revision header that is a date", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    const missing = await call("/api/accounts", { revision: null });
    expect(missing.status).toBe(400);
    expect(await firstError(missing)).toMatchObject({ code: "invalid", detail: expect.stringContaining("revision") });
    expect((await call("/api/metrics", { revision: "latest" })).status).toBe(400);
  });

  it("answers 415 to a POST that is not application/vnd.api+json", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    const response = await call("/api/events", { body: eventDocument(), contentType: "text/plain" });
    expect(response.status).toBe(415);
    expect(fake.events()).toHaveLength(0);
  });

  it("checks the scope before the body: 403 without it, 400 with it, so a key's scopes can be probed", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_narrow", scopes: ["accounts:read"] });
    fake.addAccount({ apiKey: "pk_test" });
    const forbidden = await call("/api/events", { apiKey: "pk_narrow", body: {} });
    expect(forbidden.status).toBe(403);
    expect(await firstError(forbidden)).toMatchObject({ code: "permission_denied", detail: expect.stringContaining("events:write") });
    expect((await call("/api/segments", { apiKey: "pk_narrow", body: {} })).status).toBe(403);
    expect((await call("/api/metrics", { apiKey: "pk_narrow" })).status).toBe(403);

    const present = await call("/api/events", { body: {} });
    expect(present.status).toBe(400);
    expect(await firstError(present)).toMatchObject({ code: "invalid", source: { pointer: "/data" } });
  });

  it("gives each credential its own scopes, even on the same account", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test", accountId: "SHARED" });
    fake.addOAuthToken({ accessToken: "kat_read_only", accountId: "SHARED", scopes: ["accounts:read"] });
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
    expect((await call("/api/events", { bearer: "kat_read_only", body: eventDocument({ uniqueId: "u2" }) })).status).toBe(403);
  });
});

describe("fake Klaviyo: event validation", () => {
  it.each([
    ["a wrong type", { data: { type: "profile", attributes: eventAttributes() } }, "/data/type"],
    ["no metric name", { data: { type: "event", attributes: { ...eventAttributes(), metric: { data: { type: "metric", attributes: {} } } } } }, "/data/attributes/metric/data/attributes/name"],
    ["no profile identifier", eventDocument({ profile: { first_name: "Ada" } }), "/data/attributes/profile/data/attributes"],
    ["a phone number that is not E.164", eventDocument({ profile: { phone_number: "514 555 0100" } }), "/data/attributes/profile/data/attributes/phone_number"],
    ["properties that are not an object", { data: { type: "event", attributes: { ...eventAttributes(), properties: "x" } } }, "/data/attributes/properties"],
    ["missing properties", { data: { type: "event", attributes: { ...eventAttributes(), properties: undefined } } }, "/data/attributes/properties"],
    ["a time that is not ISO 8601", { data: { type: "event", attributes: { ...eventAttributes(), time: "Nov 24 2026" } } }, "/data/attributes/time"],
    ["a unique_id that is not a string", { data: { type: "event", attributes: { ...eventAttributes(), unique_id: 42 } } }, "/data/attributes/unique_id"],
  ])("refuses an event with %s, pointing at the field", async (_case, document, pointer) => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    const response = await call("/api/events", { body: document });
    expect(response.status).toBe(400);
    expect(await firstError(response)).toMatchObject({ status: 400, code: "invalid", source: { pointer }, detail: expect.any(String) });
    expect(fake.events()).toHaveLength(0);
  });

  it("refuses a body that is not JSON", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    const response = await call("/api/events", { body: "{not json" });
    expect(response.status).toBe(400);
    expect(await firstError(response)).toMatchObject({ code: "parse_error" });
  });

  it("accepts a valid event with 202 and an empty body, and records what it carried", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    const response = await call("/api/events", { body: { data: { type: "event", attributes: { ...eventAttributes({ profile: { _kx: "KX1" } }), value: 42.5 } } } });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
    expect(fake.events(accountId)).toEqual([
      {
        accountId,
        metric: "Started Conversation",
        properties: { "Conversation ID": "c1" },
        profile: { _kx: "KX1" },
        time: "2026-11-24T10:00:00.000Z",
        uniqueId: "u1",
        value: 42.5,
        receivedAt: START,
        via: "single",
      },
    ]);
  });
});

describe("fake Klaviyo: dedupe", () => {
  it("acknowledges but does not record an event already accepted for the same profile, metric and unique_id", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
    expect((await call("/api/events", { body: eventDocument({ email: "sam@example.com" }) })).status).toBe(202);
    expect((await call("/api/events", { body: eventDocument({ metric: "Conversation Resolved" }) })).status).toBe(202);
    expect((await call("/api/event-bulk-create-jobs", { body: bulkDocument([{ profile: { email: "ada@example.com" }, uniqueIds: ["u1"] }]) })).status).toBe(202);

    expect(fake.events(accountId).map((event) => `${String(event.profile.email)} ${event.metric}`)).toEqual([
      "ada@example.com Started Conversation",
      "sam@example.com Started Conversation",
      "ada@example.com Conversation Resolved",
    ]);
    expect(fake.duplicatesIgnored(accountId)).toBe(2);
  });

  it("keeps dedupe per account", async () => {
    await start();
    const first = fake.addAccount({ apiKey: "pk_test" });
    const second = fake.addAccount({ apiKey: "pk_other" });
    await call("/api/events", { body: eventDocument() });
    await call("/api/events", { apiKey: "pk_other", body: eventDocument() });
    expect(fake.events(first)).toHaveLength(1);
    expect(fake.events(second)).toHaveLength(1);
  });
});

describe("fake Klaviyo: bulk jobs", () => {
  it("accepts a job grouped by profile with 202 and a queued job resource", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    const response = await call("/api/event-bulk-create-jobs", {
      body: bulkDocument([
        { profile: { email: "ada@example.com" }, uniqueIds: ["a1", "a2"] },
        { profile: { phone_number: "+15145550100" }, uniqueIds: ["p1"] },
      ]),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ data: { type: "event-bulk-create-job", id: expect.any(String), attributes: { status: "queued", total_count: 3 } } });
    expect(fake.events(accountId).map((event) => [event.uniqueId, event.profile, event.via])).toEqual([
      ["a1", { email: "ada@example.com" }, "bulk"],
      ["a2", { email: "ada@example.com" }, "bulk"],
      ["p1", { phone_number: "+15145550100" }, "bulk"],
    ]);
  });

  it("takes 1,000 events and refuses 1,001", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    const ids = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);
    expect((await call("/api/event-bulk-create-jobs", { body: bulkDocument([{ profile: { email: "ada@example.com" }, uniqueIds: ids(1000, "ok") }]) })).status).toBe(202);
    const tooMany = await call("/api/event-bulk-create-jobs", { body: bulkDocument([{ profile: { email: "sam@example.com" }, uniqueIds: ids(1001, "x") }]) });
    expect(tooMany.status).toBe(400);
    expect((await firstError(tooMany)).detail).toContain("1,000");
    expect(fake.events(accountId)).toHaveLength(1000);
  });

  it("fails the whole job when a unique_id repeats inside it", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    const response = await call("/api/event-bulk-create-jobs", {
      body: bulkDocument([
        { profile: { email: "ada@example.com" }, uniqueIds: ["same", "other"] },
        { profile: { email: "sam@example.com" }, uniqueIds: ["same"] },
      ]),
    });
    expect(response.status).toBe(400);
    expect(await firstError(response)).toMatchObject({ code: "invalid", detail: expect.stringContaining("Duplicate unique_id 'same'") });
    expect(fake.events(accountId)).toHaveLength(0);
  });

  it("fails the whole job when one event is invalid, naming it", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    const response = await call("/api/event-bulk-create-jobs", {
      body: bulkDocument([
        { profile: { email: "ada@example.com" }, uniqueIds: ["a1"] },
        { profile: { phone_number: "12345" }, uniqueIds: ["p1"] },
      ]),
    });
    expect(response.status).toBe(400);
    expect(await firstError(response)).toMatchObject({
      detail: "Invalid phone number format (Example of a valid format: +12345678901)",
      source: { pointer: "/data/attributes/events-bulk-create/data/1/attributes/profile/data/attributes/phone_number" },
    });
    expect(fake.events(accountId)).toHaveLength(0);
  });
});

describe("fake Klaviyo: rate limits", () => {
  it("throttles the burst window with 429, Retry-After and Klaviyo's message, and throttled requests do not count", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test", limits: { events: { burst: 3, steady: 100 } } });
    clock += 400;
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await call("/api/events", { body: eventDocument({ uniqueId: `b${index}` }) })).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);

    const throttled = await call("/api/events", { body: eventDocument({ uniqueId: "b9" }) });
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(await firstError(throttled)).toMatchObject({ status: 429, code: "throttled", detail: "Request was throttled. Expected available in 1 second." });
    expect(fake.events(accountId).map((event) => event.uniqueId)).toEqual(["b0", "b1", "b2"]);

    clock += 600;
    expect((await call("/api/events", { body: eventDocument({ uniqueId: "b10" }) })).status).toBe(202);
  });

  it("throttles the steady window until the minute ends, and reports the steady window on success", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test", limits: { events: { burst: 100, steady: 5 } } });
    const remaining: Array<string | null> = [];
    for (let index = 0; index < 5; index++) {
      clock += 1000;
      const response = await call("/api/events", { body: eventDocument({ uniqueId: `s${index}` }) });
      expect(response.status).toBe(202);
      expect(response.headers.get("ratelimit-limit")).toBe("5");
      remaining.push(response.headers.get("ratelimit-remaining"));
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);

    const throttled = await call("/api/events", { body: eventDocument({ uniqueId: "s5" }) });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("55");
    expect((await firstError(throttled)).detail).toBe("Request was throttled. Expected available in 55 seconds.");

    clock = START + 60_000;
    expect((await call("/api/events", { body: eventDocument({ uniqueId: "s6" }) })).status).toBe(202);
  });

  it("applies Klaviyo's default limits per endpoint: GET /api/accounts allows 1 a second", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    expect((await call("/api/accounts")).status).toBe(200);
    expect((await call("/api/accounts")).status).toBe(429);
    expect((await call("/api/metrics")).status).toBe(200);
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
  });

  it("caps segment creation at 100 a day", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    const segment = { data: { type: "segment", attributes: { name: "Chatted, no order", definition: PROPERTY_SEGMENT } } };
    for (let index = 0; index < 100; index++) {
      clock += 5000; // 12 a minute: under both the burst and the steady limit
      expect((await call("/api/segments", { body: segment })).status).toBe(201);
    }
    clock += 5000;
    const throttled = await call("/api/segments", { body: segment });
    expect(throttled.status).toBe(429);
    const secondsToMidnight = Math.ceil((Date.UTC(2026, 10, 25) - clock) / 1000);
    expect(throttled.headers.get("retry-after")).toBe(String(secondsToMidnight));
    expect(fake.segments(accountId)).toHaveLength(100);
  });

  it("keeps quotas per account, and gives an OAuth install its own quota apart from private keys", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test", accountId: "BUSY01", limits: { events: { burst: 1, steady: 100 } } });
    fake.addAccount({ apiKey: "pk_other", accountId: "CALM01", limits: { events: { burst: 1, steady: 100 } } });
    fake.addOAuthToken({ accessToken: "kat_busy", accountId: "BUSY01" });
    expect((await call("/api/events", { body: eventDocument({ uniqueId: "1" }) })).status).toBe(202);
    expect((await call("/api/events", { body: eventDocument({ uniqueId: "2" }) })).status).toBe(429);
    expect((await call("/api/events", { apiKey: "pk_other", body: eventDocument({ uniqueId: "3" }) })).status).toBe(202);
    expect((await call("/api/events", { bearer: "kat_busy", body: eventDocument({ uniqueId: "4" }) })).status).toBe(202);
  });
});

describe("fake Klaviyo: metrics, segments and flows", () => {
  it("lists the metrics its accepted events created, 200 a page with links.next", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    const groups = Array.from({ length: 250 }, (_, index) => ({ profile: { email: "ada@example.com" }, uniqueIds: [`m${index}`], metric: `Metric ${index}` }));
    expect((await call("/api/event-bulk-create-jobs", { body: bulkDocument(groups) })).status).toBe(202);

    const first = (await (await call("/api/metrics")).json()) as { data: Array<{ type: string; id: string; attributes: { name: string } }>; links: { next: string | null } };
    expect(first.data).toHaveLength(200);
    expect(first.data[0]).toMatchObject({ type: "metric", id: expect.any(String), attributes: { name: "Metric 0" } });
    const next = new URL(first.links.next!);
    const second = (await (await call(`${next.pathname}${next.search}`)).json()) as typeof first;
    expect(second.data.map((metric) => metric.attributes.name).at(-1)).toBe("Metric 249");
    expect(second.links.next).toBeNull();
  });

  it("creates segments and flows with 201, echoing them with an id", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    expect((await call("/api/events", { body: eventDocument({ metric: "Started Conversation" }) })).status).toBe(202);
    const metricId = ((await (await call("/api/metrics")).json()) as { data: Array<{ id: string }> }).data[0]!.id;
    const segment = await call("/api/segments", {
      body: { data: { type: "segment", attributes: { name: "Chatted", definition: { condition_groups: [{ conditions: [chattedCondition(metricId)] }, ...PROPERTY_SEGMENT.condition_groups] } } } },
    });
    expect(segment.status).toBe(201);
    expect(await segment.json()).toMatchObject({ data: { type: "segment", id: expect.any(String), attributes: { name: "Chatted" } } });
    clock += 1000;
    const flow = await call("/api/flows", { body: { data: { type: "flow", attributes: { name: "Follow up", definition: flowDefinition(metricId) } } } });
    expect(flow.status).toBe(201);
    expect(await flow.json()).toMatchObject({ data: { type: "flow", attributes: { name: "Follow up", status: "draft" } } });
    expect(fake.flows(accountId)).toHaveLength(1);

    clock += 1000;
    const nameless = await call("/api/segments", { body: { data: { type: "segment", attributes: { definition: {} } } } });
    expect(nameless.status).toBe(400);
    expect(await firstError(nameless)).toMatchObject({ source: { pointer: "/data/attributes/name" } });
  });

  it("refuses segment and flow definitions that break Klaviyo's spec, naming the field", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
    const metricId = ((await (await call("/api/metrics")).json()) as { data: Array<{ id: string }> }).data[0]!.id;
    const cases: Array<[string, string, unknown, string]> = [
      ["/api/segments", "segment", { condition_groups: [] }, "/data/attributes/definition/condition_groups"],
      ["/api/segments", "segment", { condition_groups: [{ conditions: [chattedCondition("NOPE42")] }] }, "/data/attributes/definition/condition_groups/0/conditions/0/metric_id"],
      ["/api/segments", "segment", { condition_groups: [{ conditions: [{ ...chattedCondition(metricId), timeframe_filter: { type: "date", operator: "flow-start" } }] }] }, "/data/attributes/definition/condition_groups/0/conditions/0/timeframe_filter/operator"],
      ["/api/segments", "segment", { condition_groups: [{ conditions: [{ type: "profile-property", property: "properties['x']", filter: { type: "boolean", operator: "equals", value: "no" } }] }] }, "/data/attributes/definition/condition_groups/0/conditions/0/filter/value"],
      ["/api/flows", "flow", { ...flowDefinition(metricId), triggers: [{ type: "metric", id: "NOPE42" }] }, "/data/attributes/definition/triggers/0/id"],
      ["/api/flows", "flow", { ...flowDefinition(metricId), entry_action_id: "missing" }, "/data/attributes/definition/entry_action_id"],
      ["/api/flows", "flow", { ...flowDefinition(metricId), actions: [{ id: "1", temporary_id: "wait", type: "time-delay", data: { unit: "hours", value: 1 } }] }, "/data/attributes/definition/actions/0/id"],
      ["/api/flows", "flow", { ...flowDefinition(metricId), actions: [{ temporary_id: "wait", type: "time-delay", links: { next: "ghost" }, data: { unit: "hours", value: 1 } }] }, "/data/attributes/definition/actions/0/links/next"],
    ];
    for (const [path, type, definition, pointer] of cases) {
      clock += 1000;
      const response = await call(path, { body: { data: { type, attributes: { name: "Bad", definition } } } });
      expect(response.status, pointer).toBe(400);
      expect(await firstError(response)).toMatchObject({ source: { pointer } });
    }
  });
});

const PROPERTY_SEGMENT = {
  condition_groups: [{ conditions: [{ type: "profile-property", property: "properties['Customer Agent Open Escalation']", filter: { type: "boolean", operator: "equals", value: true } }] }],
};

function chattedCondition(metricId: string) {
  return {
    type: "profile-metric",
    metric_id: metricId,
    measurement: "count",
    measurement_filter: { type: "numeric", operator: "greater-than-or-equal", value: 1 },
    timeframe_filter: { type: "date", operator: "in-the-last", unit: "day", quantity: 14 },
  };
}

function flowDefinition(metricId: string) {
  return {
    triggers: [{ type: "metric", id: metricId }],
    profile_filter: null,
    actions: [
      { temporary_id: "wait", type: "time-delay", links: { next: "email" }, data: { unit: "hours", value: 1 } },
      { temporary_id: "email", type: "send-email", links: { next: null }, data: { status: "draft", message: { subject_line: "Hi" } } },
    ],
    entry_action_id: "wait",
  };
}

describe("fake Klaviyo: profile-import", () => {
  it("creates then updates a profile, clears a property with null, and refuses anonymous_id and unknown attributes", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    const importProfile = (attributes: Record<string, unknown>) => call("/api/profile-import", { body: { data: { type: "profile", attributes } } });
    expect((await importProfile({ email: "ada@example.com", properties: { a: 1, b: true } })).status).toBe(201);
    expect((await importProfile({ email: "ada@example.com", external_id: "7", properties: { a: null, c: "x" } })).status).toBe(200);
    expect(fake.profiles(accountId).map((profile) => [profile.identifiers, profile.properties])).toEqual([[{ email: "ada@example.com", external_id: "7" }, { b: true, c: "x" }]]);

    const anonymous = await importProfile({ anonymous_id: "anon-1", properties: {} });
    expect(anonymous.status).toBe(400);
    expect(await firstError(anonymous)).toMatchObject({ source: { pointer: "/data/attributes/anonymous_id" } });
    const unknown = await importProfile({ email: "bo@example.com", favourite: "x" });
    expect(await firstError(unknown)).toMatchObject({ source: { pointer: "/data/attributes/favourite" } });
    const nameless = await importProfile({ properties: { a: 1 } });
    expect(nameless.status).toBe(400);
  });
});

describe("fake Klaviyo: OAuth", () => {
  const verifier = "a-code-verifier-that-is-long-enough-for-pkce-0123456789";
  const basic = `Basic ${Buffer.from("client-id:client-secret").toString("base64")}`;

  function token(form: Record<string, string>, authorization = basic) {
    return fetch(`${fake.url}/oauth/token`, {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }

  function registerCode(code: string) {
    fake.registerAuthorizationCode({
      code,
      codeChallenge: createHash("sha256").update(verifier).digest("base64url"),
      clientId: "client-id",
      redirectUri: "https://app.example/klaviyo/oauth/callback",
      accountId: "OAUTH1",
      scopes: ["accounts:read", "events:write"],
    });
  }

  interface Tokens {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    token_type: string;
    scope: string;
  }

  it("exchanges a code with the right PKCE verifier for tokens that work as Bearer, once", async () => {
    await start();
    registerCode("code-1");
    const exchange = { grant_type: "authorization_code", code: "code-1", code_verifier: verifier, redirect_uri: "https://app.example/klaviyo/oauth/callback" };
    const response = await token(exchange);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Tokens;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "accounts:read events:write", refresh_token: expect.any(String) });
    expect((await call("/api/accounts", { bearer: tokens.access_token })).status).toBe(200);
    expect((await call("/api/metrics", { bearer: tokens.access_token })).status).toBe(403);

    const reused = await token(exchange);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a wrong verifier, a wrong redirect URI and missing client authentication", async () => {
    await start();
    registerCode("code-2");
    expect((await token({ grant_type: "authorization_code", code: "code-2", code_verifier: "wrong", redirect_uri: "https://app.example/klaviyo/oauth/callback" })).status).toBe(400);
    registerCode("code-3");
    expect((await token({ grant_type: "authorization_code", code: "code-3", code_verifier: verifier, redirect_uri: "https://evil.example/" })).status).toBe(400);
    registerCode("code-4");
    const anonymous = await token({ grant_type: "authorization_code", code: "code-4", code_verifier: verifier, redirect_uri: "https://app.example/klaviyo/oauth/callback" }, "");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "invalid_client" });
  });

  it("expires access tokens, refreshes them with a rotating refresh token, and revokes the whole grant", async () => {
    await start();
    registerCode("code-5");
    const first = (await (await token({ grant_type: "authorization_code", code: "code-5", code_verifier: verifier, redirect_uri: "https://app.example/klaviyo/oauth/callback" })).json()) as Tokens;

    clock += 3600 * 1000;
    expect((await call("/api/accounts", { bearer: first.access_token })).status).toBe(401);

    const refreshed = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as Tokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await call("/api/accounts", { bearer: second.access_token })).status).toBe(200);
    expect((await token({ grant_type: "refresh_token", refresh_token: first.refresh_token })).status).toBe(400);

    const revoke = await fetch(`${fake.url}/oauth/revoke`, {
      method: "POST",
      headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: second.refresh_token, token_type_hint: "refresh_token" }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect((await call("/api/accounts", { bearer: second.access_token })).status).toBe(401);
    expect((await token({ grant_type: "refresh_token", refresh_token: second.refresh_token })).status).toBe(400);
  });
});

describe("fake Klaviyo: failure injection and inspection", () => {
  it("fails the next requests as told, with Retry-After and detail, then answers normally", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    fake.failNext({ status: 429, count: 2, retryAfter: 7, body: { detail: "Slow down." } });
    const first = await call("/api/events", { body: eventDocument() });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("7");
    expect(await firstError(first)).toMatchObject({ code: "throttled", detail: "Slow down." });
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(429);
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
    expect(fake.events(accountId)).toHaveLength(1);
  });

  it("scopes injected failures and outages to one account when asked", async () => {
    await start();
    const troubled = fake.addAccount({ apiKey: "pk_test" });
    fake.addAccount({ apiKey: "pk_other" });
    fake.failNext({ status: 500, accountId: troubled });
    expect((await call("/api/events", { apiKey: "pk_other", body: eventDocument() })).status).toBe(202);
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(500);

    fake.setOutage({ status: 503, accountId: troubled });
    expect((await call("/api/events", { body: eventDocument({ uniqueId: "u2" }) })).status).toBe(503);
    expect((await call("/api/events", { apiKey: "pk_other", body: eventDocument({ uniqueId: "u2" }) })).status).toBe(202);
  });

  it("answers every request with the outage status until it is cleared", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    fake.setOutage({ status: 503 });
    for (let index = 0; index < 3; index++) expect((await call("/api/events", { body: eventDocument() })).status).toBe(503);
    expect((await call("/api/accounts", { apiKey: "pk_unknown" })).status).toBe(503);
    fake.setOutage(null);
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
  });

  it("leaves a request hanging when told, and answers the next one", async () => {
    await start();
    fake.addAccount({ apiKey: "pk_test" });
    fake.hangNext(1);
    const hung = fetch(`${fake.url}/api/accounts`, {
      headers: { Authorization: "Klaviyo-API-Key pk_test", revision: REVISION },
      signal: AbortSignal.timeout(200),
    });
    await expect(hung).rejects.toMatchObject({ name: "TimeoutError" });
    expect((await call("/api/accounts")).status).toBe(200);
  });

  it("logs every request with its status and account, and reset forgets what happened but keeps the accounts", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_test" });
    await call("/api/events", { body: eventDocument() });
    await call("/api/accounts", { apiKey: "pk_unknown" });
    expect(fake.requests()).toEqual([
      { method: "POST", path: "/api/events", status: 202, accountId, at: START },
      { method: "GET", path: "/api/accounts", status: 401, accountId: null, at: START },
    ]);

    fake.reset();
    expect(fake.requests()).toEqual([]);
    expect(fake.events()).toEqual([]);
    expect((await call("/api/events", { body: eventDocument() })).status).toBe(202);
    expect(fake.events(accountId)).toHaveLength(1);
    expect(fake.duplicatesIgnored(accountId)).toBe(0);
  });
});

describe("fake Klaviyo: onsite script and Client API", () => {
  it("serves klaviyo.js for a company id and records what browsers identify through the Client API, with CORS", async () => {
    await start();
    const accountId = fake.addAccount({ apiKey: "pk_onsite", accountId: "ONSITE1" });
    const script = await fetch(`${fake.url}/onsite/js/klaviyo.js?company_id=${accountId}`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(await script.text()).toContain(`/client/profiles/?company_id=${accountId}`);

    const preflight = await fetch(`${fake.url}/client/profiles/?company_id=${accountId}`, { method: "OPTIONS" });
    expect(preflight.headers.get("access-control-allow-headers")).toContain("revision");
    const identify = (companyId: string, attributes: Record<string, string>) =>
      fetch(`${fake.url}/client/profiles/?company_id=${companyId}`, { method: "POST", headers: { "Content-Type": "application/json", revision: "2026-10-15" }, body: JSON.stringify({ data: { type: "profile", attributes } }) });
    expect((await identify(accountId, { email: "ada@example.org" })).status).toBe(202);
    expect((await identify("NOPE00", { email: "ada@example.org" })).status).toBe(400);
    expect((await identify(accountId, { first_name: "Ada" })).status).toBe(400);
    expect(fake.onsiteIdentifications(accountId)).toEqual([{ accountId, email: "ada@example.org", phoneNumber: null, receivedAt: expect.any(Number) }]);
  });
});
