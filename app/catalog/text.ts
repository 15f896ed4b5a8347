/**
 * Text as search compares it: lower case, accents removed ("Crème brûlée" is "creme brulee", "Größe" is
 * "grosse"), the same fold PostgreSQL's search_fold() applies to the documents.
 */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/ß/g, "ss")
    .toLowerCase();
}

const segmenter = new Intl.Segmenter("en", { granularity: "word" });

/**
 * The words of a text, folded, by Unicode's word boundaries (Intl.Segmenter); elisions are split off, so
 * "l'été" gives "l" and "ete", and hyphenated words give their parts ("t-shirt": "t", "shirt").
 */
export function foldedWords(text: string): string[] {
  const words: string[] = [];
  for (const segment of segmenter.segment(foldText(text))) {
    if (!segment.isWordLike) continue;
    for (const part of segment.segment.split(/['’]/)) if (part) words.push(part);
  }
  return words;
}
