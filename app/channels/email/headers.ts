/** An email's headers as a provider reports them: name and value pairs, names in any case, a name possibly repeated. */
export type EmailHeaders = ReadonlyArray<{ Name: string; Value: string }>;

/** The first value of a header, by name in any case, trimmed; null when absent. */
export function headerValue(headers: EmailHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  const found = headers.find((header) => header.Name.toLowerCase() === wanted);
  return found ? found.Value.trim() : null;
}

/**
 * The message ids in a Message-ID, In-Reply-To or References value, with their angle brackets
 * (`<a@b> <c@d>`), in order. Ids are compared as written between the brackets (RFC 5322 says they are opaque).
 */
export function messageIdsIn(value: string | null | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  // Some mailers drop the brackets: a lone bare id still threads.
  const bare = value.trim();
  return bare && !/\s/.test(bare) && bare.includes("@") ? [`<${bare}>`] : [];
}
