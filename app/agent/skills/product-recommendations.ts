import { z } from "zod";
import type { LastSearch } from "../memory";
import type { Skill, SkillResultBase } from "./skill";
import type { ProductMatch } from "./tools";

export const MAX_CARDS = 4;

const args = z.object({
  query: z.string().trim().max(200).default("").describe("What the shopper is looking for, in the catalog's words (e.g. 'rain jacket')"),
  minPrice: z.number().positive().optional(),
  maxPrice: z.number().positive().optional(),
  options: z.array(z.string().max(40)).max(10).default([]).describe("Option values such as a colour or size ('Navy', 'M')"),
  cheaper: z.boolean().default(false).describe("The shopper wants something cheaper than what was just shown"),
  followUp: z.boolean().default(false).describe("Refines the previous recommendation instead of starting a new search"),
});
export type ProductRecommendationArgs = z.input<typeof args>;

export interface ProductRecommendationResult extends SkillResultBase {
  skill: "product-recommendations";
  products: ProductMatch[];
  search: LastSearch;
  refined: boolean;
}

/**
 * Recommends 1–4 products from the shop's catalog mirror. A follow-up ("cheaper", "in blue") starts from the
 * previous turn's search: same words and filters, cheaper than the cheapest shown, or with the new option.
 */
export const productRecommendations: Skill<z.input<typeof args>, ProductRecommendationResult> = {
  name: "product-recommendations",
  description:
    "Search the store's catalog and recommend up to 4 products that are active, published and in stock. " +
    "Use followUp with cheaper or options to refine the products shown in the previous turn.",
  args,
  async run(context, input) {
    const parsed = args.parse(input);
    const previous = parsed.followUp || parsed.cheaper ? context.memory.lastSearch : undefined;
    const text = parsed.query || previous?.text || "";
    const options = parsed.options.length > 0 ? parsed.options : (previous?.options ?? []);
    const minPrice = parsed.minPrice ?? previous?.minPrice;
    const maxPrice = parsed.maxPrice ?? previous?.maxPrice;
    const cheaperThan = parsed.cheaper ? previous?.lowestPrice : undefined;
    const search: LastSearch = {
      text,
      options,
      productIds: [],
      ...(minPrice !== undefined ? { minPrice } : {}),
      ...(maxPrice !== undefined ? { maxPrice } : {}),
    };
    if (!text && options.length === 0 && minPrice === undefined && maxPrice === undefined) {
      return { skill: "product-recommendations", status: "needs-info", products: [], search, refined: false, memory: {} };
    }
    // "Show me more" should not repeat what was shown; a new colour may show the same product in that colour.
    const exclude = previous && parsed.options.length === 0 && !parsed.cheaper ? previous.productIds : undefined;
    const products = (
      await context.tools.searchProducts(context.shopId, {
        text,
        ...(minPrice !== undefined ? { minPrice } : {}),
        ...(maxPrice !== undefined ? { maxPrice } : {}),
        ...(cheaperThan !== undefined ? { cheaperThan } : {}),
        ...(options.length > 0 ? { options } : {}),
        ...(exclude?.length ? { excludeProductIds: exclude } : {}),
        limit: MAX_CARDS,
      })
    ).slice(0, MAX_CARDS);
    if (products.length === 0) {
      return { skill: "product-recommendations", status: "no-match", products, search, refined: Boolean(previous), memory: {} };
    }
    const shown: LastSearch = {
      ...search,
      productIds: products.map((product) => product.productId),
      lowestPrice: Math.min(...products.map((product) => Number(product.price))),
    };
    return {
      skill: "product-recommendations",
      status: "answered",
      products,
      search: shown,
      refined: Boolean(previous),
      memory: { lastSearch: shown, activeSkill: "product-recommendations" },
    };
  },
};
