import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { checkContainer } from '../../main/services/verify/containers/check-container';
import { ffprobeOpens, generateMediaCorpus } from '../fixtures/media-corpus';
import { expectedReport, type MediaTreeOptions, writeMediaTree } from '../fixtures/media-tree';
import { apiWhileJobRuns } from './api-latency';
import { cacheDir, fullFixture, run } from './bench-fixture';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = (since: number) => (performance.now() - since) / 1000;

/** Roughly 15% of the full fixture's 1.42 M distinct media present: a little over 200k real files and frame folders. */
const TREE: Omit<MediaTreeOptions, 'outside'> = { content: 'stub', seed: 1, fractions: { missing: 0.85, empty: 0.005, 'escaping-link': 0.001 } };

/**
 * (a) `vc2m verify --level quick` of the full-scale fixture over a media tree of > 200k files, against a sequential
 * loop that stats each ref's path, in the same session with a warm cache; then the report is checked against the
 * tree generator's ground truth.
 */
export async function quickVerifyBench(): Promise<void> {
  const { fixture } = await fullFixture();
  const media = join(cacheDir, 'media-full-seed1');
  const outside = join(cacheDir, 'media-full-seed1-outside');
  const marker = `${media}.json`;
  if (!existsSync(marker)) {
    console.log('writing the full-scale media tree (once; cached in .cache/bench)…');
    rmSync(media, { recursive: true, force: true });
    const { written } = writeMediaTree(fixture, media, { ...TREE, outside });
    writeFileSync(marker, JSON.stringify({ written }));
  }
  const truth = writeMediaTree(fixture, media, { ...TREE, outside, write: false });
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-'));
  const env = { ...process.env, VC2M_CONFIG_DIR: join(work, 'config') };
  const lib = join(work, 'lib');
  const vc2m = (...args: string[]) => run(process.execPath, [join(here, '..', 'main', 'vc2m.js'), ...args], env, [1]);
  try {
    await vc2m('init', lib);
    await vc2m('annotations', 'import', fixture);
    rmSync(join(lib, 'media'), { recursive: true, force: true });
    symlinkSync(media, join(lib, 'media'));

    const db = new Database(join(lib, 'library.sqlite'), { readonly: true });
    const refs = db.prepare('SELECT source_id AS source, subdir, ref FROM media_refs').all() as Array<{ source: string; subdir: string; ref: string }>;
    db.close();
    /** Every `every`-th ref stat'ed, one after the other; the time is scaled up to all refs. */
    const baseline = (every = 1) => {
      const started = performance.now();
      let found = 0;
      for (let i = 0; i < refs.length; i += every) {
        const { source, subdir, ref } = refs[i] as (typeof refs)[number];
        const info = statSync(join(lib, 'media', source, subdir, ref), { throwIfNoEntry: false });
        if (info?.isFile() && info.size > 0) found++;
      }
      return { seconds: seconds(started) * every, found };
    };
    baseline(); // warms the cache for both sides
    const loops = [baseline(), baseline()];
    const loop = loops.reduce((a, b) => (a.seconds <= b.seconds ? a : b));

    let started = performance.now();
    const summary = (out: string) => out.split('\n').find((l) => l.includes('media checked')) ?? out.trim().split('\n')[0];
    const first = summary(await vc2m('verify', '--level', 'quick'));
    const verifyS = seconds(started);
    started = performance.now();
    const again = summary(await vc2m('verify', '--level', 'quick'));
    const againS = seconds(started);

    const report = JSON.parse(await vc2m('report', '--json', '--missing')) as {
      subsets: Array<Record<string, number | string>>;
      missing: Array<{ subset: string; ref: string; reason: string }>;
    };
    const want = expectedReport(truth, 'quick');
    const got = new Map(report.subsets.map((s) => [s.id, s]));
    const fields = ['records', 'media', 'present', 'missing', 'corrupt', 'ok_records'] as const;
    const wrong = want.subsets.filter((w) => fields.some((f) => got.get(w.id)?.[f] !== w[f]));
    const reasons = new Map(report.missing.map((m) => [`${m.subset}\0${m.ref}`, m.reason]));
    const wrongRefs = want.missing.filter((m) => reasons.get(`${m.subset}\0${m.ref}`) !== m.reason).length + Math.abs(reasons.size - want.missing.length);

    console.log('');
    console.log(
      `media refs              ${refs.length.toLocaleString('en-US')} distinct; ${truth.written.toLocaleString('en-US')} files and folders in the tree`,
    );
    console.log(`stat loop (baseline)    ${loop.seconds.toFixed(2)} s  (best of 2, warm cache; ${loop.found.toLocaleString('en-US')} found by plain join)`);
    console.log(`vc2m verify --level quick  ${verifyS.toFixed(2)} s  (${first})`);
    console.log(`  again, nothing changed   ${againS.toFixed(2)} s  (${again})`);
    console.log(`ratio stat loop / verify   ${(loop.seconds / verifyS).toFixed(2)}x   (target >= 3x)`);
    console.log(
      `ground truth: ${want.subsets.length - wrong.length} of ${want.subsets.length} subsets match${wrong.length ? ` (differ: ${wrong.map((w) => w.id).join(', ')})` : ''}; ${wrongRefs} of ${want.missing.length.toLocaleString('en-US')} missing refs differ`,
    );
    await apiWhileVerifying(lib, env.VC2M_CONFIG_DIR);
    await slowStorage({ media, lib, baseline, vc2m, summary, expected: first });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The UI's wait for answers while a full quick verify runs (api-latency.ts). */
async function apiWhileVerifying(lib: string, configDir: string): Promise<void> {
  await apiWhileJobRuns(join(here, '..', 'main'), configDir, 'a full quick verify runs', async (engine) => {
    await engine.call('library.open', { path: lib });
    const started = await engine.call('verify.start', { level: 'quick', force: true });
    if (!started.ok) throw new Error(started.error.message);
    return (started.value as { id: number }).id;
  });
}

/**
 * The same comparison where each stat is a round trip, as on NFS, Lustre or a FUSE file system of a cluster: the
 * tree is mounted through bindfs with the kernel's attribute and name caches off. The loop is timed on 1 ref in 10
 * (all of them would take about ten minutes) and scaled up; the verify runs whole.
 */
async function slowStorage(run: {
  media: string;
  lib: string;
  baseline: (every: number) => { seconds: number; found: number };
  vc2m: (...args: string[]) => Promise<string>;
  summary: (out: string) => string | undefined;
  expected: string | undefined;
}): Promise<void> {
  const mount = mkdtempSync(join(tmpdir(), 'vc2-bench-fuse-'));
  const mounted = spawnSync('bindfs', ['--multithreaded', '-o', 'attr_timeout=0,entry_timeout=0,negative_timeout=0', run.media, mount], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    console.log(`slow storage: skipped (bindfs could not mount: ${(mounted.error?.message ?? mounted.stderr).trim()})`);
    rmdirSync(mount);
    return;
  }
  try {
    rmSync(join(run.lib, 'media'));
    symlinkSync(mount, join(run.lib, 'media'));
    const loop = run.baseline(10);
    const started = performance.now();
    const result = run.summary(await run.vc2m('verify', '--level', 'quick', '--force'));
    const verifyS = seconds(started);
    console.log('');
    console.log('slow storage (bindfs, every stat a round trip to a file server):');
    console.log(`stat loop (baseline)       ${loop.seconds.toFixed(1)} s  (1 ref in 10 timed, x10)`);
    console.log(
      `vc2m verify --level quick  ${verifyS.toFixed(1)} s  (${result}${result === run.expected ? ', as on the local disk' : ', DIFFERENT from the local disk'})`,
    );
    console.log(`ratio stat loop / verify   ${(loop.seconds / verifyS).toFixed(1)}x   (target >= 3x)`);
  } finally {
    spawnSync('fusermount', ['-u', mount]);
    spawnSync('umount', [mount]);
    // rmdir, never a recursive remove: should the unmount have failed, the folder still shows the media tree.
    rmdirSync(mount);
  }
}

/** (b) The container level over 2,000 files against ffprobe per file: time, and whether both say a file opens. */
export async function containerBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vc2-bench-corpus-'));
  try {
    const corpus = generateMediaCorpus(dir);
    const files: string[] = [];
    for (let i = 0; files.length < 2000; i++) {
      const from = corpus[i % corpus.length]?.path as string;
      const copy = join(dir, 'copies', `${i}-${from.split('/').at(-1)}`);
      mkdirSync(dirname(copy), { recursive: true });
      copyFileSync(from, copy);
      files.push(copy);
    }
    let started = performance.now();
    const probe = files.map((f) => ffprobeOpens(f));
    const probeS = seconds(started);
    started = performance.now();
    const ours: Array<Awaited<ReturnType<typeof checkContainer>>> = [];
    for (const f of files) ours.push(await checkContainer(f));
    const oursS = seconds(started);
    const falseOk = files.filter((_, i) => ours[i]?.ok && !probe[i]);
    const disagree = files.filter((_, i) => (ours[i] as Awaited<ReturnType<typeof checkContainer>>).opens !== probe[i]);
    console.log('');
    console.log(`files                       ${files.length} (${corpus.length} distinct: ffmpeg-made originals and damaged copies)`);
    console.log(`ffprobe per file (baseline) ${probeS.toFixed(2)} s`);
    console.log(`container level, in-process ${oursS.toFixed(2)} s`);
    console.log(`ratio ffprobe / container   ${(probeS / oursS).toFixed(1)}x   (target >= 20x)`);
    console.log(`opens: ${disagree.length} disagreements with ffprobe; OK where ffprobe cannot open: ${falseOk.length}`);
    for (const f of new Set(disagree.map((p) => p.split('/').at(-1)?.replace(/^\d+-/, '')))) console.log(`  disagrees: ${f}`);
    const damaged = ours.filter((r) => !r.ok && r.opens).length;
    console.log(`opens but damaged (found by the container level, not by opening): ${damaged}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
