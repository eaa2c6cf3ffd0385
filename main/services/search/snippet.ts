import { fold, type SearchTerm, WORD } from './search-query';

export interface Snippet {
  text: string;
  /** [start, end) character ranges of `text` that matched a term. */
  marks: Array<[number, number]>;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

/**
 * Tokens of the text with their places in it. Folding can change a string's length (NFD splits "é" in two), so each
 * word is found in the original and folded on its own.
 */
function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}\p{Co}\p{M}]+/gu)) {
    const start = match.index;
    const raw = match[0];
    for (const sub of fold(raw).match(WORD) ?? []) {
      tokens.push({ word: sub, start, end: start + raw.length });
    }
  }
  return tokens;
}

function wordMatches(token: string, word: string, prefix: boolean): boolean {
  return prefix ? token.startsWith(word) : token === word;
}

/**
 * The piece of a conversation around its first match, with every match inside it marked: FTS5 cannot make snippets
 * from an index that holds no text, so they are made here from the record, by the same rules as the index.
 */
export function makeSnippet(text: string, terms: readonly SearchTerm[], width = 200): Snippet {
  const tokens = tokensOf(text);
  const hits: Array<[number, number]> = [];
  for (const term of terms) {
    const n = term.words.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        ok = wordMatches((tokens[i + k] as Token).word, term.words[k] as string, term.prefix && k === n - 1);
      }
      if (ok) hits.push([(tokens[i] as Token).start, (tokens[i + n - 1] as Token).end]);
    }
  }
  hits.sort((a, b) => a[0] - b[0]);
  const first = hits[0];
  let from = 0;
  if (first && first[0] > width / 3) {
    from = first[0] - Math.floor(width / 3);
    // start on a word boundary
    const space = text.lastIndexOf(' ', from);
    if (space >= 0 && from - space < 20) from = space + 1;
  }
  const to = Math.min(text.length, from + width);
  const lead = from > 0 ? '…' : '';
  const tail = to < text.length ? '…' : '';
  const body = text.slice(from, to).replace(/\s/g, ' ');
  const marks: Array<[number, number]> = [];
  for (const [s, e] of hits) {
    if (s < from || e > to) continue;
    const last = marks.at(-1);
    const ms = s - from + lead.length;
    const me = e - from + lead.length;
    if (last && ms <= last[1]) last[1] = Math.max(last[1], me);
    else marks.push([ms, me]);
  }
  return { text: lead + body + tail, marks };
}

/** The snippet with its matches between ** (the CLI's form). */
export function markedSnippet(snippet: Snippet): string {
  let out = '';
  let at = 0;
  for (const [s, e] of snippet.marks) {
    out += `${snippet.text.slice(at, s)}**${snippet.text.slice(s, e)}**`;
    at = e;
  }
  return out + snippet.text.slice(at);
}
