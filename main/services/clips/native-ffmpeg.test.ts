import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { ffprobeOf, findNativeFfmpeg } from './native-ffmpeg';

describe('the native ffmpeg', () => {
  it('is the one on PATH unless Settings name one; its version is read; a missing or broken one is said with what to do', async () => {
    const found = await findNativeFfmpeg('');
    expect(found).toMatchObject({ available: true, path: 'ffmpeg', ffprobe: 'ffprobe', reason: null });
    expect(found.version).toMatch(/^\d/);
    const dir = tempDir();
    const missing = await findNativeFfmpeg(join(dir, 'ffmpeg'));
    expect(missing.available).toBe(false);
    expect(missing.reason).toBe(
      `${join(dir, 'ffmpeg')} (Settings) was not found: install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) or set its path in Settings; the app's window (desktop or web host) can also cut inputs up to 2 GiB with ffmpeg.wasm`,
    );
    // An ffmpeg without its ffprobe cannot check what it cuts.
    writeFileSync(join(dir, 'ffmpeg'), '#!/bin/sh\necho "ffmpeg version 9.9-test Copyright"\n');
    chmodSync(join(dir, 'ffmpeg'), 0o755);
    const alone = await findNativeFfmpeg(join(dir, 'ffmpeg'));
    expect(alone).toMatchObject({ available: false, version: '9.9-test', reason: expect.stringContaining(`${join(dir, 'ffprobe')} does not`) });
    expect(ffprobeOf('/opt/ffmpeg-6/bin/ffmpeg')).toBe('/opt/ffmpeg-6/bin/ffprobe');
  });
});
