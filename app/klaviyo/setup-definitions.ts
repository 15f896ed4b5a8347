import { METRICS } from "./events";
import { PROFILE_PROPERTIES } from "./profiles";

/** Shopify's own metric in Klaviyo, present when the merchant's account has the Shopify integration. */
export const PLACED_ORDER_METRIC = "Placed Order";

export type MetricIds = ReadonlyMap<string, string>;

export interface SetupDefinition {
  /** The app's own name for what it creates, stable across renames in Klaviyo. */
  key: string;
  kind: "segment" | "flow";
  /** The name it gets in Klaviyo, and how it is found again if the app's record of it is lost. */
  name: string;
  /** What it is for, shown in the admin. */
  description: string;
  /** Metrics it references: each must already exist in the account (Klaviyo creates one with its first event). */
  requiredMetrics: string[];
  definition(metrics: MetricIds): Record<string, unknown>;
}

const property = (name: string) => `properties['${name}']`;

function metricAtLeastOnce(metricId: string, days: number) {
  return {
    type: "profile-metric",
    metric_id: metricId,
    measurement: "count",
    measurement_filter: { type: "numeric", operator: "greater-than-or-equal", value: 1 },
    timeframe_filter: { type: "date", operator: "in-the-last", unit: "day", quantity: days },
  };
}

const notOrderedSinceRecommendation = {
  type: "profile-property",
  property: property(PROFILE_PROPERTIES.orderedSinceRecommendation),
  filter: { type: "boolean", operator: "equals", value: false },
};

/** The seed's three segments and the draft flow, as Klaviyo's segment and flow definitions (revision 2026-07-15). */
export const SETUP_DEFINITIONS: SetupDefinition[] = [
  {
    key: "segment:recommended-not-purchased",
    kind: "segment",
    name: "Customer Agent: recommended, no order since (14 days)",
    description:
      "Received a product recommendation in the last 14 days and has not ordered since. Klaviyo's segment conditions cannot compare one event's time with another's, so the app keeps the profile property \"Customer Agent Ordered Since Recommendation\", which makes this exact.",
    requiredMetrics: [METRICS.recommended],
    definition: (metrics) => ({
      condition_groups: [{ conditions: [metricAtLeastOnce(metrics.get(METRICS.recommended)!, 14)] }, { conditions: [notOrderedSinceRecommendation] }],
    }),
  },
  {
    key: "segment:recently-escalated",
    kind: "segment",
    name: "Customer Agent: escalated in the last 7 days",
    description: "Asked for a person, or met an escalation rule, in the last 7 days: exclude them from marketing sends.",
    requiredMetrics: [METRICS.escalated],
    definition: (metrics) => ({ condition_groups: [{ conditions: [metricAtLeastOnce(metrics.get(METRICS.escalated)!, 7)] }] }),
  },
  {
    key: "segment:resolved-then-ordered",
    kind: "segment",
    name: "Customer Agent: resolved and ordered (30 days)",
    description:
      "Had a conversation resolved by the agent and placed an order in the last 30 days (Shopify's Placed Order metric when your account has it, otherwise the app's \"Customer Agent Last Order At\" property).",
    requiredMetrics: [METRICS.resolved],
    definition: (metrics) => {
      const placedOrder = metrics.get(PLACED_ORDER_METRIC);
      return {
        condition_groups: [
          { conditions: [metricAtLeastOnce(metrics.get(METRICS.resolved)!, 30)] },
          {
            conditions: [
              placedOrder
                ? metricAtLeastOnce(placedOrder, 30)
                : { type: "profile-property", property: property(PROFILE_PROPERTIES.lastOrderAt), filter: { type: "date", operator: "in-the-last", unit: "day", quantity: 30 } },
            ],
          },
        ],
      };
    },
  },
  {
    key: "flow:recommendation-not-purchased",
    kind: "flow",
    name: "Customer Agent: recommendation not purchased",
    description:
      "A draft flow triggered by Recommendation Not Purchased: a one-hour delay, then a draft email with placeholder content. Shoppers who order meanwhile leave it (its filter re-checks \"Customer Agent Ordered Since Recommendation\" before each step). Edit the email and switch it live in Klaviyo.",
    requiredMetrics: [METRICS.not_purchased],
    definition: (metrics) => {
      const placedOrder = metrics.get(PLACED_ORDER_METRIC);
      return {
        triggers: [{ type: "metric", id: metrics.get(METRICS.not_purchased)! }],
        profile_filter: {
          condition_groups: [
            { conditions: [notOrderedSinceRecommendation] },
            ...(placedOrder
              ? [
                  {
                    conditions: [
                      {
                        type: "profile-metric",
                        metric_id: placedOrder,
                        measurement: "count",
                        measurement_filter: { type: "numeric", operator: "equals", value: 0 },
                        timeframe_filter: { type: "date", operator: "flow-start" },
                      },
                    ],
                  },
                ]
              : []),
          ],
        },
        actions: [
          { temporary_id: "wait", type: "time-delay", links: { next: "email" }, data: { unit: "hours", value: 1 } },
          {
            temporary_id: "email",
            type: "send-email",
            links: { next: null },
            data: {
              status: "draft",
              message: {
                name: "Still thinking it over?",
                subject_line: "Still thinking about {{ event.Products.0.title }}?",
                preview_text: "The products our assistant picked for you are waiting.",
                smart_sending_enabled: true,
              },
            },
          },
        ],
        entry_action_id: "wait",
      };
    },
  },
];
