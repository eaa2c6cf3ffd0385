import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder } from './source-files';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.(?:test|spec|d))?\.(?:ts|tsx|css|html)$/;

describe('file names', () => {
  it('are kebab-case with only .test, .spec or .d as qualifiers', () => {
    const files = filesUnder('main', 'renderer', 'preload', 'shared', 'tests').filter((f) => /\.(tsx?|css|html)$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => !KEBAB.test(basename(f)))).toEqual([]);
  });

  it('migrations are numbered in steps of ten', () => {
    const migrations = filesUnder('main/services/library/migrations')
      .map((f) => basename(f))
      .filter((f) => /^\d/.test(f));
    expect(migrations.length).toBeGreaterThan(0);
    for (const name of migrations) expect(name).toMatch(/^\d{3}0-[a-z0-9-]+\.(test\.)?ts$/);
  });

  it('files stay small: a file over 400 lines says why at its top', () => {
    const long = filesUnder('main', 'renderer', 'preload', 'shared', 'tests')
      .filter((f) => /\.tsx?$/.test(f))
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        return text.split('\n').length > 400 && !/^\/\/ (over|longer than) 400 lines: /m.test(text.slice(0, 300));
      });
    expect(long).toEqual([]);
  });
});
