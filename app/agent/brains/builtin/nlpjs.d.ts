/** The parts of nlp.js (which ships no types) that the built-in brain uses. */
declare module "@nlpjs/core" {
  export interface NlpContainer {
    use(plugin: unknown): void;
    get(name: string): unknown;
  }
  export function containerBootstrap(): Promise<NlpContainer>;
}
declare module "@nlpjs/nlp" {
  import type { NlpContainer } from "@nlpjs/core";
  export interface NlpResult {
    locale: string;
    intent: string;
    score: number;
    classifications: Array<{ intent: string; score: number }>;
    sentiment?: { score: number; average: number; vote: string; numHits: number };
  }
  export class Nlp {
    constructor(settings: Record<string, unknown>);
    settings: Record<string, unknown>;
    addLanguage(locale: string): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
    guessLanguage(utterance: string): string | undefined;
  }
}
declare module "@nlpjs/lang-en" {
  export const LangEn: unknown;
}
declare module "@nlpjs/lang-fr" {
  export const LangFr: unknown;
}
declare module "@nlpjs/lang-es" {
  export const LangEs: unknown;
}
declare module "@nlpjs/lang-de" {
  export const LangDe: unknown;
}
