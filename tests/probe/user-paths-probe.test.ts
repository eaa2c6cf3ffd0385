import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subsetById } from '../../shared/catalog/index';
import { type RunningHost, startHost } from '../fixtures/engine';

// Paths a page or a careless user can send (#9, items 4, 5, 10): each is refused up front, in time, naming the
// path; the engine keeps answering and nothing the library holds changes.

let host: RunningHost;
let root: string;
let lib: string;

/** Every file under a folder with its content hash: what "nothing changed" is compared on. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) out[path] = `${statSync(path).size}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  }
  return out;
}

async function engineAnswersWithinASecond(): Promise<void> {
  const started = Date.now();
  const info = await host.call('app.info');
  expect(info.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(1000);
}

async function finished(jobId: number): Promise<{ state: string; message: string | null }> {
  for (;;) {
    const { body } = await host.call('jobs.get', { id: jobId });
    const job = body.value as { state: string; message: string | null };
    if (['finished', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  // One folder for the whole file (the per-test temp helper would remove it after the first test).
  root = mkdtempSync(join(tmpdir(), 'vc2-paths-'));
  host = await startHost(join(root, 'config'));
  lib = join(root, 'lib');
  expect((await host.call('library.create', { path: lib })).status).toBe(200);
  const webvid = subsetById('caption_webvid');
  const source = join(root, 'dataset');
  mkdirSync(join(source, 'video/caption/webvid'), { recursive: true });
  writeFileSync(join(source, webvid?.annotationPath ?? ''), JSON.stringify([{ video: '1/2.mp4', QA: [{ i: 'Describe it.', q: '', a: 'A cat.' }] }]));
  const job = await host.call('annotations.import', { path: source });
  expect(await finished((job.body.value as { id: number }).id)).toMatchObject({ state: 'finished' });
});
afterAll(async () => {
  await host.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('export destinations are compared by real path (#9, item 4)', () => {
  it('refuses a link to the library, a link to its annotations, and the library itself; the annotation copies stay as they were', async () => {
    const before = fingerprint(join(lib, 'annotations'));
    const viaLink = join(root, 'train-link');
    symlinkSync(lib, viaLink);
    const withAnnotationsLink = join(root, 'train-out');
    mkdirSync(withAnnotationsLink);
    symlinkSync(join(lib, 'annotations'), join(withAnnotationsLink, 'annotations'));
    const intoMedia = join(root, 'media-link');
    symlinkSync(join(lib, 'media'), intoMedia);
    for (const path of [viaLink, join(viaLink, 'sub'), withAnnotationsLink, lib, intoMedia]) {
      const { status, body } = await host.call('export.start', { path });
      expect({ path, status, code: body.error?.code }).toEqual({ path, status: 400, code: 'VALIDATION_ERROR' });
      expect(body.error?.message).toMatch(/inside (the library|the media folder)/);
    }
    expect(fingerprint(join(lib, 'annotations'))).toEqual(before);
    // A real folder outside still exports.
    const ok = await host.call('export.start', { path: join(root, 'train') });
    expect(await finished((ok.body.value as { id: number }).id)).toMatchObject({ state: 'finished' });
    expect(JSON.parse(readFileSync(join(root, 'train/annotations/video/caption/webvid/train.json'), 'utf8'))).toEqual([]);
  });
});

describe('kernel file systems are refused up front (#9, item 5)', () => {
  it.each([
    ['library.create', '/proc/self'],
    ['library.create', '/proc/self/new-library'],
    ['library.create', '/sys/kernel/x'],
    ['library.create', '/dev/shm/library'],
    ['library.open', '/proc/self'],
    ['export.start', '/proc/self/cwd/x'],
    ['annotations.import', '/proc/self/root'],
    ['sources.setRoot', '/proc'],
  ])('%s on %s', async (method, path) => {
    const args = method === 'sources.setRoot' ? { sourceId: 'webvid', path } : { path };
    const { status, body } = await host.call(method, args);
    expect({ status, code: body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    expect(body.error?.message).toMatch(/system file system, not storage/);
    await engineAnswersWithinASecond();
  });

  it('through a link that leads there', async () => {
    const link = join(root, 'proc-link');
    symlinkSync('/proc/self', link);
    const { status, body } = await host.call('library.create', { path: join(link, 'lib') });
    expect(status).toBe(400);
    expect(body.error?.message).toContain('which leads to /proc/');
    await engineAnswersWithinASecond();
    expect((await host.call('library.current')).body.value).toMatchObject({ path: lib });
  });
});

describe('paths of another platform get a validation error naming them (#9, item 10)', () => {
  it.each(['C:\\Users\\me\\VideoChat2-IT', 'D:/data', '\\\\server\\share\\vc2'])('%s', async (path) => {
    for (const method of ['library.create', 'library.open', 'export.start', 'annotations.import']) {
      const { status, body } = await host.call(method, { path });
      expect({ method, status, code: body.error?.code }).toEqual({ method, status: 400, code: 'VALIDATION_ERROR' });
      expect(body.error?.message).toContain('is a Windows path');
    }
  });
});
