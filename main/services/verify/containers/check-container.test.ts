import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffprobeOpens, generateMediaCorpus } from '../../../../tests/fixtures/media-corpus';
import { tempDir } from '../../../../tests/fixtures/temp-dir';
import { testVideo, videoDuration } from '../../../../tests/fixtures/test-video';
import { checkContainer } from './check-container';

describe('container level on a corpus made by ffmpeg', () => {
  it('accepts every original, with its duration and size', async () => {
    const corpus = generateMediaCorpus(tempDir()).filter((f) => f.from === null);
    for (const file of corpus) {
      const result = await checkContainer(file.path);
      expect({ file: file.name, ok: result.ok, detail: result.ok ? null : result.detail }).toEqual({ file: file.name, ok: true, detail: null });
      if (result.ok && !file.name.endsWith('.jpg') && !file.name.endsWith('.png')) expect(result.info.durationS ?? 2, file.name).toBeGreaterThan(1);
      if (result.ok) expect([result.info.width, result.info.height], file.name).toEqual([96, 64]);
    }
  });

  it('never says OK where ffprobe cannot open the file, agrees with it on whether a file opens, and rejects what is plainly broken', async () => {
    const corpus = generateMediaCorpus(tempDir());
    const disagreements: string[] = [];
    for (const file of corpus) {
      const result = await checkContainer(file.path);
      const opens = ffprobeOpens(file.path);
      if (result.ok && !opens) disagreements.push(`${file.name}: container OK but ffprobe cannot open it`);
      if (result.opens !== opens)
        disagreements.push(`${file.name}: ffprobe ${opens ? 'opens' : 'cannot open'} it, container says it ${result.opens ? 'opens' : 'does not'}`);
      const broken = /^(empty|no-moov|hidden-moov|truncated-0\.(1|5|9)-)/.test(file.name);
      if (broken && result.ok) disagreements.push(`${file.name}: damaged but container OK`);
      if (file.name.startsWith('wrong-ext-') && !result.ok) disagreements.push(`${file.name}: judged by extension (${result.detail})`);
    }
    expect(disagreements).toEqual([]);
  }, 60_000);

  it('calls a damaged index, a short header or a vanished file a damaged file, without failing the verify', async () => {
    const dir = tempDir();
    const original = generateMediaCorpus(dir).find((f) => f.name === 'h264-faststart.mp4')?.path as string;
    const data = readFileSync(original);
    const moov = data.indexOf('moov') - 4;
    const udta = data.indexOf('udta', moov) - 4;
    // A box inside the moov that claims more bytes than the moov holds.
    const damaged = Buffer.from(data);
    damaged.writeUInt32BE(damaged.readUInt32BE(udta) + 64, udta);
    writeFileSync(join(dir, 'inner.mp4'), damaged);
    expect(await checkContainer(join(dir, 'inner.mp4'))).toMatchObject({ ok: false, detail: expect.stringContaining('the moov box is damaged') });
    // A movie header box of 8 bytes: nothing to read a duration from.
    const mvhd = data.indexOf('mvhd', moov) - 4;
    const short = Buffer.concat([data.subarray(0, mvhd), Buffer.from([0, 0, 0, 8]), Buffer.from('mvhd'), data.subarray(mvhd + data.readUInt32BE(mvhd))]);
    short.writeUInt32BE(data.readUInt32BE(moov) - data.readUInt32BE(mvhd) + 8, moov);
    writeFileSync(join(dir, 'short.mp4'), short);
    expect((await checkContainer(join(dir, 'short.mp4'))).ok).toBe(false);
    expect(await checkContainer(join(dir, 'gone.mp4'))).toMatchObject({ ok: false, opens: false, detail: expect.stringContaining('could not be opened') });
  });

  it("times an MP4's video track as ffprobe does (a clip's check without ffprobe), only when asked", async () => {
    const dir = tempDir();
    const source = testVideo(join(dir, 'source.mp4'), 12, ['-c:v', 'libx264', '-g', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac'], undefined, { audio: true });
    // A stream copy from a keyframe before the start: an edit list and audio that runs longer than the video.
    const copied = join(dir, 'copied.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', '5', '-t', '3', '-i', source, '-c', 'copy', '-avoid_negative_ts', 'make_zero', copied]);
    for (const file of [source, copied]) {
      const checked = await checkContainer(file, { videoTiming: true });
      if (!checked.ok) throw new Error(checked.detail);
      expect(checked.info.video?.frameRate).toBeCloseTo(10, 3);
      expect(checked.info.video?.durationS).toBeCloseTo(videoDuration(file, true), 2);
    }
    const plain = await checkContainer(source);
    expect(plain.ok && plain.info.video).toBeNull();
  });
});
