import "../../test/support/engine-database";
import { ownFakeKlaviyo as fake } from "../../test/support/own-klaviyo";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { connectedShop } from "../../test/support/klaviyo";
import { klaviyoClientFor } from "./client.server";
import { METRICS } from "./events";
import { runKlaviyoSetup } from "./setup.server";
import { PLACED_ORDER_METRIC } from "./setup-definitions";

/** Klaviyo creates a metric with its first event: send one of each. */
async function createMetrics(apiKey: string, names: string[]) {
  const client = klaviyoClientFor({ kind: "api_key", apiKey });
  for (const name of names) {
    await client.createEvent({
      properties: {},
      time: new Date().toISOString(),
      unique_id: `seed-${name}`,
      metric: { data: { type: "metric", attributes: { name } } },
      profile: { data: { type: "profile", attributes: { email: "seed@example.com" } } },
    });
  }
  return new Map((await client.listMetrics()).map((metric) => [metric.name, metric.id]));
}

const states = (result: Awaited<ReturnType<typeof runKlaviyoSetup>>) => Object.fromEntries(result.items.map((item) => [item.key, item.state]));

describe("one-click Klaviyo set-up", () => {
  it("creates the three segments and the draft flow once, with the definitions Klaviyo's spec takes, however often it runs", async () => {
    const { shop, apiKey, accountId } = await connectedShop(fake);
    const metrics = await createMetrics(apiKey, [METRICS.recommended, METRICS.escalated, METRICS.resolved, METRICS.not_purchased]);

    const first = await runKlaviyoSetup(shop.id);
    expect(states(first)).toEqual({
      "segment:recommended-not-purchased": "created",
      "segment:recently-escalated": "created",
      "segment:resolved-then-ordered": "created",
      "flow:recommendation-not-purchased": "created",
    });
    const second = await runKlaviyoSetup(shop.id);
    expect(Object.values(states(second))).toEqual(["exists", "exists", "exists", "exists"]);

    const segments = fake.segments(accountId);
    expect(segments.map((segment) => segment.attributes.name)).toEqual([
      "Customer Agent: recommended, no order since (14 days)",
      "Customer Agent: escalated in the last 7 days",
      "Customer Agent: resolved and ordered (30 days)",
    ]);
    const metricCondition = (name: string, days: number) => ({
      type: "profile-metric",
      metric_id: metrics.get(name),
      measurement: "count",
      measurement_filter: { type: "numeric", operator: "greater-than-or-equal", value: 1 },
      timeframe_filter: { type: "date", operator: "in-the-last", unit: "day", quantity: days },
    });
    expect(segments[0]!.attributes.definition).toEqual({
      condition_groups: [
        { conditions: [metricCondition(METRICS.recommended, 14)] },
        { conditions: [{ type: "profile-property", property: "properties['Customer Agent Ordered Since Recommendation']", filter: { type: "boolean", operator: "equals", value: false } }] },
      ],
    });
    expect(segments[1]!.attributes.definition).toEqual({ condition_groups: [{ conditions: [metricCondition(METRICS.escalated, 7)] }] });
    // No Placed Order metric in this account: the app's own last-order property stands in for it.
    expect(segments[2]!.attributes.definition).toEqual({
      condition_groups: [
        { conditions: [metricCondition(METRICS.resolved, 30)] },
        { conditions: [{ type: "profile-property", property: "properties['Customer Agent Last Order At']", filter: { type: "date", operator: "in-the-last", unit: "day", quantity: 30 } }] },
      ],
    });

    const [flow] = fake.flows(accountId);
    expect(fake.flows(accountId)).toHaveLength(1);
    expect(flow!.attributes).toMatchObject({ name: "Customer Agent: recommendation not purchased", status: "draft" });
    const definition = flow!.attributes.definition as { triggers: unknown; actions: Array<{ type: string; data: Record<string, unknown> }>; entry_action_id: string };
    expect(definition.triggers).toEqual([{ type: "metric", id: metrics.get(METRICS.not_purchased) }]);
    expect(definition.actions.map((action) => action.type)).toEqual(["time-delay", "send-email"]);
    expect(definition.actions[0]!.data).toEqual({ unit: "hours", value: 1 });
    expect(definition.actions[1]!.data.status).toBe("draft");
    expect(definition.entry_action_id).toBe("wait");

    // Creating requests were paced at Klaviyo's 1 per second.
    const creates = fake.requests().filter((request) => request.accountId === accountId && request.method === "POST" && /segments|flows/.test(request.path));
    expect(creates).toHaveLength(4);
    creates.slice(1).forEach((request, index) => expect(request.at - creates[index]!.at).toBeGreaterThanOrEqual(1000));
  });

  it("waits for a metric Klaviyo does not have yet, says which, and creates the rest; a retry later finishes", async () => {
    const { shop, apiKey, accountId } = await connectedShop(fake);
    await createMetrics(apiKey, [METRICS.recommended, METRICS.escalated, METRICS.resolved, PLACED_ORDER_METRIC]);

    const first = await runKlaviyoSetup(shop.id);
    expect(states(first)["flow:recommendation-not-purchased"]).toBe("waiting_for_metrics");
    const waiting = first.items.find((item) => item.kind === "flow")!;
    expect(waiting.missingMetrics).toEqual(["Recommendation Not Purchased"]);
    expect(waiting.message).toContain('Klaviyo has no "Recommendation Not Purchased" metric yet');
    expect(fake.flows(accountId)).toHaveLength(0);
    expect(fake.segments(accountId)).toHaveLength(3);
    // With Shopify's Placed Order in the account, the third segment uses it.
    expect(JSON.stringify(fake.segments(accountId)[2]!.attributes.definition)).not.toContain("Last Order At");

    const metrics = await createMetrics(apiKey, [METRICS.not_purchased]);
    const retry = await runKlaviyoSetup(shop.id);
    expect(states(retry)["flow:recommendation-not-purchased"]).toBe("created");
    expect(fake.segments(accountId)).toHaveLength(3);
    const filter = (fake.flows(accountId)[0]!.attributes.definition as { profile_filter: { condition_groups: unknown[] } }).profile_filter;
    expect(filter.condition_groups).toContainEqual({
      conditions: [
        {
          type: "profile-metric",
          metric_id: metrics.get(PLACED_ORDER_METRIC),
          measurement: "count",
          measurement_filter: { type: "numeric", operator: "equals", value: 0 },
          timeframe_filter: { type: "date", operator: "flow-start" },
        },
      ],
    });
  });

  it("finds what it created by name when its record is lost, instead of creating it again", async () => {
    const { shop, apiKey, accountId } = await connectedShop(fake);
    await createMetrics(apiKey, [METRICS.recommended, METRICS.escalated, METRICS.resolved, METRICS.not_purchased]);
    await runKlaviyoSetup(shop.id);
    await db().klaviyoResource.deleteMany({ where: { shopId: shop.id } });

    const again = await runKlaviyoSetup(shop.id);
    expect(Object.values(states(again))).toEqual(["found", "found", "found", "found"]);
    expect(fake.segments(accountId)).toHaveLength(3);
    expect(fake.flows(accountId)).toHaveLength(1);
    expect(await db().klaviyoResource.count({ where: { shopId: shop.id } })).toBe(4);
  });

  it("tells the merchant when Klaviyo throttles, and a later click creates everything", async () => {
    const { shop, apiKey, accountId } = await connectedShop(fake);
    await createMetrics(apiKey, [METRICS.recommended, METRICS.escalated, METRICS.resolved, METRICS.not_purchased]);
    fake.failNext({ status: 429, retryAfter: 30, accountId });

    const throttled = await runKlaviyoSetup(shop.id);
    expect(throttled).toMatchObject({ ok: false, message: expect.stringContaining("Klaviyo asked the app to slow down") });
    expect(fake.segments(accountId)).toHaveLength(0);

    expect(Object.values(states(await runKlaviyoSetup(shop.id)))).toEqual(["created", "created", "created", "created"]);
  });
});
