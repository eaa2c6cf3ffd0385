import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { MediaLocator } from './media-locator';
import { PREVIEW_FOLDER, PreviewCache } from './preview-cache';

// Previews for media Chromium cannot play: real ffmpeg, real files; the library, the locator and the settings are
// reduced to what the cache asks of them.

function hevc(path: string, seconds: number) {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=25:duration=${seconds}`],
    ...['-c:v', 'libx265', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', path],
  ]);
}

function cacheOver(media: string, limitBytes?: number) {
  const libraryPath = tempDir();
  const library = { current: () => ({ path: libraryPath }) } as unknown as LibraryService;
  const locator = {
    locate: ({ ref }: { ref: string }) => {
      const path = join(media, ref);
      if (!existsSync(path)) throw new Error('no such media');
      return { path, size: 1, mtimeMs: 1, contentType: 'video/mp4', rule: 'join' };
    },
  } as unknown as MediaLocator;
  const settings = { get: async () => ({ ffmpegPath: '' }) } as unknown as SettingsService;
  return { cache: new PreviewCache(library, locator, settings, limitBytes), folder: join(libraryPath, PREVIEW_FOLDER) };
}

const probe = (path: string) =>
  execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path], { encoding: 'utf8' }).trim().split('\n');

describe('the preview cache', () => {
  it('makes an H.264 MP4 of an H.265 file on demand, once, and serves it as a file', async () => {
    const media = tempDir();
    hevc(join(media, 'a.mp4'), 2);
    const { cache, folder } = cacheOver(media);
    const target = { sourceId: 'kinetics', ref: 'a.mp4', subdir: '' };
    expect(() => cache.file(target)).toThrow(/no such media/);
    expect(await cache.request(target)).toEqual({ state: 'working' });
    expect(await cache.request(target)).toEqual({ state: 'working' });
    await cache.settled();
    expect(await cache.request(target)).toEqual({ state: 'ready' });
    const file = cache.file(target);
    expect(file).toMatchObject({ contentType: 'video/mp4', rule: 'preview' });
    expect(probe(file.path)).toEqual(['h264']);
    // one preview, no temporary file left
    expect(readdirSync(folder)).toEqual([file.path.slice(folder.length + 1)]);
  });

  it('keeps the cache under its limit by dropping the preview watched longest ago', async () => {
    const media = tempDir();
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) hevc(join(media, name), 1);
    const { cache, folder } = cacheOver(media, 1);
    for (const ref of ['a.mp4', 'b.mp4', 'c.mp4']) {
      await cache.request({ sourceId: 'kinetics', ref, subdir: '' });
      await cache.settled();
    }
    // a limit below one preview keeps only the newest
    expect(readdirSync(folder)).toHaveLength(1);
    expect(() => cache.file({ sourceId: 'kinetics', ref: 'c.mp4', subdir: '' })).not.toThrow();
    expect(() => cache.file({ sourceId: 'kinetics', ref: 'a.mp4', subdir: '' })).toThrow(/no such media/);
  });

  it('says why when ffmpeg cannot make one, with its message, and leaves nothing half-written', async () => {
    const media = tempDir();
    writeFileSync(join(media, 'broken.mp4'), 'not a video at all');
    const { cache, folder } = cacheOver(media);
    const target = { sourceId: 'kinetics', ref: 'broken.mp4', subdir: '' };
    await cache.request(target);
    await cache.settled();
    const answer = await cache.request(target);
    expect(answer).toMatchObject({ state: 'failed', error: expect.stringMatching(/^ffmpeg could not make a preview: [\s\S]*broken\.mp4: Invalid data/) });
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });
});
