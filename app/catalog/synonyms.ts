import { db } from "../db.server";
import { foldedWords } from "./text";

/**
 * What shoppers say (in English, French, Spanish and German) mapped to how catalogs name it. A search for a key
 * also looks for its synonyms; the shopper's own words are always searched too. Keys are folded phrases
 * (lower case, no accents). Merchants add their own per shop (SearchSynonym), on top of these.
 */
export const DEFAULT_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  // Shoes
  trainers: ["running shoes", "trainer"],
  sneakers: ["running shoes", "trainer"],
  sneaker: ["running shoes", "trainer"],
  runners: ["running shoes", "runner"],
  "running shoe": ["running shoes"],
  "chaussures de course": ["running shoes"],
  "chaussures de running": ["running shoes"],
  baskets: ["running shoes", "trainer"],
  zapatillas: ["running shoes", "trainer"],
  "zapatillas de correr": ["running shoes"],
  "zapatillas de running": ["running shoes"],
  laufschuhe: ["running shoes"],
  turnschuhe: ["running shoes", "trainer"],
  chaussures: ["shoes", "running shoes", "hiking boots"],
  zapatos: ["shoes", "running shoes", "hiking boots"],
  schuhe: ["shoes", "running shoes", "hiking boots"],
  boots: ["hiking boots", "boot"],
  "hiking shoes": ["hiking boots", "hiker", "approach shoe"],
  "chaussures de randonnee": ["hiking boots", "hiker"],
  bottes: ["hiking boots", "boot"],
  botas: ["hiking boots", "boot"],
  "botas de montana": ["hiking boots"],
  wanderschuhe: ["hiking boots", "hiker"],
  wanderstiefel: ["hiking boots"],
  stiefel: ["hiking boots", "boot"],
  // Bags
  rucksack: ["backpack", "pack"],
  knapsack: ["backpack", "pack"],
  bag: ["backpack", "pack"],
  bookbag: ["backpack", "pack"],
  "sac a dos": ["backpack", "pack"],
  sac: ["backpack", "pack"],
  mochila: ["backpack", "pack"],
  tasche: ["backpack", "pack"],
  // Tops and layers
  fleece: ["hoodie", "fleece pullover"],
  sweatshirt: ["hoodie", "fleece pullover"],
  jumper: ["hoodie", "pullover"],
  sweater: ["hoodie", "pullover"],
  "sweat a capuche": ["hoodie"],
  sweat: ["hoodie", "pullover"],
  polaire: ["fleece", "hoodie"],
  sudadera: ["hoodie", "pullover"],
  "sudadera con capucha": ["hoodie"],
  kapuzenpullover: ["hoodie"],
  kapuzenpulli: ["hoodie"],
  pulli: ["hoodie", "pullover"],
  pullover: ["hoodie"],
  "t shirt": ["tee"],
  tshirt: ["tee"],
  "tee shirt": ["tee"],
  shirt: ["tee"],
  camiseta: ["tee"],
  playera: ["tee"],
  coat: ["jacket", "parka", "rain shell"],
  raincoat: ["rain shell", "jacket"],
  "rain jacket": ["rain shell"],
  anorak: ["jacket", "rain shell"],
  windbreaker: ["wind jacket"],
  veste: ["jacket"],
  blouson: ["jacket"],
  manteau: ["jacket", "parka"],
  "veste de pluie": ["rain shell"],
  "doudoune": ["puffer jacket"],
  chaqueta: ["jacket"],
  chamarra: ["jacket"],
  abrigo: ["jacket", "parka"],
  chubasquero: ["rain shell"],
  jacke: ["jacket"],
  regenjacke: ["rain shell"],
  daunenjacke: ["puffer jacket"],
  mantel: ["jacket", "parka"],
  chaussettes: ["socks"],
  calcetines: ["socks"],
  socken: ["socks"],
  // Camping and drinkware
  tente: ["tent"],
  "tienda de campana": ["tent"],
  "casa de campana": ["tent"],
  zelt: ["tent"],
  shelter: ["tent"],
  flask: ["water bottle", "bottle"],
  "water bottle": ["bottle"],
  gourde: ["water bottle", "bottle"],
  bouteille: ["water bottle", "bottle"],
  botella: ["water bottle", "bottle"],
  cantimplora: ["water bottle", "bottle"],
  flasche: ["water bottle", "bottle"],
  trinkflasche: ["water bottle", "bottle"],
  thermos: ["insulated bottle", "tumbler"],
  cup: ["mug", "cup"],
  tasse: ["mug", "cup"],
  taza: ["mug", "cup"],
  becher: ["mug", "tumbler"],
  // Home and care
  bougie: ["candle"],
  vela: ["candle"],
  kerze: ["candle"],
  cream: ["moisturizer"],
  "face cream": ["moisturizer"],
  moisturiser: ["moisturizer"],
  lotion: ["moisturizer"],
  creme: ["moisturizer"],
  crema: ["moisturizer"],
  feuchtigkeitscreme: ["moisturizer"],
  "sun cream": ["sunscreen"],
  sunblock: ["sunscreen"],
  "creme solaire": ["sunscreen"],
  "protector solar": ["sunscreen"],
  sonnencreme: ["sunscreen"],
  "baume a levres": ["lip balm"],
  "balsamo labial": ["lip balm"],
  lippenbalsam: ["lip balm"],
  // Qualities
  impermeable: ["waterproof"],
  wasserdicht: ["waterproof"],
  cadeau: ["gift"],
  regalo: ["gift"],
  geschenk: ["gift"],
  present: ["gift"],
};

/**
 * Colours a shopper names broadly, and the catalog colours they cover: "green" also finds Forest, Sage and Olive.
 * Used by the option filter only (a colour is an option value, not a word to rank on).
 */
export const OPTION_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  black: ["black"],
  white: ["white", "speckled white", "off white", "ivory"],
  grey: ["grey", "gray", "charcoal", "heather grey", "slate", "stone"],
  gray: ["grey", "gray", "charcoal", "heather grey", "slate", "stone"],
  blue: ["blue", "navy", "slate blue", "lagoon", "midnight"],
  navy: ["navy", "navy blue", "midnight"],
  green: ["green", "forest", "sage", "olive"],
  brown: ["brown", "clay", "rust", "oatmeal"],
  beige: ["beige", "oatmeal", "stone", "sand"],
  red: ["red", "rust"],
  orange: ["orange", "rust", "ochre"],
  yellow: ["yellow", "ochre"],
};

export interface SynonymTable {
  /** Folded phrase to folded alternatives. */
  entries: ReadonlyMap<string, readonly string[]>;
  /** Longest key in words, so phrase lookup knows how far to look ahead. */
  longestKey: number;
}

export function synonymTable(merchant: ReadonlyArray<{ term: string; synonyms: string[] }> = []): SynonymTable {
  const entries = new Map<string, string[]>(Object.entries(DEFAULT_SYNONYMS).map(([key, values]) => [key, [...values]]));
  for (const { term, synonyms } of merchant) {
    const key = foldedWords(term).join(" ");
    if (!key) continue;
    const alternatives = synonyms.map((synonym) => foldedWords(synonym).join(" ")).filter(Boolean);
    entries.set(key, [...new Set([...(entries.get(key) ?? []), ...alternatives])]);
  }
  const longestKey = Math.max(1, ...[...entries.keys()].map((key) => key.split(" ").length));
  return { entries, longestKey };
}

/**
 * Groups the query's words into concepts, each with the alternatives that satisfy it: the longest synonym key
 * starting at each word wins ("sac a dos" before "sac"), and a word without a synonym stands alone.
 */
export function expandSynonyms(words: readonly string[], table: SynonymTable): string[][] {
  const groups: string[][] = [];
  for (let start = 0; start < words.length; ) {
    let matched = false;
    for (let length = Math.min(table.longestKey, words.length - start); length >= 1; length--) {
      const phrase = words.slice(start, start + length).join(" ");
      const alternatives = table.entries.get(phrase);
      if (alternatives) {
        groups.push([phrase, ...alternatives.filter((alternative) => alternative !== phrase)]);
        start += length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      groups.push([words[start]!]);
      start++;
    }
  }
  return groups;
}

export async function listSearchSynonyms(shopId: string) {
  return db().searchSynonym.findMany({ where: { shopId }, orderBy: { term: "asc" } });
}

export class SynonymInputError extends Error {
  override name = "SynonymInputError";
}

/** Adds or replaces the merchant's synonyms for a term (e.g. "pullover" → "hoodie", "sweatshirt"). */
export async function saveSearchSynonym(shopId: string, term: string, synonyms: string[]) {
  const key = foldedWords(term).join(" ");
  const alternatives = [...new Set(synonyms.map((synonym) => synonym.trim()).filter(Boolean))];
  if (!key) throw new SynonymInputError("A synonym needs a word or phrase to expand.");
  if (alternatives.length === 0) throw new SynonymInputError(`Give at least one synonym for "${term}".`);
  return db().searchSynonym.upsert({
    where: { shopId_term: { shopId, term: key } },
    create: { shopId, term: key, synonyms: alternatives },
    update: { synonyms: alternatives },
  });
}

export async function deleteSearchSynonym(shopId: string, id: string): Promise<boolean> {
  const { count } = await db().searchSynonym.deleteMany({ where: { shopId, id } });
  return count > 0;
}
