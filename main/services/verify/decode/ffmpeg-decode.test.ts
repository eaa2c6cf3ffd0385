import { describe, expect, it } from 'vitest';
import { ffprobeOpens, generateMediaCorpus } from '../../../../tests/fixtures/media-corpus';
import { tempDir } from '../../../../tests/fixtures/temp-dir';
import { checkContainer } from '../containers/check-container';
import { buildDecodeArgs, decode } from './ffmpeg-decode';

describe('decode level', () => {
  it('decodes short files whole and long ones in three windows', () => {
    expect(buildDecodeArgs({ path: '/m/a.mp4', durationS: 12 })).toEqual([
      ['-hide_banner', '-nostdin', '-v', 'error', '-i', '/m/a.mp4', '-map', '0:v:0?', '-f', 'null', '-'],
    ]);
    const windows = buildDecodeArgs({ path: '/m/long.mkv', durationS: 7200 });
    expect(windows.map((a) => a[a.indexOf('-ss') + 1])).toEqual(['0.000', '3600.000', '7195.500']);
  });

  it('catches what the container level lets through, and agrees with ffprobe on the originals', async () => {
    const corpus = generateMediaCorpus(tempDir());
    const signal = new AbortController().signal;
    const lettersThrough: string[] = [];
    for (const file of corpus) {
      const container = await checkContainer(file.path);
      if (!container.ok) continue;
      const decoded = await decode({ ffmpeg: 'ffmpeg', path: file.path, durationS: container.info.durationS }, signal);
      if (file.from === null) expect({ file: file.name, decoded }).toEqual({ file: file.name, decoded: { ok: true } });
      if (file.name.startsWith('zeroed-') && decoded.ok && /\.(mp4|mkv|webm)$/.test(file.name)) lettersThrough.push(file.name);
      if (decoded.ok) expect(ffprobeOpens(file.path), file.name).toBe(true);
    }
    expect(lettersThrough).toEqual([]);
  }, 120_000);

  it('says plainly when ffmpeg is not there', async () => {
    await expect(decode({ ffmpeg: '/nonexistent/ffmpeg', path: '/x.mp4', durationS: 1 }, new AbortController().signal)).rejects.toThrow(
      /cannot run ffmpeg.*Settings/,
    );
  });
});
