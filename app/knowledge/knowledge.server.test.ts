import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_FAQ } from "../../scripts/demo-faq";
import { DEMO_TEST_SHOPS } from "../../test/support/constants";
import { createDemoShop, createTestShop, type TestShop } from "../../test/support/shopify";
import { db } from "../db.server";
import { createFaqEntry, deleteFaqEntry, FaqEntryError, listFaqEntries, updateFaqEntry } from "./faq.server";
import { syncPolicies } from "./policies.server";
import { searchKnowledge } from "./search.server";

let shop: TestShop;

beforeAll(async () => {
  shop = await createDemoShop(DEMO_TEST_SHOPS.knowledge);
  await syncPolicies(shop.domain);
  for (const entry of DEMO_FAQ) await createFaqEntry(shop.id, entry);
});

describe("syncPolicies", () => {
  it("keeps the shop's policies as plain text with their storefront page, and a second sync replaces rather than adds", async () => {
    const policies = await db().shopPolicy.findMany({ where: { shopId: shop.id }, orderBy: { type: "asc" } });
    expect(policies.map((policy) => policy.type)).toEqual(["contact", "privacy", "refund", "shipping", "terms-of-service"]);
    const refund = policies.find((policy) => policy.type === "refund")!;
    expect(refund).toMatchObject({ title: "Refund policy", url: expect.stringMatching(/^http:\/\/localhost:\d+\/policies\/refund-policy$/) });
    expect(refund.body).toContain("you have 30 days after your order is delivered");
    expect(refund.body).not.toMatch(/<[a-z/]/);
    const passages = await db().shopPolicyPassage.count({ where: { shopId: shop.id } });

    expect(await syncPolicies(shop.domain)).toBe(5);
    expect(await db().shopPolicy.count({ where: { shopId: shop.id } })).toBe(5);
    expect(await db().shopPolicyPassage.count({ where: { shopId: shop.id } })).toBe(passages);
  });
});

describe("searchKnowledge", () => {
  it("quotes the passage that answers the question and links the policy page", async () => {
    const [match] = await searchKnowledge(shop.id, "How long does a refund take?");
    expect(match).toMatchObject({ source: "policy", title: "Refund policy", policyType: "refund", url: expect.stringMatching(/\/policies\/refund-policy$/) });
    expect(match!.passage).toContain("refunded to your original payment method within 10 business days");
  });

  it("answers from the FAQ the merchant wrote", async () => {
    const matches = await searchKnowledge(shop.id, "do you do gift wrapping?");
    expect(matches[0]).toMatchObject({ source: "faq", title: "FAQ", url: null, passage: expect.stringContaining("gift wrapping with a handwritten note") });
  });

  it("reads through typos and questions in French, Spanish and German", async () => {
    expect((await searchKnowledge(shop.id, "how much is shiping to canda"))[0]!.passage).toMatch(/Canada/);
    expect((await searchKnowledge(shop.id, "Quels sont les frais de livraison ?"))[0]!.passage).toMatch(/shipping/i);
    expect((await searchKnowledge(shop.id, "¿Cuánto tarda el reembolso?"))[0]).toMatchObject({ policyType: "refund" });
    expect((await searchKnowledge(shop.id, "Wie schützen Sie meine Daten? Datenschutz"))[0]).toMatchObject({ policyType: "privacy" });
  });

  it("finds nothing for a question the store's knowledge does not cover, nor in another shop's knowledge", async () => {
    expect(await searchKnowledge(shop.id, "quantum entanglement")).toEqual([]);
    const other = await createTestShop();
    expect(await searchKnowledge(other.id, "How long does a refund take?")).toEqual([]);
  });

  it("leaves out disabled FAQ entries", async () => {
    const entry = await createFaqEntry(shop.id, { question: "Do you have a loyalty programme?", answer: "Yes, Trail Points: 1 point per dollar." });
    expect((await searchKnowledge(shop.id, "loyalty programme"))[0]).toMatchObject({ id: entry.id });
    await updateFaqEntry(shop.id, entry.id, { enabled: false });
    expect(await searchKnowledge(shop.id, "loyalty programme")).toEqual([]);
    await deleteFaqEntry(shop.id, entry.id);
  });
});

describe("FAQ entries", () => {
  it("adds at the end, edits and deletes, only within the merchant's own shop", async () => {
    const own = await createTestShop();
    const first = await createFaqEntry(own.id, { question: "Do you restock sold-out sizes?", answer: "Most sizes come back within 4 weeks." });
    const second = await createFaqEntry(own.id, { question: "  Can I order by phone?  ", answer: "Yes, call us on weekdays." });
    expect([first.position, second.position]).toEqual([1, 2]);
    expect(second.question).toBe("Can I order by phone?");

    await updateFaqEntry(own.id, first.id, { answer: "Most sizes come back within 3 weeks.", position: 3 });
    expect((await listFaqEntries(own.id)).map((entry) => entry.answer)).toEqual(["Yes, call us on weekdays.", "Most sizes come back within 3 weeks."]);

    await expect(updateFaqEntry(shop.id, first.id, { answer: "hijacked" })).rejects.toThrow(FaqEntryError);
    await expect(deleteFaqEntry(shop.id, first.id)).rejects.toThrow("no longer exists");
    await deleteFaqEntry(own.id, first.id);
    expect(await listFaqEntries(own.id)).toHaveLength(1);
  });

  it("refuses an empty answer or a missing question with a clear message, and stores nothing", async () => {
    const own = await createTestShop();
    await expect(createFaqEntry(own.id, { question: "Hi", answer: "" })).rejects.toThrow("Write the question as shoppers ask it. Write the answer the agent should quote.");
    const entry = await createFaqEntry(own.id, { question: "Do you ship on Saturdays?", answer: "No, Monday to Friday." });
    await expect(updateFaqEntry(own.id, entry.id, { answer: "   " })).rejects.toThrow("Write the answer the agent should quote.");
    expect(await listFaqEntries(own.id)).toEqual([entry]);
  });
});
