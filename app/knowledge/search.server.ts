import { pool } from "../db.server";
import { searchConcepts, wantedCte } from "../catalog/full-text.server";
import type { KnowledgeMatch } from "../agent/skills/tools";
import { foldedWords } from "../catalog/text";
import { knowledgeSynonyms, QUESTION_WORDS } from "./synonyms";

export type { KnowledgeMatch };

const DEFAULT_LIMIT = 3;
const MAX_LIMIT = 10;
/** What a FAQ answer is quoted as: the merchant's FAQ has no page of its own. */
export const FAQ_TITLE = "FAQ";

interface Row {
  source: "policy" | "faq";
  id: string;
  title: string;
  passage: string;
  url: string | null;
  policyType: string | null;
  /** bigint as text */
  concepts: string;
}

/**
 * The passages of the shop's policies and its enabled FAQ answers that answer a question, best first: ranked by
 * how many of the question's concepts they match (typos corrected against the shop's knowledge vocabulary,
 * synonyms in four languages widening each concept), then by how many the topic matches (the policy's title and
 * section heading, or the FAQ's question: "contact" is the Contact page before a privacy passage on "contact
 * details"), then by PostgreSQL's weighted rank (the passage or FAQ question above its heading or answer, above
 * the policy's title). Only passages matching as much of the
 * question as the best one are returned, so an answer never comes padded with loosely related quotes.
 */
export async function searchKnowledge(shopId: string, text: string, options: { limit?: number } = {}): Promise<KnowledgeMatch[]> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const subject = foldedWords(text).filter((word) => !QUESTION_WORDS.has(word)).join(" ");
  const concepts = distinct(await searchConcepts(shopId, "knowledge", subject, knowledgeSynonyms()));
  if (concepts.length === 0) return [];
  const { rows } = await pool().query<Row>(
    `WITH ${wantedCte("$2")},
     candidate AS (
       SELECT 'policy' AS source, passage."id", policy."title", passage."text" AS passage, policy."url", policy."type" AS "policyType",
              passage."searchDocument" AS document, ts_filter(passage."searchDocument", '{b,c}') AS "topicDocument",
              policy."type" AS "group", passage."position"
         FROM wanted w
         JOIN "ShopPolicyPassage" passage ON passage."shopId" = $1 AND passage."searchDocument" @@ w.query
         JOIN "ShopPolicy" policy ON policy."id" = passage."policyId"
       UNION ALL
       SELECT 'faq', faq."id", $4, faq."answer", NULL, NULL, faq."searchDocument", ts_filter(faq."searchDocument", '{a}'), '', faq."position"
         FROM wanted w
         JOIN "FaqEntry" faq ON faq."shopId" = $1 AND faq."enabled" AND faq."searchDocument" @@ w.query
     )
     SELECT c."source", c."id", c."title", c."passage", c."url", c."policyType", matched."concepts"
       FROM candidate c
       CROSS JOIN wanted w
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE c.document @@ concept.query) AS "concepts",
                count(*) FILTER (WHERE c."topicDocument" @@ concept.query) AS "topicConcepts"
           FROM unnest(w.concepts) AS concept(query)
       ) matched
      ORDER BY matched."concepts" DESC, matched."topicConcepts" DESC, ts_rank('{0.1, 0.3, 0.6, 1.0}', c.document, w.query) DESC,
               c."source", c."group", c."position"
      LIMIT $3`,
    [shopId, JSON.stringify(concepts), limit, FAQ_TITLE],
  );
  const best = rows[0]?.concepts;
  return rows
    .filter((row) => row.concepts === best)
    .map(({ concepts: _concepts, policyType, ...row }) => ({ ...row, ...(policyType ? { policyType } : {}) }));
}

/** A concept asked twice ("return policy … returns") counts once, so repeating a word does not outrank meaning. */
function distinct(concepts: string[][]): string[][] {
  const seen = new Set<string>();
  return concepts.filter((concept) => {
    const key = [...concept].sort().join("|");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
