import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir';

// Hostile refs and media trees (issue 9) through the real CLI: a verdict per ref, never a failed verify, and
// nothing read from behind a link that leads out of the source folder.

const rec = (ref: string) => ({ video: ref, QA: [{ i: 'Describe.', q: '', a: 'Something.' }] });

function vc2m(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [resolve('dist/main/vc2m.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: tempDir(), ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function library(refs: string[]) {
  const env = { VC2M_CONFIG_DIR: tempDir() };
  const lib = join(tempDir(), 'lib');
  vc2m(['init', lib], env);
  const annotations = tempDir();
  const file = join(annotations, 'video/caption/webvid/train.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(refs.map(rec)));
  expect(vc2m(['annotations', 'import', annotations], env).code).toBe(0);
  const webvid = join(lib, 'media', 'webvid');
  mkdirSync(join(webvid, 'ok'), { recursive: true });
  writeFileSync(join(webvid, 'ok', '1.mp4'), 'mp4');
  return { env, webvid };
}

const missingOf = (stdout: string) =>
  Object.fromEntries(
    (JSON.parse(stdout).missing as Array<{ ref: string; reason: string; expected: string | null }>).map((m) => [
      m.ref.length > 100 ? `long:${m.ref.length}` : m.ref,
      { reason: m.reason, expected: m.expected },
    ]),
  );

describe('verify probe: hostile refs', () => {
  it('reports a ref longer than PATH_MAX as not found with the reason, echoing a bounded prefix, and verifies the rest', () => {
    const huge = `${'a/'.repeat(500_000)}x.mp4`;
    const { env } = library(['ok/1.mp4', huge]);
    const result = vc2m(['verify', '--subset', 'caption_webvid', '--json'], env);
    expect(result.stderr.length).toBeLessThan(5000);
    expect(result.code).toBe(1);
    const missing = missingOf(result.stdout);
    expect(missing[`long:${huge.length}`]?.reason).toBe('not-found');
    expect(missing[`long:${huge.length}`]?.expected).toMatch(/… \([\d,]+ characters\) \(ENAMETOOLONG: [^)]+\)$/);
    expect(missing[`long:${huge.length}`]?.expected?.length).toBeLessThan(500);
    expect(JSON.parse(result.stdout).subsets.find((s: { id: string }) => s.id === 'caption_webvid')).toMatchObject({ present: 1, missing: 1 });
  });

  it('never follows a folder link out of the source folder, at the container level either', () => {
    const { env, webvid } = library(['etc/passwd', 'inside/1.mp4']);
    const outside = tempDir();
    writeFileSync(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    symlinkSync(outside, join(webvid, 'etc'));
    symlinkSync(join(webvid, 'ok'), join(webvid, 'inside'));
    const result = vc2m(['verify', '--level', 'container', '--subset', 'caption_webvid', '--json'], env);
    const missing = missingOf(result.stdout);
    expect(missing['etc/passwd']).toEqual({ reason: 'unsafe-ref', expected: null });
    // The link that stays inside the root is followed: its (fake) file is parsed and found not to be media.
    expect(missing['inside/1.mp4']?.reason).toMatch(/^corrupt:/);
  });
});
