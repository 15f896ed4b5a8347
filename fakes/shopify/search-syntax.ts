/**
 * The part of Shopify's search syntax (the `query:` argument of Admin API connections) the app and the demo use:
 * `field:value`, `field:>value` / `>=` / `<` / `<=`, quoted values, `value*` prefixes, `-field:value` or
 * `NOT field:value`, `AND` (implicit) and `OR`, and bare words matched against a resource's default text.
 */
export type SearchValue = string | number | boolean | null | undefined | ReadonlyArray<string>;

export interface Searchable {
  /** The value of one of the connection's filters (`email`, `created_at`, `tag`…). */
  field(name: string): SearchValue;
  /** What a bare word is matched against. */
  text: string;
}

export interface SearchWarning {
  field: string;
  message: string;
}

export interface CompiledSearch {
  matches(resource: Searchable): boolean;
  /** Shopify ignores a filter the connection does not support and says so in `extensions.search`. */
  warnings: SearchWarning[];
}

interface Term {
  negated: boolean;
  field: string | null;
  operator: "=" | ">" | ">=" | "<" | "<=";
  value: string;
}

const DATE_FIELD = /(^|_)(at|date)$/;

function tokenize(query: string): string[] {
  return query.match(/-?[\w.]+:(?:[<>]=?)?(?:"[^"]*"|'[^']*'|\S+)|"[^"]*"|'[^']*'|\S+/g) ?? [];
}

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, "$2");
}

function parseTerm(token: string, negated: boolean): Term {
  const startsNegated = token.startsWith("-");
  const body = startsNegated ? token.slice(1) : token;
  const match = /^([\w.]+):([<>]=?)?(.*)$/.exec(body);
  if (!match) return { negated: negated || startsNegated, field: null, operator: "=", value: unquote(body) };
  return { negated: negated || startsNegated, field: match[1]!.toLowerCase(), operator: (match[2] ?? "=") as Term["operator"], value: unquote(match[3]!) };
}

/** Disjunction of conjunctions: `a b OR c` is `(a AND b) OR c`. */
function parse(query: string): Term[][] {
  const groups: Term[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    groups.at(-1)!.push(parseTerm(token, negateNext));
    negateNext = false;
  }
  return groups.filter((group) => group.length > 0);
}

function compare(actual: string | number | boolean, term: Term): boolean {
  if (typeof actual === "number") {
    const expected = Number(term.value);
    return compareOrdered(actual, expected, term.operator);
  }
  const actualText = String(actual).toLowerCase();
  const expectedText = term.value.toLowerCase();
  if (term.field && DATE_FIELD.test(term.field)) {
    // `created_at:2026-11-01` means that day; with an operator, the instant.
    if (term.operator === "=") return actualText.startsWith(expectedText);
    return compareOrdered(Date.parse(String(actual)), Date.parse(term.value), term.operator);
  }
  if (term.operator !== "=") return compareOrdered(actualText, expectedText, term.operator);
  return expectedText.endsWith("*") ? actualText.startsWith(expectedText.slice(0, -1)) : actualText === expectedText;
}

function compareOrdered<T extends number | string>(actual: T, expected: T, operator: Term["operator"]): boolean {
  switch (operator) {
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    case "=":
      return actual === expected;
  }
}

function matchesTerm(resource: Searchable, term: Term): boolean {
  if (!term.field) {
    const word = term.value.toLowerCase().replace(/\*$/, "");
    return resource.text.toLowerCase().includes(word);
  }
  const actual = resource.field(term.field);
  if (actual === undefined || actual === null) return false;
  if (typeof actual === "object") return actual.some((value) => compare(value, term));
  return compare(actual, term);
}

export function compileSearchQuery(query: string | null | undefined, supportedFields: ReadonlySet<string>): CompiledSearch {
  const warnings: SearchWarning[] = [];
  const groups = parse(query ?? "").map((group) =>
    group.filter((term) => {
      if (!term.field || supportedFields.has(term.field)) return true;
      warnings.push({ field: term.field, message: "Invalid search field for this query." });
      return false;
    }),
  );
  return {
    matches: (resource) => groups.length === 0 || groups.some((group) => group.every((term) => matchesTerm(resource, term) !== term.negated)),
    warnings,
  };
}
