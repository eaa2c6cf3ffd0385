import { describe, expect, it } from 'vitest';
import { ftsExpression, parseQuery } from './search-query';
import { makeSnippet, markedSnippet } from './snippet';

describe('the search box syntax', () => {
  it('ANDs words, keeps "phrases" whole and word* as a prefix, folding case and accents', () => {
    expect(ftsExpression(parseQuery('Red KITE'))).toBe('"red" AND "kite"');
    expect(ftsExpression(parseQuery('"a Quoted phrase" abseil*'))).toBe('"a quoted phrase" AND "abseil"*');
    expect(ftsExpression(parseQuery('Café'))).toBe('"cafe"');
    expect(ftsExpression(parseQuery("don't"))).toBe('"don t"');
    // other scripts keep their letters whole
    expect(ftsExpression(parseQuery('한국어 が'))).toBe('"한국어" AND "が"');
  });

  it('never passes FTS5 operators or stray quotes through, and says when nothing is searchable', () => {
    expect(ftsExpression(parseQuery('kite OR NOT (hill) NEAR body:x'))).toBe('"kite" AND "or" AND "not" AND "hill" AND "near" AND "body x"');
    expect(ftsExpression(parseQuery('"unclosed phrase'))).toBe('"unclosed phrase"');
    expect(ftsExpression(parseQuery('?? -- "" *'))).toBeNull();
  });
});

describe('snippets', () => {
  it('mark every word of the query around the first match, phrases only where the words are adjacent', () => {
    const text = 'Question: what does the man do? Options: (A) opens the door (B) the door opens slowly';
    const s = makeSnippet(text, parseQuery('"opens the door"'));
    expect(s.marks.map(([a, b]) => s.text.slice(a, b))).toEqual(['opens the door']);
    expect(markedSnippet(makeSnippet(text, parseQuery('door slow*')))).toBe(
      'Question: what does the man do? Options: (A) opens the **door** (B) the **door** opens **slowly**',
    );
  });

  it('find accented words and cut long texts near the match', () => {
    const long = `${'word '.repeat(200)}un café noir ${'tail '.repeat(100)}`;
    const s = makeSnippet(long, parseQuery('CAFE'));
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.marks.map(([a, b]) => s.text.slice(a, b))).toEqual(['café']);
    expect(s.text.length).toBeLessThan(210);
  });
});
