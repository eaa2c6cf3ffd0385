import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyLevel } from '../../../shared/api/models';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import type { JobContext } from '../jobs/job-runner';
import { LibraryService } from '../library/library-service';
import { runVerify } from './verify-run';

const library = new LibraryService();
afterEach(() => library.close());

const job: JobContext = { jobId: 1, signal: new AbortController().signal, report: () => {} };

/** A library whose media_refs hold exactly `refs` per source, and a media tree with `files` under `media`. */
async function setup(refs: Record<string, string[]>, files: Record<string, string> = {}) {
  const base = tempDir();
  await library.create(join(base, 'lib'));
  const db = library.database();
  const insert = db.prepare('INSERT INTO media_refs (source_id, subdir, ref) VALUES (?, ?, ?)');
  for (const [source, list] of Object.entries(refs)) for (const ref of list) insert.run(source, '', ref);
  const media = join(base, 'media');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(media, path)), { recursive: true });
    writeFileSync(join(media, path), content);
  }
  mkdirSync(media, { recursive: true });
  const verify = (level: VerifyLevel = 'quick', mediaRoot = media) =>
    runVerify(db, (id) => join(mediaRoot, id), { level, sourceId: null, subsetId: null, force: true }, job);
  const status = () =>
    Object.fromEntries(
      (
        db.prepare('SELECT m.ref AS ref, s.status AS status, s.detail AS detail FROM media_refs m JOIN media_status s ON s.media_id = m.id').all() as Array<{
          ref: string;
          status: string;
          detail: string | null;
        }>
      ).map((r) => [r.ref.length > 100 ? `${r.ref.slice(0, 10)}…${r.ref.length}` : r.ref, { status: r.status, detail: r.detail }]),
    );
  return { base, media, verify, status };
}

describe('verify: a hostile ref is a verdict for that ref, never a failed job', () => {
  it('reports a ref longer than the system allows as not found, echoing only a bounded prefix of it', async () => {
    const huge = `${'a'.repeat(5000)}/${'b/'.repeat(3000)}x.mp4`;
    const longName = `${'n'.repeat(400)}.mp4`;
    const { verify, status } = await setup(
      { webvid: ['ok/1.mp4', huge, longName], clevrer: [`${'c'.repeat(6000)}.mp4`], kinetics: [`k400/${'k'.repeat(6000)}.mp4`] },
      { 'webvid/ok/1.mp4': 'mp4' },
    );
    await expect(verify()).resolves.toMatchObject({ checked: 5 });
    const rows = status();
    expect(rows['ok/1.mp4']?.status).toBe('ok');
    for (const key of [`aaaaaaaaaa…${huge.length}`, `nnnnnnnnnn…${longName.length}`, 'cccccccccc…6004', 'k400/kkkkk…6009']) {
      const row = rows[key];
      expect(row?.status, key).toBe('not-found');
      expect(row?.detail?.length, key).toBeLessThan(500);
      expect(row?.detail, key).toMatch(/characters/);
    }
  });

  it('reports a ref through a link loop or through a file as a verdict, at every level', async () => {
    const { media, verify, status } = await setup(
      { webvid: ['loop/x.mp4', 'file.mp4/x.mp4', 'ok/1.mp4'] },
      { 'webvid/file.mp4': 'mp4', 'webvid/ok/1.mp4': 'mp4' },
    );
    symlinkSync(join(media, 'webvid', 'loop2'), join(media, 'webvid', 'loop'));
    symlinkSync(join(media, 'webvid', 'loop'), join(media, 'webvid', 'loop2'));
    await expect(verify('container')).resolves.toMatchObject({ checked: 3 });
    const rows = status();
    expect(rows['loop/x.mp4']).toEqual({ status: 'not-found', detail: expect.stringMatching(/loop\/x\.mp4 \(ELOOP: [^,]+\)$/) });
    expect(rows['file.mp4/x.mp4']?.status).toBe('not-found');
    expect(rows['ok/1.mp4']?.status).toBe('corrupt');
  });
});

describe('verify: links out of the source folder are never followed, at any depth', () => {
  it('refuses a file reached through a folder link that leads out of the root, and never reads it', async () => {
    const { base, media, verify, status } = await setup({ webvid: ['out/secret.mp4', 'in/1.mp4', 'nested/out/secret.mp4'] }, { 'webvid/real/1.mp4': 'mp4' });
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.mp4'), 'root:x:0:0:root:/root:/bin/bash');
    symlinkSync(outside, join(media, 'webvid', 'out'));
    mkdirSync(join(media, 'webvid', 'nested'));
    symlinkSync(outside, join(media, 'webvid', 'nested', 'out'));
    // A folder link that stays inside the root is followed as before.
    symlinkSync(join(media, 'webvid', 'real'), join(media, 'webvid', 'in'));
    for (const level of ['quick', 'container'] as const) {
      await verify(level);
      const rows = status();
      expect(rows['out/secret.mp4'], level).toMatchObject({ status: 'unsafe-ref', detail: expect.stringContaining('out of') });
      expect(rows['nested/out/secret.mp4']?.status, level).toBe('unsafe-ref');
      expect(rows['in/1.mp4']?.status, level).toBe(level === 'quick' ? 'ok' : 'corrupt');
    }
  });

  it('refuses a frame folder and a bucket file found through a folder link out of the root', async () => {
    const { base, media, verify, status } = await setup(
      { sharegptvideo: ['out/v_frames', 'v_ok'], clevrer: ['video_00001.mp4'] },
      { 'sharegptvideo/v_ok/1.jpg': 'jpg' },
    );
    const outside = join(base, 'outside');
    mkdirSync(join(outside, 'v_frames'), { recursive: true });
    writeFileSync(join(outside, 'v_frames', '1.jpg'), 'jpg');
    writeFileSync(join(outside, 'video_00001.mp4'), 'mp4');
    symlinkSync(outside, join(media, 'sharegptvideo', 'out'));
    mkdirSync(join(media, 'clevrer'), { recursive: true });
    symlinkSync(outside, join(media, 'clevrer', 'bucket'));
    await verify();
    const rows = status();
    expect(rows['out/v_frames']?.status).toBe('unsafe-ref');
    expect(rows.v_ok?.status).toBe('ok');
    // The index does not walk folder links, so the bucket file is not found at all: never read either way.
    expect(rows['video_00001.mp4']?.status).toMatch(/^(unsafe-ref|not-found)$/);
  });

  it('still verifies a source whose root is itself a link (the user pointing the root at a link)', async () => {
    const { base, media, verify, status } = await setup({ webvid: ['a/1.mp4'] }, { 'webvid/a/1.mp4': 'mp4' });
    const linked = join(base, 'linked-media');
    symlinkSync(media, linked);
    await verify('quick', linked);
    expect(status()['a/1.mp4']?.status).toBe('ok');
  });
});
