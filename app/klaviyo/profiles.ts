import type { KlaviyoProfileImport } from "./client.server";
import { knownProfileIdentifiers, type ShopperIdentity } from "./events";

/** Profile property names are a contract like metric names: merchants' segments and flow filters use them. */
export const PROFILE_PROPERTIES = {
  lastRecommendationAt: "Customer Agent Last Recommendation At",
  orderedSinceRecommendation: "Customer Agent Ordered Since Recommendation",
  lastOrderAt: "Customer Agent Last Order At",
  openEscalation: "Customer Agent Open Escalation",
} as const;

/** What changes a shopper's Customer Agent properties in Klaviyo. */
export type ProfileFact =
  | { kind: "recommended"; recommendationId: string; occurredAt: Date }
  | { kind: "ordered"; orderId: string; occurredAt: Date; sinceRecommendation: boolean }
  | { kind: "not_purchased"; recommendationId: string; occurredAt: Date }
  | { kind: "escalation_opened"; conversationId: string; occurredAt: Date }
  | { kind: "escalation_closed"; conversationId: string; occurredAt: Date };

export interface BuiltProfileUpdate {
  /** Updates with the same key change the same Klaviyo profile and go out in the order they happened. */
  profileKey: string;
  uniqueId: string;
  occurredAt: Date;
  attributes: KlaviyoProfileImport;
}

function properties(fact: ProfileFact): Record<string, unknown> {
  switch (fact.kind) {
    case "recommended":
      // A new recommendation starts a new "since": nothing has been ordered since this one yet.
      return { [PROFILE_PROPERTIES.lastRecommendationAt]: fact.occurredAt.toISOString(), [PROFILE_PROPERTIES.orderedSinceRecommendation]: false };
    case "ordered":
      return {
        [PROFILE_PROPERTIES.lastOrderAt]: fact.occurredAt.toISOString(),
        ...(fact.sinceRecommendation ? { [PROFILE_PROPERTIES.orderedSinceRecommendation]: true } : {}),
      };
    case "not_purchased":
      return { [PROFILE_PROPERTIES.orderedSinceRecommendation]: false };
    case "escalation_opened":
      return { [PROFILE_PROPERTIES.openEscalation]: true };
    case "escalation_closed":
      return { [PROFILE_PROPERTIES.openEscalation]: false };
  }
}

function uniqueIdOf(fact: ProfileFact): string {
  switch (fact.kind) {
    case "recommended":
    case "not_purchased":
      return `ca:profile:${fact.recommendationId}:${fact.kind}`;
    case "ordered":
      return `ca:profile:order:${fact.orderId}`;
    case "escalation_opened":
    case "escalation_closed":
      return `ca:profile:${fact.conversationId}:${fact.kind}:${fact.occurredAt.getTime()}`;
  }
}

/**
 * The profile-import attributes for a fact, or null when the shopper has no identifier profile-import accepts
 * (an anonymous shopper: anonymous_id is not accepted there), in which case there is no profile to update yet.
 */
export function buildProfileUpdate(shopper: ShopperIdentity, fact: ProfileFact): BuiltProfileUpdate | null {
  const identifiers = knownProfileIdentifiers(shopper);
  const [key, value] = Object.entries(identifiers)[0] ?? [];
  if (!key || !value) return null;
  return {
    profileKey: `${key}:${value}`,
    uniqueId: uniqueIdOf(fact),
    occurredAt: fact.occurredAt,
    attributes: { ...identifiers, properties: properties(fact) },
  };
}
