import { db } from "../db.server";
import { AdminApiError } from "../shopify/admin-pages.server";
import { unauthenticated } from "../shopify.server";
import { policyPassages, policyPlainText } from "./policy-text";

const SHOP_POLICIES = `#graphql
  query ShopPolicies {
    shop { shopPolicies { id type title body url } }
  }`;

interface PolicyNode {
  id: string;
  type: string;
  title: string;
  body: string;
  url: string;
}

/** Shopify's ShopPolicyType, as the app stores it. */
export const POLICY_TYPES: Readonly<Record<string, string>> = {
  REFUND_POLICY: "refund",
  SHIPPING_POLICY: "shipping",
  PRIVACY_POLICY: "privacy",
  TERMS_OF_SERVICE: "terms-of-service",
  TERMS_OF_SALE: "terms-of-sale",
  CONTACT_INFORMATION: "contact",
  LEGAL_NOTICE: "legal-notice",
  SUBSCRIPTION_POLICY: "subscription",
};

function policyType(shopifyType: string): string {
  return POLICY_TYPES[shopifyType] ?? shopifyType.toLowerCase().replace(/_/g, "-");
}

/**
 * Reads the shop's policies from the Admin API (scope read_legal_policies) and replaces what the app keeps:
 * each policy as plain text and its passages for the agent to quote. A policy the merchant emptied or removed
 * is removed here too, so the agent never quotes a policy the store no longer has. Returns how many it kept.
 */
export async function syncPolicies(shopDomain: string): Promise<number> {
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const { admin } = await unauthenticated.admin(shopDomain);
  const response = await admin.graphql(SHOP_POLICIES);
  const body = (await response.json()) as { data?: { shop?: { shopPolicies?: PolicyNode[] } }; errors?: unknown };
  const policies = body.data?.shop?.shopPolicies;
  if (!policies) throw new AdminApiError(`Shopify refused the shopPolicies query: ${JSON.stringify(body.errors)}`);
  const written = policies.filter((policy) => policyPassages(policy.body).length > 0);
  const syncedAt = new Date();
  await db().$transaction(async (tx) => {
    await tx.shopPolicy.deleteMany({ where: { shopId: shop.id, type: { notIn: written.map((policy) => policyType(policy.type)) } } });
    for (const policy of written) {
      const type = policyType(policy.type);
      const data = { shopifyId: policy.id, title: policy.title, body: policyPlainText(policy.body), url: policy.url || null, syncedAt };
      const stored = await tx.shopPolicy.upsert({ where: { shopId_type: { shopId: shop.id, type } }, create: { shopId: shop.id, type, ...data }, update: data });
      await tx.shopPolicyPassage.deleteMany({ where: { policyId: stored.id } });
      await tx.shopPolicyPassage.createMany({
        data: policyPassages(policy.body).map((passage, index) => ({
          shopId: shop.id,
          policyId: stored.id,
          position: index + 1,
          heading: passage.heading,
          text: passage.text,
          policyTitle: policy.title,
        })),
      });
    }
  });
  return written.length;
}
