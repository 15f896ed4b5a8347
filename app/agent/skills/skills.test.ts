import { describe, expect, it } from "vitest";
import { readMemory, type AgentMemory } from "../memory";
import { handoff } from "./handoff";
import { MAX_FAILED_PROOFS, orderStatus } from "./order-status";
import { productRecommendations } from "./product-recommendations";
import { SKILLS } from "./registry";
import type { SkillContext } from "./skill";
import { storeKnowledge } from "./store-knowledge";
import { fakeTools, ORDER, product } from "./test-tools";
import type { AgentTools } from "./tools";

const CATALOG = [
  product({ title: "Alpine Rain Shell", price: "189.00", tags: ["Black", "Slate Blue"] }),
  product({ title: "Coastal Rain Shell", price: "149.00", tags: ["Black"] }),
  product({ title: "Harbor Rain Shell", price: "129.00", tags: ["Ochre"] }),
  product({ title: "Summit Puffer Jacket", price: "249.00", tags: ["Slate Blue"] }),
  product({ title: "Drift Rain Shell", price: "99.00", tags: ["Slate Blue"] }),
];

function context(tools: AgentTools, memory: Partial<AgentMemory> = {}, loggedInCustomerId: string | null = null): SkillContext {
  return { shopId: "shop", language: "en", memory: { ...readMemory({}), ...memory }, loggedInCustomerId, tools };
}

describe("skills registry", () => {
  it("registers the four skills under their own names, each with a description and typed arguments", () => {
    expect(Object.keys(SKILLS).sort()).toEqual(["handoff", "order-status", "product-recommendations", "store-knowledge"]);
    for (const [name, skill] of Object.entries(SKILLS)) {
      expect(skill.name).toBe(name);
      expect(skill.description.length).toBeGreaterThan(20);
    }
  });
});

describe("product recommendations", () => {
  it("recommends at most four matching products and remembers them for a follow-up", async () => {
    const { tools } = fakeTools(CATALOG);
    const result = await productRecommendations.run(context(tools), { query: "rain shell" });
    expect(result.status).toBe("answered");
    expect(result.products.map((item) => item.title)).toHaveLength(4);
    expect(result.memory.lastSearch).toMatchObject({ text: "rain shell", lowestPrice: 99 });
  });

  it("refines 'cheaper' from the previous turn: same words, below the cheapest shown", async () => {
    const { tools, productQueries } = fakeTools(CATALOG);
    const first = await productRecommendations.run(context(tools), { query: "rain shell", maxPrice: 200, minPrice: 120 });
    expect(first.products.map((item) => item.title)).toEqual(["Alpine Rain Shell", "Coastal Rain Shell", "Harbor Rain Shell"]);
    const cheaper = await productRecommendations.run(context(tools, { lastSearch: first.search }), { cheaper: true, followUp: true });
    expect(productQueries.at(-1)).toMatchObject({ text: "rain shell", cheaperThan: 129 });
    expect(cheaper.refined).toBe(true);
  });

  it("refines 'in blue' with the new option and keeps the previous words", async () => {
    const { tools, productQueries } = fakeTools(CATALOG);
    const first = await productRecommendations.run(context(tools), { query: "rain shell" });
    const blue = await productRecommendations.run(context(tools, { lastSearch: first.search }), { followUp: true, options: ["Slate Blue"] });
    expect(productQueries.at(-1)).toMatchObject({ text: "rain shell", options: ["Slate Blue"] });
    expect(blue.products.map((item) => item.title)).toEqual(["Alpine Rain Shell", "Drift Rain Shell"]);
  });

  it("asks what the shopper wants when there is nothing to search for, and reports no match honestly", async () => {
    const { tools } = fakeTools(CATALOG);
    expect((await productRecommendations.run(context(tools), { query: "" })).status).toBe("needs-info");
    const none = await productRecommendations.run(context(tools), { query: "kayak" });
    expect(none.status).toBe("no-match");
    expect(none.memory).toEqual({});
  });
});

describe("order status", () => {
  it("shows the order to a shopper who gives the order number and its email", async () => {
    const { tools } = fakeTools();
    const result = await orderStatus.run(context(tools), { orderNumber: "#1001", email: "Ada@Example.com" });
    expect(result).toMatchObject({ status: "answered", order: ORDER });
  });

  it("shows the logged-in customer's order without asking for an email", async () => {
    const { tools, orderProofs } = fakeTools();
    const result = await orderStatus.run(context(tools, {}, "7001"), {});
    expect(result.status).toBe("answered");
    expect(orderProofs).toEqual([{ shopifyCustomerId: "7001" }]);
  });

  it("asks for the missing half of the proof and remembers the order number given", async () => {
    const { tools, orderProofs } = fakeTools();
    const result = await orderStatus.run(context(tools), { orderNumber: "1001" });
    expect(result).toMatchObject({ status: "needs-info", missing: "contact", memory: { pendingOrderNumber: "1001" } });
    const next = await orderStatus.run(context(tools, { pendingOrderNumber: "1001" }), { email: "ada@example.com" });
    expect(next.status).toBe("answered");
    expect(orderProofs).toEqual([{ orderNumber: "1001", email: "ada@example.com" }]);
  });

  it("answers a wrong email and an unknown order number the same way, revealing nothing", async () => {
    const { tools } = fakeTools();
    const wrongEmail = await orderStatus.run(context(tools), { orderNumber: "1001", email: "eve@example.com" });
    const unknownOrder = await orderStatus.run(context(tools), { orderNumber: "9999", email: "ada@example.com" });
    expect(wrongEmail).toEqual(unknownOrder);
    expect(JSON.stringify(wrongEmail)).not.toMatch(/1Z999|Rain Shell|214/);
  });

  it("stops looking orders up after five failed proofs and offers a person", async () => {
    const { tools, orderProofs } = fakeTools();
    let memory: Partial<AgentMemory> = {};
    const statuses: string[] = [];
    for (let attempt = 0; attempt < MAX_FAILED_PROOFS + 1; attempt++) {
      const result = await orderStatus.run(context(tools, memory), { orderNumber: "1001", email: `guess${attempt}@example.com` });
      statuses.push(result.status);
      memory = { ...memory, ...result.memory };
    }
    expect(statuses).toEqual(["no-match", "no-match", "no-match", "no-match", "handoff", "handoff"]);
    expect(orderProofs).toHaveLength(MAX_FAILED_PROOFS);
    const right = await orderStatus.run(context(tools, memory), { orderNumber: "1001", email: "ada@example.com" });
    expect(right.status).toBe("handoff");
  });
});

describe("store knowledge", () => {
  it("returns the matching passage with its page, or no match", async () => {
    const policy = { source: "policy" as const, id: "r", title: "Refund policy", passage: "You can return unworn items within 30 days.", url: "https://demo.example/policies/refund-policy", policyType: "REFUND_POLICY" };
    const { tools } = fakeTools([], [policy]);
    expect(await storeKnowledge.run(context(tools), { question: "can I return my shoes?" })).toMatchObject({ status: "answered", passages: [policy] });
    expect((await storeKnowledge.run(context(tools), { question: "do you sell gift cards" })).status).toBe("no-match");
  });
});

describe("handoff", () => {
  it("hands off", async () => {
    expect((await handoff.run(context(fakeTools().tools), {})).status).toBe("handoff");
  });
});
