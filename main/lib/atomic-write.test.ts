import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { writeFileAtomic } from './atomic-write';

describe('writeFileAtomic', () => {
  it('replaces the whole file and leaves no temporary file behind', async () => {
    const dir = tempDir();
    const file = join(dir, 'settings.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new content');
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('creates the file with the requested mode', async () => {
    const file = join(tempDir(), 'secret');
    await writeFileAtomic(file, 'x', { mode: 0o600 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves the old file untouched when the folder is gone', async () => {
    await expect(writeFileAtomic(join(tempDir(), 'missing', 'f'), 'x')).rejects.toThrow(/ENOENT/);
  });
});
