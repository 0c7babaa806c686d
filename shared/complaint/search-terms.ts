/**
 * Keyword search over respondents' names, served from an index on any engine (no `$text`): a case
 * stores the distinct single characters and character pairs of the normalised name, a query
 * selects the cases holding all pairs of what was typed (one character: that character) through
 * a multikey index, and a substring match on the normalised name confirms the order.
 */

/** Full-width and half-width, spacing and case do not make a different business. */
export const normaliseName = (name: string) => name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

const chars = (s: string) => Array.from(s);

/** What a respondent's name is found by: every character and every pair of adjacent characters. */
export function nameTerms(name: string): string[] {
  const c = chars(normaliseName(name));
  const terms = new Set<string>(c);
  for (let i = 0; i + 1 < c.length; i += 1) terms.add(c[i] + c[i + 1]);
  return [...terms];
}

/** The terms a query needs a case to hold; empty for an empty query. */
export function queryTerms(q: string): string[] {
  const c = chars(normaliseName(q));
  if (c.length <= 1) return c;
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < c.length; i += 1) pairs.add(c[i] + c[i + 1]);
  return [...pairs];
}
