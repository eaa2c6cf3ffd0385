import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { placeFile } from './place-file';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('placing a found file where its ref belongs', () => {
  it('hard-links on the same file system, copies, moves; never over a file already there', async () => {
    const dir = tempDir();
    const from = join(dir, 'found.mp4');
    writeFileSync(from, 'clip');
    const how = await placeFile(from, join(dir, 'lib', 'a', 'clip.mp4'), 'link');
    expect(how).toBe('hard link');
    expect(statSync(join(dir, 'lib', 'a', 'clip.mp4')).ino).toBe(statSync(from).ino);
    await expect(placeFile(from, join(dir, 'lib', 'a', 'clip.mp4'), 'copy')).rejects.toThrow(/already exists; it was left as it is/);
    expect(await placeFile(from, join(dir, 'lib', 'copy.mp4'), 'copy')).toBe('copy');
    expect(statSync(join(dir, 'lib', 'copy.mp4')).ino).not.toBe(statSync(from).ino);
    expect(await placeFile(from, join(dir, 'lib', 'moved.mp4'), 'move')).toBe('move');
    expect(existsSync(from)).toBe(false);
    await expect(placeFile(from, join(dir, 'lib', 'again.mp4'), 'link')).rejects.toThrow(/no longer there/);
  });

  it('links across file systems symbolically, and says so', async () => {
    const other = mkdtempSync('/dev/shm/vc2-relink-');
    made.push(other);
    const dir = tempDir();
    const from = join(other, 'found.mp4');
    writeFileSync(from, 'clip on tmpfs');
    const crosses = statSync(other).dev !== statSync(dir).dev;
    const how = await placeFile(from, join(dir, 'clip.mp4'), 'link');
    if (crosses) {
      expect(how).toBe('symbolic link (another file system)');
      expect(lstatSync(join(dir, 'clip.mp4')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dir, 'clip.mp4'))).toBe(from);
    } else expect(how).toBe('hard link');
    expect(readFileSync(join(dir, 'clip.mp4'), 'utf8')).toBe('clip on tmpfs');
  });
});
