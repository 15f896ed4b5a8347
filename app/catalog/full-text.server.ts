import { pool } from "../db.server";
import { expandSynonyms, type SynonymTable } from "./synonyms";
import { foldedWords } from "./text";

export type SearchScope = "catalog" | "knowledge";

/** Below this pg_trgm similarity a word is left as typed: "hoddie" becomes "hoodie", "bag" never becomes "bat". */
const CORRECTION_SIMILARITY = 0.4;
const SHORTEST_CORRECTED_WORD = 4;

interface WordFacts {
  word: string;
  known: boolean;
  stop: boolean;
  correction: string | null;
}

/**
 * Turns a shopper's text into concepts for full-text search: each concept is a list of alternatives, any of which
 * satisfies it. Words the shop's vocabulary (SearchTerm) does not know are corrected to the most similar word it
 * does know, or to a synonym key (pg_trgm); stop words of English, French, Spanish and German are dropped unless
 * the shop uses them; synonyms then add their alternatives.
 */
export async function searchConcepts(shopId: string, scope: SearchScope, text: string, synonyms: SynonymTable): Promise<string[][]> {
  const words = foldedWords(text).slice(0, 24);
  if (words.length === 0) return [];
  const synonymWords = [...new Set([...synonyms.entries.keys()].flatMap((key) => key.split(" ")))];
  const { rows } = await pool().query<WordFacts>(
    `SELECT w.word,
            EXISTS (SELECT 1 FROM "SearchTerm" t WHERE t."shopId" = $1 AND t."scope" = $2 AND t."term" = w.word) AS known,
            (length(to_tsvector('english', w.word)) = 0 OR length(to_tsvector('french', w.word)) = 0
              OR length(to_tsvector('spanish', w.word)) = 0 OR length(to_tsvector('german', w.word)) = 0) AS stop,
            CASE WHEN length(w.word) >= $5 AND w.word !~ '^[0-9]+$' AND NOT w.word = ANY($4::text[]) THEN
              (SELECT candidate.term FROM (
                 SELECT t."term" FROM "SearchTerm" t WHERE t."shopId" = $1 AND t."scope" = $2 AND t."term" % w.word
                 UNION
                 SELECT key FROM unnest($4::text[]) AS key WHERE key % w.word
               ) AS candidate
               WHERE similarity(candidate.term, w.word) >= $6
               ORDER BY similarity(candidate.term, w.word) DESC, candidate.term
               LIMIT 1)
            END AS correction
       FROM unnest($3::text[]) AS w(word)`,
    [shopId, scope, [...new Set(words)], synonymWords, SHORTEST_CORRECTED_WORD, CORRECTION_SIMILARITY],
  );
  const facts = new Map(rows.map((row) => [row.word, row]));
  const corrected = words.flatMap((word) => {
    const fact = facts.get(word)!;
    if (fact.known || synonymWords.includes(word)) return [word];
    if (fact.stop) return [];
    return [fact.correction ?? word];
  });
  return expandSynonyms(corrected, synonyms);
}

/**
 * SQL for the concepts passed as a jsonb array of arrays of alternatives (the query's parameter `$n`): a CTE
 * `wanted` with `query` (any concept, for matching) and `concepts` (each concept, to rank by how many match).
 */
export function wantedCte(parameter: string): string {
  return `alternative AS (
      SELECT concept.n, phrase.value AS phrase
        FROM jsonb_array_elements(${parameter}::jsonb) WITH ORDINALITY AS concept(alternatives, n)
        CROSS JOIN LATERAL jsonb_array_elements_text(concept.alternatives) AS phrase(value)
    ), concept AS (
      SELECT n, tsquery_or_agg(search_tsquery(phrase)) AS query FROM alternative GROUP BY n
    ), wanted AS (
      SELECT tsquery_or_agg(query) AS query, coalesce(array_agg(query), '{}') AS concepts FROM concept WHERE numnode(query) > 0
    )`;
}
