import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/fixtures/temp-dir';

const rec = (key: 'video' | 'image', ref: string) => ({ [key]: ref, QA: [{ i: 'Describe.', q: '', a: 'Something.' }] });

function put(root: string, files: Record<string, unknown>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

function vc2m(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [resolve('dist/main/vc2m.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: tempDir(), ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Media laid out the way the real distributions arrive, with known missing, corrupt and unsafe cases. */
function library() {
  const env = { VC2M_CONFIG_DIR: tempDir() };
  const lib = join(tempDir(), 'lib');
  vc2m(['init', lib], env);
  const annotations = tempDir();
  put(annotations, {
    'video/reasoning/clevrer_qa/train.json': [
      rec('video', 'video_05028.mp4'),
      rec('video', 'video_00010.mp4'),
      rec('video', 'video_09999.mp4'),
      rec('video', 'video_05028.mp4'),
    ],
    'video/classification/k710/train.json': [
      rec('video', 'k400/Bw6m04_IxTI.mp4'),
      rec('video', 'p2:s3://k600/train_videos/eating_chips/xqnJh1oiEIU_000001_000011.mp4'),
      rec('video', 'p2:s3://k700/train/swing_dancing/M4YR9XvLZ_I_000005_000015.mp4'),
    ],
    'video/conversation/videochatgpt/train.json': [rec('video', 'v_abcdefghijk.mp4'), rec('video', 'v_zerobytes00.mp4')],
    'video/caption/webvid/train.json': [rec('video', '000001_000050/1066682446.mp4'), rec('video', '../escape.mp4'), rec('video', '000001_000050/link.mp4')],
    'video/conversation/videochat2/train.json': [rec('video', 'pvideo:LLP1dosmfIw_683.24.mp4')],
    'video/caption/sharegptvideo/train_300k.json': [rec('video', 'v_OiL6Aj0gC14-Scene-006'), rec('video', 'v_empty000000-Scene-001')],
    'image/classification/imagenet/train.json': [rec('image', 'train/0.jpg')],
    'image/classification/coco_itm/train.json': [rec('image', 'train/0.jpg')],
  });
  expect(vc2m(['annotations', 'import', annotations], env).code).toBe(0);
  const media = join(lib, 'media');
  put(media, {
    'clevrer/video_train/video_05000-06000/video_05028.mp4': 'mp4',
    'clevrer/video_train/video_00000-01000/video_00010.mp4': 'mp4',
    'kinetics/k400/train/abseiling/Bw6m04_IxTI_000010_000020.mp4': 'mp4',
    'kinetics/k600/train/xqnJh1oiEIU_000001_000011.mp4': 'mp4',
    'activitynet/v_abcdefghijk.mkv': 'mkv',
    'activitynet/v_zerobytes00.mp4': '',
    'webvid/000001_000050/1066682446.mp4': 'mp4',
    'sharegptvideo/v_OiL6Aj0gC14-Scene-006/000001.jpg': 'jpg',
    'm3it/imagenet/train/0.jpg': 'jpg',
  });
  mkdirSync(join(media, 'sharegptvideo', 'v_empty000000-Scene-001'), { recursive: true });
  const outside = join(tempDir(), 'secret.mp4');
  writeFileSync(outside, 'outside');
  symlinkSync(outside, join(media, 'webvid', '000001_000050', 'link.mp4'));
  return { env, lib, media };
}

describe('vc2m verify (quick)', () => {
  it('resolves refs the way the media really arrive and reports exactly what is missing and why', () => {
    const { env, media } = library();
    const result = vc2m(['verify', '--json'], env);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.schema).toBe('vc2m.report/1');
    const subsets = Object.fromEntries(report.subsets.map((s: { id: string }) => [s.id, s]));
    expect(subsets.reasoning_clevrer_qa).toMatchObject({ records: 4, media: 3, present: 2, missing: 1, corrupt: 0, ok_records: 3 });
    expect(subsets.classification_k710).toMatchObject({ records: 3, media: 3, present: 2, missing: 1, ok_records: 2 });
    expect(subsets.conversation_videochatgpt).toMatchObject({ media: 2, present: 1, corrupt: 1, ok_records: 1 });
    expect(subsets.caption_webvid).toMatchObject({ records: 3, media: 3, present: 1, missing: 2, ok_records: 1 });
    expect(subsets.conversation_videochat2).toMatchObject({ media: 1, missing: 1, ok_records: 0 });
    expect(subsets.caption_sharegptvideo_300k).toMatchObject({ media: 2, present: 1, corrupt: 1 });
    expect(subsets.classification_imagenet).toMatchObject({ media: 1, present: 1, ok_records: 1 });
    expect(subsets.classification_coco_itm).toMatchObject({ media: 1, missing: 1, ok_records: 0 });

    const reasons = Object.fromEntries(report.missing.map((m: { subset: string; ref: string; reason: string }) => [`${m.subset} ${m.ref}`, m.reason]));
    expect(reasons).toEqual({
      'reasoning_clevrer_qa video_09999.mp4': 'not-found',
      'classification_k710 p2:s3://k700/train/swing_dancing/M4YR9XvLZ_I_000005_000015.mp4': 'not-found',
      'conversation_videochatgpt v_zerobytes00.mp4': 'corrupt:the file is empty (0 bytes)',
      'caption_webvid ../escape.mp4': 'unsafe-ref',
      'caption_webvid 000001_000050/link.mp4': 'unsafe-ref',
      'conversation_videochat2 pvideo:LLP1dosmfIw_683.24.mp4': 'internal-storage-ref',
      'caption_sharegptvideo_300k v_empty000000-Scene-001': 'corrupt:the frame folder is empty',
      'classification_coco_itm train/0.jpg': 'not-found',
    });
    expect(report.missing.find((m: { ref: string }) => m.ref === 'train/0.jpg').expected).toBe(join(media, 'm3it', 'coco-itm', 'train', '0.jpg'));
    const sources = Object.fromEntries(report.sources.map((s: { id: string }) => [s.id, s]));
    expect(sources.m3it).toMatchObject({ media: 2, present: 1, missing: 1, subsets: ['classification_imagenet', 'classification_coco_itm'] });
    // The rule that found each file is kept and counted per source.
    expect(sources.kinetics.found_by).toEqual({ 'kinetics-ytid': 1, 'kinetics-basename': 1 });
    expect(sources.clevrer.found_by).toEqual({ basename: 2 });
    expect(sources.activitynet.found_by).toEqual({ extension: 1 });
    expect(vc2m(['report'], env).stdout).toContain('kinetics: found 1 by kinetics-basename, 1 by kinetics-ytid');
  });

  it('finds a file in its bucket even when a link of the same name elsewhere leads out of the root', () => {
    const { env, media } = library();
    const outside = join(tempDir(), 'elsewhere.mp4');
    writeFileSync(outside, 'x');
    mkdirSync(join(media, 'clevrer', 'aaa'), { recursive: true });
    symlinkSync(outside, join(media, 'clevrer', 'aaa', 'video_09999.mp4'));
    const report = JSON.parse(vc2m(['verify', '--subset', 'reasoning_clevrer_qa', '--json'], env).stdout);
    expect(report.missing.find((m: { ref: string }) => m.ref === 'video_09999.mp4').reason).toBe('unsafe-ref');
    put(media, { 'clevrer/video_train/video_09000-10000/video_09999.mp4': 'mp4' });
    const again = JSON.parse(vc2m(['verify', '--subset', 'reasoning_clevrer_qa', '--json'], env).stdout);
    expect(again.subsets.find((s: { id: string }) => s.id === 'reasoning_clevrer_qa')).toMatchObject({ present: 3, missing: 0 });
  });

  it('checks again only what changed, and finds a file added to a bucket folder', () => {
    const { env, media } = library();
    vc2m(['verify'], env);
    const again = vc2m(['verify'], env);
    expect(again.stdout).toMatch(/^0 media checked, 16 unchanged/m);
    put(media, { 'clevrer/video_train/video_09000-10000/video_09999.mp4': 'mp4' });
    const after = vc2m(['verify', '--subset', 'reasoning_clevrer_qa', '--json'], env);
    const clevrer = JSON.parse(after.stdout).subsets.find((s: { id: string }) => s.id === 'reasoning_clevrer_qa');
    expect(clevrer).toMatchObject({ present: 3, missing: 0, ok_records: 4 });
  });

  it('exports the report as CSV, and the missing list with reasons', () => {
    const { env } = library();
    vc2m(['verify'], env);
    const csv = vc2m(['report', '--csv'], env);
    expect(csv.stdout.split('\n')[0]).toBe('id,source,records,media,present,missing,corrupt,unchecked,ok_records,bytes');
    expect(csv.stdout).toContain('reasoning_clevrer_qa,clevrer,4,3,2,1,0,0,3,');
    const missing = vc2m(['report', '--csv', '--missing'], env);
    expect(missing.stdout).toContain('conversation_videochat2,internvid,pvideo:LLP1dosmfIw_683.24.mp4,internal-storage-ref,');
    expect(missing.code).toBe(1);
  });
});

describe('vc2m verify (container)', () => {
  it('parses the files in-process and reports what is wrong with a damaged one', () => {
    const { env } = library();
    // Quick-level fakes ("mp4" text) are not media: the container level must say so.
    const result = vc2m(['verify', '--level', 'container', '--subset', 'caption_webvid', '--json'], env);
    const webvid = JSON.parse(result.stdout).subsets.find((s: { id: string }) => s.id === 'caption_webvid');
    expect(webvid).toMatchObject({ present: 0, corrupt: 1, missing: 2 });
    const reason = JSON.parse(result.stdout).missing.find((m: { ref: string }) => m.ref === '000001_000050/1066682446.mp4').reason;
    expect(reason).toMatch(/^corrupt:(too short|not a recognised media format)/);
  });
});

describe('vc2m verify (decode)', () => {
  it('lets ffmpeg decode what parses, and reports its errors verbatim', () => {
    const { env, media } = library();
    const good = join(media, 'webvid', '000001_000050', '1066682446.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=10:duration=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', good]);
    const damaged = readFileSync(good);
    damaged.fill(0, Math.floor(damaged.length * 0.5), Math.floor(damaged.length * 0.5) + 512);
    writeFileSync(join(media, 'webvid', '000001_000050', 'damaged.mp4'), damaged);
    const annotations = tempDir();
    put(annotations, { 'video/vqa/webvid_qa/train.json': [rec('video', '000001_000050/1066682446.mp4'), rec('video', '000001_000050/damaged.mp4')] });
    vc2m(['annotations', 'import', annotations], env);

    const container = JSON.parse(vc2m(['verify', '--level', 'container', '--subset', 'vqa_webvid_qa', '--json'], env).stdout);
    expect(container.subsets.find((s: { id: string }) => s.id === 'vqa_webvid_qa')).toMatchObject({ present: 2, corrupt: 0 });
    const decoded = JSON.parse(vc2m(['verify', '--level', 'decode', '--subset', 'vqa_webvid_qa', '--json'], env).stdout);
    expect(decoded.subsets.find((s: { id: string }) => s.id === 'vqa_webvid_qa')).toMatchObject({ present: 1, corrupt: 1, ok_records: 1 });
    expect(decoded.missing.find((m: { ref: string }) => m.ref === '000001_000050/damaged.mp4').reason).toMatch(/^corrupt:ffmpeg: /);
  }, 60_000);
});

describe('vc2m export', () => {
  it('writes exactly the verified records, with refs pointing where the files really are, and a loadable instruction_data.py', () => {
    const { env, lib, media } = library();
    vc2m(['verify'], env);
    const out = join(tempDir(), 'train');
    const result = vc2m(['export', out], env);
    expect(result.code).toBe(0);
    const read = (path: string) => JSON.parse(readFileSync(join(out, 'annotations', path), 'utf8')) as Array<Record<string, unknown>>;
    expect(read('video/reasoning/clevrer_qa/train.json').map((r) => r.video)).toEqual([
      'video_train/video_05000-06000/video_05028.mp4',
      'video_train/video_00000-01000/video_00010.mp4',
      'video_train/video_05000-06000/video_05028.mp4',
    ]);
    expect(read('video/classification/k710/train.json').map((r) => r.video)).toEqual([
      'k400/train/abseiling/Bw6m04_IxTI_000010_000020.mp4',
      'k600/train/xqnJh1oiEIU_000001_000011.mp4',
    ]);
    expect(read('video/conversation/videochatgpt/train.json').map((r) => r.video)).toEqual(['v_abcdefghijk.mkv']);
    expect(read('video/caption/webvid/train.json')).toEqual([rec('video', '000001_000050/1066682446.mp4')]);
    expect(read('video/conversation/videochat2/train.json')).toEqual([]);

    const config = join(out, 'instruction_data.py');
    const python = spawnSync(
      'python3',
      ['-c', `exec(open(${JSON.stringify(config)}).read()); import json; print(json.dumps({k: v for k, v in available_corpus.items()}))`],
      { encoding: 'utf8' },
    );
    expect(python.stderr).toBe('');
    const corpus = JSON.parse(python.stdout);
    expect(corpus.reasoning_clevrer_qa).toEqual([join(out, 'annotations', 'video/reasoning/clevrer_qa/train.json'), join(media, 'clevrer'), 'video']);
    expect(corpus.classification_imagenet).toEqual([join(out, 'annotations', 'image/classification/imagenet/train.json'), join(media, 'm3it', 'imagenet')]);
    expect(corpus.caption_sharegptvideo_300k.slice(2)).toEqual(['video', 'img']);
    expect(corpus.videochat2_instruction).toContainEqual(corpus.reasoning_clevrer_qa);
    expect(vc2m(['export', join(lib, 'inside')], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('outside the library') });
  });
});
