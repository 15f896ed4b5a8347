import { foldText } from "./text";

/** What the agent asks the catalog for. */
export interface ProductQuery {
  text: string;
  minPrice?: number;
  maxPrice?: number;
  /** Strictly below this price ("something less expensive" than what was shown). */
  cheaperThan?: number;
  /** Option values every recommended variant must have, e.g. "M", "navy"; a colour also finds its shades. */
  options?: string[];
  excludeProductIds?: string[];
  /** 1 to 12; default 4. */
  limit?: number;
}

export interface ParsedProductQuery extends ProductQuery {
  /** "Something cheaper" with no amount: the caller sets cheaperThan from what it showed last. */
  wantsCheaper: boolean;
}

const AMOUNT = String.raw`(?:[$€£]\s?)?(\d+(?:[.,]\d{1,2})?)\s?(?:[$€£]|usd|eur|gbp|cad|aud|dollars?|euros?|bucks|dolares|pounds?)?`;

const RANGE_WORDS = String.raw`between|entre|zwischen|from|de|desde|von`;
const RANGE_JOINERS = String.raw`and|to|et|a|y|hasta|und|bis|-|–`;
const CEILING_WORDS = [
  "under", "below", "less than", "cheaper than", "lower than", "no more than", "not more than", "at most", "maximum", "max", "up to", "within", "budget of", "budget",
  "moins de", "moins que", "en dessous de", "au dessous de", "sous", "pas plus de", "au maximum", "jusqu a", "inferieur a", "moins cher que",
  "menos de", "menos que", "por debajo de", "debajo de", "hasta", "como maximo", "maximo", "no mas de", "inferior a", "mas barato que",
  "unter", "weniger als", "bis zu", "bis", "hochstens", "maximal", "nicht mehr als", "gunstiger als", "billiger als", "unterhalb von",
];
const FLOOR_WORDS = [
  "over", "above", "more than", "at least", "minimum", "min", "starting at",
  "plus de", "au moins", "a partir de", "superieur a", "minimum",
  "mas de", "al menos", "desde", "minimo", "superior a",
  "uber", "mehr als", "mindestens", "ab",
];
const AROUND_WORDS = ["around", "about", "approximately", "roughly", "environ", "autour de", "alrededor de", "unos", "etwa", "ungefahr", "um die", "circa"];
const CHEAPER_PHRASES = [
  "cheaper", "less expensive", "more affordable", "lower price", "something cheaper", "budget option",
  "moins cher", "moins chere", "moins chers", "plus abordable", "pas cher",
  "mas barato", "mas barata", "mas economico", "mas economica",
  "gunstiger", "gunstigere", "gunstigeres", "billiger", "billigere", "billigeres", "preiswerter", "preiswerteres",
];

/** Size words after "size", "taille", "talla" or "Größe", and standalone letter sizes. */
const SIZE_KEYWORDS = String.raw`size|sz|taille|talla|tamano|grosse|groesse|gr\.?`;
const LETTER_SIZES = ["xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl"];
const SIZE_WORDS: Record<string, string> = {
  "extra small": "xs", "extra large": "xl", "x large": "xl", small: "s", medium: "m", large: "l",
  petit: "s", petite: "s", moyen: "m", moyenne: "m", grand: "l", grande: "l",
  pequeno: "s", pequena: "s", mediano: "m", mediana: "m",
  klein: "s", mittel: "m", gross: "l",
};

/** Colour words in the four languages, folded, to the English colour catalogs use. */
const COLOURS: Record<string, string> = {
  "navy blue": "navy", "bleu marine": "navy", marine: "navy", "azul marino": "navy", marino: "navy", marineblau: "navy", dunkelblau: "navy", navy: "navy",
  black: "black", noir: "black", noire: "black", noirs: "black", negro: "black", negra: "black", schwarz: "black", schwarze: "black", schwarzen: "black",
  white: "white", blanc: "white", blanche: "white", blanco: "white", blanca: "white", weiss: "white", weisse: "white", weissen: "white",
  grey: "grey", gray: "grey", gris: "grey", grise: "grey", grau: "grey", graue: "grey", grauen: "grey",
  blue: "blue", bleu: "blue", bleue: "blue", azul: "blue", blau: "blue", blaue: "blue", blauen: "blue",
  green: "green", vert: "green", verte: "green", verde: "green", grun: "green", grune: "green", grunen: "green",
  brown: "brown", marron: "brown", brun: "brown", braun: "brown", braune: "brown",
  red: "red", rouge: "red", rojo: "red", roja: "red", rot: "red", rote: "red",
  beige: "beige",
  olive: "olive", oliv: "olive",
  charcoal: "charcoal", anthracite: "charcoal", anthrazit: "charcoal",
  yellow: "yellow", jaune: "yellow", amarillo: "yellow", amarilla: "yellow", gelb: "yellow", gelbe: "yellow",
  orange: "orange", naranja: "orange",
};

/** Phrases that ask rather than describe: dropped so they do not dilute the ranking. */
const REQUEST_PHRASES = [
  "i m looking for", "i am looking for", "im looking for", "looking for", "do you have", "do you sell", "have you got", "can you recommend", "could you recommend", "recommend me", "show me", "i want", "i need", "i would like", "i d like", "something", "anything", "any", "please", "some",
  "je cherche", "je recherche", "avez vous", "vous avez", "auriez vous", "je voudrais", "je veux", "j aimerais", "montrez moi", "quelque chose", "s il vous plait", "svp",
  "estoy buscando", "busco", "tienen", "tienes", "quiero", "necesito", "me gustaria", "algo", "por favor", "muestrame",
  "ich suche", "suche", "habt ihr", "haben sie", "hast du", "ich mochte", "ich brauche", "ich will", "etwas", "bitte", "zeig mir", "zeigen sie mir",
];

function alternation(phrases: readonly string[]): string {
  return [...phrases].sort((a, b) => b.length - a.length).map((phrase) => phrase.replace(/ /g, String.raw`\s+`)).join("|");
}

function amount(text: string): number {
  return Number(text.replace(",", "."));
}

/**
 * Reads a shopper's message for price limits ("under $50", "moins de 50 €", "menos de 50", "unter 50 Euro",
 * "between 50 and 100") and option words ("size M", "taille 42", "in navy", "en bleu marine"), and returns what
 * is left as the text to search. Every language is read whatever the locale, since shoppers mix them; the
 * locale only breaks ties (a decimal comma is read as a decimal point in all four).
 */
export function parseProductQuery(text: string, _locale?: string): ParsedProductQuery {
  // Apostrophes and hyphens between words become spaces so "jusqu'à" and "t-shirt" read as words.
  let rest = ` ${foldText(text).replace(/['’]/g, " ").replace(/(\p{L})-(\p{L})/gu, "$1 $2").replace(/\s+/g, " ")} `;
  const result: ParsedProductQuery = { text: "", wantsCheaper: false };
  const options: string[] = [];
  const take = (pattern: RegExp, handle: (match: RegExpExecArray) => void) => {
    rest = rest.replace(pattern, (...args) => {
      handle(args as unknown as RegExpExecArray);
      return " ";
    });
  };

  take(new RegExp(String.raw`\s(?:${RANGE_WORDS})\s+${AMOUNT}\s*(?:${RANGE_JOINERS})\s*${AMOUNT}(?=[\s?!.,;]|$)`, "giu"), (match) => {
    const [low, high] = [amount(match[1]!), amount(match[2]!)].sort((a, b) => a - b);
    result.minPrice = low;
    result.maxPrice = high;
  });
  take(new RegExp(String.raw`\s(?:[$€£]\s?(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s?(?:[$€£]|usd|eur|dollars?|euros?))\s*(?:-|–|to|a|y|bis)\s*${AMOUNT}(?=[\s?!.,;]|$)`, "giu"), (match) => {
    const [low, high] = [amount(match[1] ?? match[2]!), amount(match[3]!)].sort((a, b) => a - b);
    result.minPrice = low;
    result.maxPrice = high;
  });
  take(new RegExp(String.raw`\s(?:${alternation(AROUND_WORDS)})\s+${AMOUNT}(?=[\s?!.,;]|$)`, "giu"), (match) => {
    const value = amount(match[1]!);
    result.minPrice = Math.floor(value * 0.8);
    result.maxPrice = Math.ceil(value * 1.2);
  });
  take(new RegExp(String.raw`\s(?:${alternation(CEILING_WORDS)}|<=?)\s*${AMOUNT}(?=[\s?!.,;]|$)`, "giu"), (match) => {
    result.maxPrice = amount(match[1]!);
  });
  take(new RegExp(String.raw`\s(?:${alternation(FLOOR_WORDS)}|>=?)\s*${AMOUNT}(?=[\s?!.,;]|$)`, "giu"), (match) => {
    result.minPrice = amount(match[1]!);
  });
  // A bare amount with a currency ("a $40 mug", "pour 30 €") is a budget.
  take(/\s(?:for\s+|pour\s+|por\s+|fur\s+)?(?:[$€£]\s?(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s?(?:[$€£]|usd|eur|dollars?|euros?|bucks))(?=[\s?!.,;]|$)/giu, (match) => {
    result.maxPrice ??= amount(match[1] ?? match[2]!);
  });
  take(new RegExp(String.raw`\s(?:${alternation(CHEAPER_PHRASES)})(?=[\s?!.,;]|$)`, "giu"), () => {
    result.wantsCheaper = true;
  });

  const sizeWords = alternation(Object.keys(SIZE_WORDS));
  take(new RegExp(String.raw`\s(?:in\s+|en\s+|in\s+der\s+|de\s+)?(?:${SIZE_KEYWORDS})\s*:?\s*(${LETTER_SIZES.join("|")}|${sizeWords}|\d{1,2}(?:[.,]5)?)(?=[\s?!.,;]|$)`, "giu"), (match) => {
    const size = match[1]!.replace(/\s+/g, " ");
    options.push((SIZE_WORDS[size] ?? size.replace(",", ".")).toUpperCase());
  });
  take(/\s(xxs|xs|xl|xxl|xxxl|extra small|extra large|x large)(?=[\s?!.,;]|$)/giu, (match) => {
    options.push((SIZE_WORDS[match[1]!.replace(/\s+/g, " ")] ?? match[1]!).toUpperCase());
  });
  // "in medium", not "a small tent" (there, small is about capacity).
  take(/\s(?:in\s+(?:a\s+)?)(small|medium|large)(?=[\s?!.,;]|$)/giu, (match) => {
    options.push(SIZE_WORDS[match[1]!]!.toUpperCase());
  });
  take(new RegExp(String.raw`\s(?:in\s+|en\s+|de\s+color\s+|en\s+color\s+|de\s+couleur\s+|couleur\s+|color\s+|colour\s+|farbe\s+|in\s+der\s+farbe\s+)?(${alternation(Object.keys(COLOURS))})(?=[\s?!.,;]|$)`, "giu"), (match) => {
    options.push(COLOURS[match[1]!.replace(/\s+/g, " ")]!);
  });
  take(new RegExp(String.raw`\s(?:${alternation(REQUEST_PHRASES)})(?=[\s?!.,;]|$)`, "giu"), () => {});

  if (options.length) result.options = [...new Set(options)];
  result.text = rest.replace(/[?!.,;:]+/g, " ").replace(/\s+/g, " ").trim();
  return result;
}
