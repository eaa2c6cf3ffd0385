import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/fixtures/temp-dir';

const rec = (video: string) => ({ video, QA: [{ i: 'Describe the video.', q: '', a: 'Something happens.' }] });

/** A folder shaped like the Hub repo, with the given files. */
function annotationTree(root: string, files: Record<string, unknown>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

function vc2m(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [resolve('dist/main/vc2m.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: env.HOME ?? tempDir(), ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('vc2m', () => {
  it('init, annotations import, status --json: counts match the files, and a second import changes nothing', () => {
    const env = { VC2M_CONFIG_DIR: tempDir() };
    const library = join(tempDir(), 'lib');
    const tree = annotationTree(tempDir(), {
      'video/caption/webvid/train.json': [rec('000001_000050/1.mp4'), rec('000001_000050/2.mp4'), rec('000001_000050/1.mp4')],
      'video/caption/webvid/instructions.json': ['Describe the video.'],
      'video/classification/k710/train.json': [
        rec('k400/Bw6m04_IxTI.mp4'),
        rec('p2:s3://k600/train_videos/eating_chips/xqnJh1oiEIU_000001_000011.mp4'),
        rec(''),
      ],
      'text/sharegpt/train.json': [{ QA: [{ q: 'hi', a: 'hello' }] }],
    });
    expect(vc2m(['init', library], env)).toMatchObject({ code: 0 });
    const imported = vc2m(['annotations', 'import', tree], env);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('3 ingested, 0 unchanged of 3 annotation files');

    const status = vc2m(['status', '--json'], env);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.schema).toBe('vc2m.status/1');
    expect(report.subsets).toHaveLength(60);
    const byId = Object.fromEntries(report.subsets.map((s: { id: string }) => [s.id, s]));
    expect(byId.caption_webvid).toMatchObject({ records: 3, mediaRefs: 2, flagged: 0, expectedRecords: 400000, origin: 'folder' });
    expect(byId.classification_k710).toMatchObject({ records: 3, mediaRefs: 2, flagged: 1 });
    expect(byId.conversation_sharegpt).toMatchObject({ records: 1, mediaRefs: 0 });
    expect(byId.caption_coco).toMatchObject({ records: null });

    expect(vc2m(['annotations', 'import', tree], env).stdout).toContain('0 ingested, 3 unchanged');
  });

  it('reports a malformed file with its byte offset, exits 1, and keeps the subset as it was', () => {
    const env = { VC2M_CONFIG_DIR: tempDir() };
    const library = join(tempDir(), 'lib');
    vc2m(['init', library], env);
    vc2m(
      ['annotations', 'import', annotationTree(tempDir(), { 'video/vqa/ego_qa/train.json': [rec('d250521e-5197-44aa-8baa-2f42b24444d2/split_0.mp4')] })],
      env,
    );
    const broken = annotationTree(tempDir(), { 'video/vqa/ego_qa/train.json': '[{"video": "a/split_0.mp4", "QA": [}]' });
    const result = vc2m(['annotations', 'import', broken, '--library', library], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${join(broken, 'video/vqa/ego_qa/train.json')}: invalid JSON at byte 35`);
    const report = JSON.parse(vc2m(['status', '--json', '--library', library], env).stdout);
    expect(report.subsets.find((s: { id: string }) => s.id === 'vqa_ego_qa')).toMatchObject({ records: 1, lastError: expect.stringContaining('byte 35') });
  });

  it('imports a Hugging Face cache snapshot without network and records its revision', () => {
    const home = tempDir();
    const env = { VC2M_CONFIG_DIR: tempDir(), HOME: home, HF_HOME: join(home, 'hf') };
    const revision = 'd1e7b3f0c0ffee0000000000000000000000abcd';
    const snapshot = join(home, 'hf', 'hub', 'datasets--OpenGVLab--VideoChat2-IT', 'snapshots', revision);
    annotationTree(snapshot, { 'video/vqa/tgif_frame_qa/train.json': [rec('tumblr_nk172bbdPI1u1lr18o1_250.gif')] });
    vc2m(['init', join(tempDir(), 'lib')], env);
    const detected = JSON.parse(vc2m(['annotations', 'detect', '--json'], env).stdout);
    expect(detected.candidates).toEqual([{ kind: 'hf-cache', path: snapshot, revision, files: 1 }]);
    expect(vc2m(['annotations', 'import', snapshot], env).code).toBe(0);
    const report = JSON.parse(vc2m(['status', '--json'], env).stdout);
    expect(report.revision).toBe(revision);
    expect(report.subsets.find((s: { id: string }) => s.id === 'vqa_tgif_frame_qa')).toMatchObject({ records: 1, origin: 'hf-cache', revision });
  });

  it('lists sources with their roots, and points one at an existing folder', () => {
    const env = { VC2M_CONFIG_DIR: tempDir() };
    const library = join(tempDir(), 'lib');
    vc2m(['init', library], env);
    const kinetics = tempDir();
    expect(vc2m(['sources', 'set-root', 'kinetics', kinetics], env)).toMatchObject({ code: 0 });
    const list = JSON.parse(vc2m(['sources', '--json'], env).stdout);
    expect(list.schema).toBe('vc2m.sources/1');
    expect(list.sources.find((s: { id: string }) => s.id === 'kinetics')).toMatchObject({
      root: kinetics,
      rootIsDefault: false,
      subsets: ['classification_k710', 'caption_vidln_kinetics'],
    });
    expect(list.sources.find((s: { id: string }) => s.id === 'webvid')).toMatchObject({ root: join(library, 'media', 'webvid'), rootIsDefault: true });
    expect(vc2m(['sources', 'set-root', 'nope', kinetics], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown source "nope"') });
  });

  it('takes folders relative to where it runs', () => {
    const env = { VC2M_CONFIG_DIR: tempDir() };
    const cwd = tempDir();
    const result = spawnSync(process.execPath, [resolve('dist/main/vc2m.js'), 'init', 'my-lib'], {
      cwd,
      env: { PATH: process.env.PATH, HOME: tempDir(), ...env },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(join(cwd, 'my-lib', 'library.sqlite'));
  });

  it('explains usage and a missing library with exit code 2', () => {
    const env = { VC2M_CONFIG_DIR: tempDir() };
    expect(vc2m(['frobnicate'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: vc2m') });
    expect(vc2m(['status'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('vc2m init <dir>') });
  });

  it('sources set-mirror sets, checks and clears a mirror without a library open', () => {
    const env = { VC2M_CONFIG_DIR: tempDir() };
    expect(vc2m(['sources', 'set-mirror', 'coco', 'http://10.0.0.5/data/coco/'], env)).toMatchObject({
      code: 0,
      stdout: 'coco is fetched from http://10.0.0.5/data/coco (the path and query of each URL kept)\n',
    });
    expect(vc2m(['sources', 'set-mirror', 'coco', 'ftp://x'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('baseUrl') });
    expect(vc2m(['sources', 'set-mirror', 'internvid', 'http://10.0.0.5/'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('internvid takes no mirror'),
    });
    expect(vc2m(['sources', 'set-mirror', 'coco', '--clear'], env)).toMatchObject({ code: 0, stdout: 'coco: mirror cleared, fetched from its own hosts\n' });
  });
});
