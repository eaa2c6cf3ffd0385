import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolutionFor } from '../../../shared/catalog/resolution';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { DirectoryListing } from './directory-listing';
import type { ResolveContext } from './resolve-ref';
import { StatAhead } from './stat-ahead';

function setup() {
  const root = tempDir();
  mkdirSync(join(root, 'a'));
  writeFileSync(join(root, 'a', 'one.mp4'), 'x');
  writeFileSync(join(root, 'a', 'two.mkv'), 'xy');
  const context: ResolveContext = { root, realRoot: root, subdir: '', resolution: resolutionFor('activitynet'), index: null, listing: new DirectoryListing() };
  const page = ['a/one.mp4', 'a/two.mp4', 'a/gone.mp4', 'b/none.mp4'].map((ref, id) => ({ id, ref, previous: null }));
  return { root, context, page };
}

describe('stat ahead', () => {
  it('on slow storage, stats every path a ref may be at, many at once, and only those the listings allow', async () => {
    const { root, context, page } = setup();
    const ahead = new StatAhead(0);
    const stats = await ahead.page(page, context);
    expect([...(stats?.keys() ?? [])].sort()).toEqual([join(root, 'a', 'one.mp4'), join(root, 'a', 'two.mkv')]);
    expect(stats?.get(join(root, 'a', 'two.mkv'))?.size).toBe(lstatSync(join(root, 'a', 'two.mkv')).size);
    // Once storage is known to be slow, the folders are listed ahead too, with the same outcome.
    const fresh = { ...context, listing: new DirectoryListing() };
    expect([...((await ahead.page(page, fresh))?.keys() ?? [])].sort()).toEqual([join(root, 'a', 'one.mp4'), join(root, 'a', 'two.mkv')]);
  });

  it('on a fast disk, leaves the stats to the resolver after timing a few', async () => {
    const { context, page } = setup();
    const ahead = new StatAhead(Number.POSITIVE_INFINITY);
    expect((await ahead.page(page, context))?.size).toBe(2);
    expect(await ahead.page(page, context)).toBeNull();
  });

  it('leaves a path the system refuses (too long, through a file) to the resolver instead of failing the page', async () => {
    const { root, context } = setup();
    const page = [`${'a'.repeat(5000)}.mp4`, 'a/one.mp4/x.mp4'].map((ref, id) => ({ id, ref, previous: null }));
    const stats = await new StatAhead(Number.POSITIVE_INFINITY).page(page, { ...context, listing: null });
    expect(stats?.has(join(root, `${'a'.repeat(5000)}.mp4`))).toBe(false);
    expect(stats?.get(join(root, 'a', 'one.mp4', 'x.mp4'))).toBeNull();
  });
});
