import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { DirectoryListing } from './directory-listing';

describe('directory listing', () => {
  it('rules out only what a folder listing proves absent', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'a', 'Clip.mp4'), 'x');
    writeFileSync(join(root, 'a', 'caf\u0065\u0301.mp4'), 'x');
    const listing = new DirectoryListing();
    expect(listing.mayExist(join(root, 'a', 'Clip.mp4'))).toBe(true);
    expect(listing.mayExist(join(root, 'a', 'other.mp4'))).toBe(false);
    expect(listing.mayExist(join(root, 'missing-folder', 'x.mp4'))).toBe(false);
    expect(listing.mayExist(join(root, 'a', 'Clip.mp4', 'inside'))).toBe(false);
    // Another case or another Unicode form may be the same file on macOS or an exFAT drive: left to the stat.
    expect(listing.mayExist(join(root, 'a', 'clip.MP4'))).toBe(true);
    expect(listing.mayExist(join(root, 'a', 'caf\u00e9.mp4'))).toBe(true);
    const ahead = new DirectoryListing();
    await ahead.prefetch([join(root, 'a'), join(root, 'gone')], 4);
    expect([ahead.mayExist(join(root, 'a', 'Clip.mp4')), ahead.mayExist(join(root, 'gone', 'x'))]).toEqual([true, false]);
  });

  it('lists a folder again once its listing is old, so files that arrived meanwhile are found', () => {
    const root = tempDir();
    // A maximum age below zero: every listing is already too old.
    const listing = new DirectoryListing(-1);
    expect(listing.mayExist(join(root, 'late.mp4'))).toBe(false);
    writeFileSync(join(root, 'late.mp4'), 'x');
    expect(listing.mayExist(join(root, 'late.mp4'))).toBe(true);
  });
});
