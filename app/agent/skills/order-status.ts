import { z } from "zod";
import type { Skill, SkillResultBase } from "./skill";
import type { OrderDetails } from "./tools";

/** After this many failed proofs in one conversation the skill stops looking orders up and offers a person. */
export const MAX_FAILED_PROOFS = 5;

const args = z.object({
  orderNumber: z.string().trim().regex(/^#?\d{1,12}$/, "an order number such as #1001").optional().describe("The order number, e.g. #1001"),
  email: z.string().trim().max(320).optional().describe("The email address the order was placed with"),
  phone: z.string().trim().max(32).optional().describe("The phone number the order was placed with"),
});
export type OrderStatusArgs = z.input<typeof args>;

export type OrderStatusResult = SkillResultBase & { skill: "order-status" } & (
    | { status: "answered"; order: OrderDetails }
    | { status: "needs-info"; missing: "order-number" | "contact" | "both" }
    /** Same result for an unknown order and a wrong email or phone: nothing tells the two apart. */
    | { status: "no-match"; attemptsLeft: number }
    | { status: "handoff"; reason: "too-many-attempts" }
  );

/**
 * Order status for a proven shopper only: the logged-in customer from the signed app proxy, or an order number
 * together with that order's email or phone. An identifier the shopper merely claims elsewhere proves nothing.
 */
export const orderStatus: Skill<OrderStatusArgs, OrderStatusResult> = {
  name: "order-status",
  description:
    "Look up an order's payment and fulfilment status, tracking and items. Needs the order number and the email " +
    "or phone the order was placed with, unless the shopper is logged in. Never guess either.",
  args,
  async run(context, input) {
    const parsed = args.parse(input);
    const memory = context.memory;
    if (memory.failedProofs >= MAX_FAILED_PROOFS) {
      return { skill: "order-status", status: "handoff", reason: "too-many-attempts", memory: {} };
    }
    const orderNumber = (parsed.orderNumber ?? memory.pendingOrderNumber)?.replace(/^#/, "");
    const contact = parsed.email || parsed.phone;
    if (context.loggedInCustomerId && !contact) {
      const lookup = await context.tools.lookupOrder(context.shopId, {
        shopifyCustomerId: context.loggedInCustomerId,
        ...(orderNumber ? { orderNumber } : {}),
      });
      if (lookup.found) {
        return { skill: "order-status", status: "answered", order: lookup.order, memory: { pendingOrderNumber: undefined, activeSkill: "order-status" } };
      }
      if (!orderNumber) return { skill: "order-status", status: "needs-info", missing: "order-number", memory: {} };
    }
    if (!orderNumber || !contact) {
      return {
        skill: "order-status",
        status: "needs-info",
        missing: !orderNumber && !contact ? "both" : !orderNumber ? "order-number" : "contact",
        memory: { ...(orderNumber ? { pendingOrderNumber: orderNumber } : {}), activeSkill: "order-status" },
      };
    }
    const lookup = await context.tools.lookupOrder(context.shopId, {
      orderNumber,
      ...(parsed.email ? { email: parsed.email } : {}),
      ...(parsed.phone ? { phone: parsed.phone } : {}),
    });
    if (lookup.found) {
      return { skill: "order-status", status: "answered", order: lookup.order, memory: { pendingOrderNumber: undefined, activeSkill: "order-status" } };
    }
    const failedProofs = memory.failedProofs + 1;
    if (failedProofs >= MAX_FAILED_PROOFS) {
      return { skill: "order-status", status: "handoff", reason: "too-many-attempts", memory: { failedProofs, pendingOrderNumber: undefined } };
    }
    return {
      skill: "order-status",
      status: "no-match",
      attemptsLeft: MAX_FAILED_PROOFS - failedProofs,
      memory: { failedProofs, pendingOrderNumber: undefined, activeSkill: "order-status" },
    };
  },
};
