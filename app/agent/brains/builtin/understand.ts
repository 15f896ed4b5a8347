import { containerBootstrap } from "@nlpjs/core";
import { LangDe } from "@nlpjs/lang-de";
import { LangEn } from "@nlpjs/lang-en";
import { LangEs } from "@nlpjs/lang-es";
import { LangFr } from "@nlpjs/lang-fr";
import { Nlp } from "@nlpjs/nlp";
import { ESCALATION_INTENTS, INTENTS, LANGUAGES, type Intent, type Language, type PriceFilter, type Understanding } from "../../types";
import { parseProductQuery, type ParsedProductQuery } from "../../../catalog/query";
import { foldText } from "../../../catalog/text";
import { TRAINING_CORPUS } from "./corpus";
import {
  CHEAPER_WORDS,
  CLOTHING_SIZES,
  COLOR_WORDS,
  ESCALATION_SIGNALS,
  FILLER_WORDS,
  LANGUAGE_MARKERS,
  ORDER_WORDS,
  PRODUCT_TERMS,
  SIZE_WORDS,
  THANKS_MARKERS,
} from "./lexicon";

/** Below this the classifier is guessing: the brain treats the message as unknown (or as a product search). */
export const MIN_CONFIDENCE = 0.55;
/**
 * An escalation intent hands the conversation to a person, so the classifier alone must be this sure of it; below,
 * one of the intent's signal words must be in the message ("any candels?" is not a cancellation).
 */
const ESCALATION_CONFIDENCE = 0.8;
/** A second intent this strong is reported too, so rules on it fire. */
const SECONDARY_CONFIDENCE = 0.25;

let trained: Promise<Nlp> | undefined;

/**
 * The nlp.js pipeline (per-language normaliser, tokenizer, stemmer, a small neural intent classifier and the
 * sentiment lexicons), trained once per process from TRAINING_CORPUS; training takes tens of milliseconds.
 */
function classifier(): Promise<Nlp> {
  trained ??= (async () => {
    const container = await containerBootstrap();
    for (const language of [LangEn, LangFr, LangEs, LangDe]) container.use(language);
    const nlp = new Nlp({ container, languages: [...LANGUAGES], autoSave: false, log: false, nlu: { log: false, spellCheck: true }, forceNER: false });
    for (const language of LANGUAGES) nlp.addLanguage(language);
    for (const language of LANGUAGES) {
      for (const [intent, utterances] of Object.entries(TRAINING_CORPUS[language])) {
        for (const utterance of utterances ?? []) nlp.addDocument(language, utterance, intent);
      }
    }
    await nlp.train();
    return nlp;
  })();
  return trained;
}

/** The catalog's fold (lower case, accents removed) with apostrophes kept: the form every lexicon entry is written in. */
export function fold(text: string): string {
  return foldText(text).replace(/[’`]/g, "'");
}

function words(folded: string): string[] {
  return folded.match(/[a-z0-9][a-z0-9'-]*/g) ?? [];
}

function includesPhrase(folded: string, phrase: string): boolean {
  return new RegExp(`(^|[^a-z])${phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).test(folded);
}

/**
 * Short messages ("ok", "#1001") say nothing about their language, so the conversation's language stays; longer
 * ones are decided by function words, with nlp.js's trigram guesser (trained on the corpus) as tie-breaker.
 */
export function detectLanguage(text: string, guess: string | undefined, previous: Language | undefined): Language {
  const tokens = words(fold(text));
  const scores = Object.fromEntries(LANGUAGES.map((language) => [language, 0])) as Record<Language, number>;
  for (const language of LANGUAGES) {
    const markers = new Set(LANGUAGE_MARKERS[language]);
    for (const token of tokens) if (markers.has(token)) scores[language] += 1;
  }
  for (const language of ["fr", "es", "de"] as const) {
    for (const term of Object.keys(PRODUCT_TERMS[language])) if (includesPhrase(fold(text), term)) scores[language] += 1.5;
  }
  if (guess && (LANGUAGES as readonly string[]).includes(guess)) scores[guess as Language] += 0.75;
  if (previous) scores[previous] += 0.9;
  const ranked = [...LANGUAGES].sort((a, b) => scores[b] - scores[a]);
  const best = ranked[0]!;
  if (scores[best] < 1) return previous ?? "en";
  return best;
}

/** Price limits are read by the catalog's one query parser, so the agent and the search agree on "under $50". */
function priceFilter(query: ParsedProductQuery): PriceFilter {
  return {
    ...(query.minPrice !== undefined ? { minPrice: query.minPrice } : {}),
    ...(query.maxPrice !== undefined ? { maxPrice: query.maxPrice } : {}),
  };
}

const EMAIL = /[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,}/i;
const PHONE = /(?:\+|00)?\d[\d\s().-]{7,}\d/;

export function extractOrderNumber(folded: string, text: string): string | undefined {
  const hashed = text.match(/#\s?(\d{3,10})\b/);
  if (hashed) return hashed[1];
  const orderWords = ORDER_WORDS.join("|");
  const named = folded.match(new RegExp(String.raw`(?:${orderWords})\s*(?:number|no\.?|nr\.?|numero|n°|nº|num\.?)?\s*:?\s*(\d{3,10})\b`));
  if (named) return named[1];
  const bare = folded.trim().match(/^(\d{3,10})$/);
  return bare?.[1];
}

function extractOptions(folded: string, tokens: string[]): string[] {
  const options = new Set<string>();
  for (const token of tokens) {
    const family = COLOR_WORDS[token];
    if (family) options.add(family[0]!.toUpperCase() + family.slice(1));
  }
  const sizeWords = SIZE_WORDS.join("|");
  const size = folded.match(new RegExp(String.raw`(?:${sizeWords})\s*:?\s*(xxs|xs|s|m|l|xl|xxl|\d{1,2}(?:\.5)?)\b`));
  if (size) options.add(size[1]!.toUpperCase());
  else {
    const bare = tokens.find((token) => CLOTHING_SIZES.includes(token) && token.length > 1);
    if (bare) options.add(bare.toUpperCase());
  }
  return [...options];
}

/** The product words of the message in the catalog's language, without request filler, prices or options. */
export function productText(folded: string, language: Language): string {
  let text = parseProductQuery(folded.replace(EMAIL, " ")).text;
  if (language !== "en") {
    const terms = Object.entries(PRODUCT_TERMS[language]).sort(([a], [b]) => b.length - a.length);
    for (const [term, english] of terms) text = text.replace(new RegExp(`(^|[^a-z])${term}(?=$|[^a-z])`, "g"), `$1 ${english} `);
  }
  const sizeWords = new RegExp(String.raw`\b(?:${SIZE_WORDS.join("|")})\s*:?\s*(?:xxs|xs|s|m|l|xl|xxl|\d{1,2})\b`, "g");
  text = text.replace(sizeWords, " ");
  return words(text)
    .filter((word) => !FILLER_WORDS.has(word) && !COLOR_WORDS[word] && !/^\d+$/.test(word) && !CLOTHING_SIZES.includes(word))
    .join(" ");
}

function escalationSignals(folded: string): Intent[] {
  return ESCALATION_INTENTS.filter((intent) => ESCALATION_SIGNALS[intent].some((signal) => includesPhrase(folded, signal)));
}

function hasMarker(folded: string, tokens: string[], markers: readonly string[]): boolean {
  return markers.some((marker) => (marker.length >= 4 ? includesPhrase(folded, marker) : tokens.includes(marker)));
}

function asIntent(name: string | undefined): Intent {
  return name && (INTENTS as readonly string[]).includes(name) ? (name as Intent) : "unknown";
}

/** Policy questions mention refunds and cancellations without asking for one. */
const QUESTION_INTENTS: readonly Intent[] = ["returns", "shipping", "store-info"];

export async function understand(text: string, options: { previousLanguage?: Language } = {}): Promise<Understanding> {
  const nlp = await classifier();
  const folded = fold(text);
  const tokens = words(folded);
  const language = detectLanguage(text, nlp.guessLanguage(text), options.previousLanguage);
  const result = await nlp.process(language, text);
  const ranked = result.classifications
    .filter((entry) => entry.intent !== "None")
    .sort((a, b) => b.score - a.score);
  const signals = escalationSignals(folded);
  // What the words say overrules a guess: an escalation without its words, thanks without a thanks word.
  const plausible = ranked.filter((entry) => {
    const candidate = asIntent(entry.intent);
    if ((ESCALATION_INTENTS as readonly Intent[]).includes(candidate)) return signals.includes(candidate) || entry.score >= ESCALATION_CONFIDENCE;
    if (candidate === "thanks") return hasMarker(folded, tokens, THANKS_MARKERS);
    return true;
  });
  const top = plausible[0];
  let intent: Intent = top && top.score >= MIN_CONFIDENCE ? asIntent(top.intent) : "unknown";
  const confidence = top?.score ?? 0;

  const orderNumber = extractOrderNumber(folded, text);
  const email = text.match(EMAIL)?.[0];
  const phone = email ? undefined : text.match(PHONE)?.[0]?.trim();
  const price = priceFilter(parseProductQuery(text, language));
  const cheaper = CHEAPER_WORDS.some((phrase) => includesPhrase(folded, phrase));

  if (orderNumber && (intent === "unknown" || intent === "product-search" || intent === "greeting")) intent = "order-status";
  if (cheaper && intent !== "product-search") intent = "product-refine";
  // Unplaced, but in an escalation's own words ("mon colis est arrivé cassé"): that is what it is about.
  if (intent === "unknown" && signals[0]) intent = signals[0];

  const intents = new Set<Intent>([intent]);
  for (const entry of plausible) if (entry.score >= SECONDARY_CONFIDENCE) intents.add(asIntent(entry.intent));
  if (!QUESTION_INTENTS.includes(intent)) for (const signal of signals) intents.add(signal);
  intents.delete("unknown");
  if (intents.size === 0) intents.add("unknown");

  return {
    language,
    intent,
    confidence,
    intents: [...intents],
    sentiment: result.sentiment?.score ?? 0,
    entities: {
      ...(orderNumber ? { orderNumber } : {}),
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      price,
      cheaper,
      options: extractOptions(folded, tokens),
      productText: productText(folded, language),
    },
  };
}

/** Trains the classifier ahead of the first shopper message (start-up), so no shopper waits for it. */
export async function warmUpUnderstanding(): Promise<void> {
  await classifier();
}
