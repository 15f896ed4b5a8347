import { describe, expect, it } from "vitest";
import { parseProductQuery } from "./query";

describe("parseProductQuery", () => {
  it.each([
    ["hoodies under $50", { text: "hoodies", maxPrice: 50 }],
    ["a tent below 300 dollars", { text: "a tent", maxPrice: 300 }],
    ["une veste à moins de 50 €", { text: "une veste a", maxPrice: 50 }],
    ["mochila por menos de 49,90", { text: "mochila por", maxPrice: 49.9 }],
    ["Laufschuhe unter 150 Euro", { text: "laufschuhe", maxPrice: 150 }],
    ["jackets between $100 and $200", { text: "jackets", minPrice: 100, maxPrice: 200 }],
    ["une tente entre 200 et 300 €", { text: "une tente", minPrice: 200, maxPrice: 300 }],
    ["zwischen 20 und 40 Euro eine Kerze", { text: "eine kerze", minPrice: 20, maxPrice: 40 }],
    ["boots $150-$250", { text: "boots", minPrice: 150, maxPrice: 250 }],
    ["candles over 30", { text: "candles", minPrice: 30 }],
    ["a mug for $20", { text: "a mug", maxPrice: 20 }],
  ])("reads prices in %s", (text, expected) => {
    expect(parseProductQuery(text)).toMatchObject(expected);
  });

  it.each([
    ["navy hoodie size M", { text: "hoodie", options: ["M", "navy"] }],
    ["un sweat à capuche en bleu marine taille L", { text: "un sweat a capuche", options: ["L", "navy"] }],
    ["camiseta negra talla XL", { text: "camiseta", options: ["XL", "black"] }],
    ["Laufschuhe in Größe 10", { text: "laufschuhe", options: ["10"] }],
    ["a tee in medium", { text: "a tee", options: ["M"] }],
    ["black tee XXL", { text: "tee", options: ["XXL", "black"] }],
  ])("reads options in %s", (text, expected) => {
    expect(parseProductQuery(text)).toMatchObject(expected);
  });

  it("hears a wish for something cheaper without an amount", () => {
    expect(parseProductQuery("anything cheaper?")).toMatchObject({ wantsCheaper: true, text: "" });
    expect(parseProductQuery("quelque chose de moins cher", "fr")).toMatchObject({ wantsCheaper: true });
    expect(parseProductQuery("algo más barato", "es")).toMatchObject({ wantsCheaper: true });
    expect(parseProductQuery("etwas Günstigeres", "de")).toMatchObject({ wantsCheaper: true });
    expect(parseProductQuery("gibt es etwas günstiger", "de")).toMatchObject({ wantsCheaper: true });
    expect(parseProductQuery("a hoodie").wantsCheaper).toBe(false);
  });

  it("drops the asking and keeps what is asked for", () => {
    expect(parseProductQuery("Hi! Do you have a waterproof jacket?").text).toBe("hi a waterproof jacket");
    expect(parseProductQuery("Ich suche einen Rucksack").text).toBe("einen rucksack");
    expect(parseProductQuery("a small tent")).toMatchObject({ text: "a small tent" });
    expect(parseProductQuery("a small tent").options).toBeUndefined();
  });
});
