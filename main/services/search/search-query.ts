/**
 * The search box's syntax, the same in the app and in `vc2m search`: words are all required, "a quoted phrase"
 * matches those words next to each other in order, word* matches words starting with it, and case and accents do
 * not matter. Everything the user types becomes quoted FTS5 strings, so FTS5's own operators (OR, NOT, NEAR,
 * column filters, parentheses) are never read from the box: a query cannot fail as bad FTS5 syntax.
 */

export interface SearchTerm {
  /** The words of the term as the index tokenises them (folded); a phrase has several. */
  words: string[];
  /** The last word is a prefix (word*). */
  prefix: boolean;
}

/**
 * Case and accents folded, as FTS5's unicode61 tokenizer with remove_diacritics 2 does: only the combining
 * diacritical marks (U+0300–U+036F) go, and the rest is composed again, so Hangul syllables, kana with dakuten and
 * Indic vowel signs stay as the index holds them.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]+/g, '')
    .normalize('NFC')
    .toLowerCase();
}

/** Letters, digits and private-use characters make words; everything else separates them (unicode61's default). */
export const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

export function wordsOf(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** The terms of a query; a term with no letters or digits ("?", "--") is dropped, as the index has no such word. */
export function parseQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const pattern = /"([^"]*)"?(\*)?|([^\s"]+)/g;
  for (const match of query.matchAll(pattern)) {
    const [, phrase, phraseStar, bare] = match;
    if (phrase !== undefined) {
      const words = wordsOf(phrase);
      if (words.length > 0) terms.push({ words, prefix: phraseStar === '*' });
      continue;
    }
    const text = bare ?? '';
    const prefix = text.endsWith('*');
    const words = wordsOf(prefix ? text.slice(0, -1) : text);
    // "don't" is the phrase "don t" to the index, as a word the user typed should be.
    if (words.length > 0) terms.push({ words, prefix });
  }
  return terms;
}

/** The FTS5 expression for the terms, each a quoted string (a phrase), ANDed; null when nothing is searchable. */
export function ftsExpression(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.words.join(' ')}"${t.prefix ? '*' : ''}`).join(' AND ');
}
