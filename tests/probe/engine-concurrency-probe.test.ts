import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subsetById } from '../../shared/catalog/index';
import { writeAnnotationFixture } from '../fixtures/annotation-fixture';
import { type RunningHost, startHost } from '../fixtures/engine';

// Every job kind at once against one library (#9): two imports of different versions, import + verify,
// verify + export, cancel mid-way, and kill -9 mid-way then a restart. After each: the engine answered within a
// second throughout, integrity_check is ok, every subset ingested before still has its records, and the folders
// the jobs read from are byte for byte as they were.

interface Job {
  id: number;
  state: string;
  message: string | null;
}

let root: string;
let host: RunningHost;
let lib: string;
let versionA: string;
let versionB: string;
let expected: Record<string, number>;

function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) =>
    join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)),
  )) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) hash.update(`${path}\0${statSync(path).size}\0`).update(readFileSync(path));
  }
  return hash.digest('hex');
}

function integrity(databasePath: string): string {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

async function call<T>(method: string, args: unknown = {}): Promise<T> {
  const { status, body } = await host.call(method, args);
  if (status !== 200) throw new Error(`${method}: ${status} ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** Waits for the jobs to end, timing an API call every 20 ms meanwhile; returns the slowest answer. */
async function settle(ids: number[]): Promise<{ jobs: Job[]; slowestMs: number }> {
  let slowestMs = 0;
  for (;;) {
    const started = Date.now();
    const jobs = await Promise.all(ids.map((id) => call<Job>('jobs.get', { id })));
    slowestMs = Math.max(slowestMs, Date.now() - started);
    if (jobs.every((j) => ['finished', 'failed', 'cancelled'].includes(j.state))) return { jobs, slowestMs };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function records(): Promise<Record<string, number | null>> {
  const status = await call<{ subsets: Array<{ id: string; records: number | null }> }>('annotations.status');
  return Object.fromEntries(status.subsets.map((s) => [s.id, s.records]));
}

beforeAll(async () => {
  // One folder for the whole file (the per-test temp helper would remove it after the first test).
  root = mkdtempSync(join(tmpdir(), 'vc2-concurrency-'));
  versionA = join(root, 'dataset-a');
  versionB = join(root, 'dataset-b');
  // Two versions of every file: same record counts, other content (another seed), so each import really ingests.
  const truth = await writeAnnotationFixture(versionA, { scale: 'small', seed: 1 });
  await writeAnnotationFixture(versionB, { scale: 'small', seed: 2 });
  expected = Object.fromEntries(truth.subsets.map((s) => [s.id, s.records]));
  host = await startHost(join(root, 'config'));
  lib = join(root, 'lib');
  await call('library.create', { path: lib });
  const first = await call<Job>('annotations.import', { path: versionA });
  expect((await settle([first.id])).jobs[0]?.state).toBe('finished');
  expect(await records()).toMatchObject(expected);
}, 120_000);

afterAll(async () => {
  await host?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('concurrent jobs on one library', () => {
  it('two imports of different versions and one of the same, with a verify beside them: no subset is lost', async () => {
    const sources = [fingerprint(versionA), fingerprint(versionB)];
    const ids = [
      (await call<Job>('annotations.import', { path: versionB })).id,
      (await call<Job>('annotations.import', { path: versionA })).id,
      (await call<Job>('verify.start', { level: 'quick' })).id,
      (await call<Job>('annotations.import', { path: versionA })).id,
    ];
    const { jobs, slowestMs } = await settle(ids);
    expect(jobs.map((j) => j.state)).toEqual(['finished', 'finished', 'finished', 'finished']);
    expect(slowestMs).toBeLessThan(1000);
    expect(await records()).toMatchObject(expected);
    // Queue order holds: version A went in last, so it is current.
    expect(jobs[3]?.message).toMatch(/0 ingested, \d+ unchanged/);
    expect(integrity(join(lib, 'library.sqlite'))).toBe('ok');
    expect([fingerprint(versionA), fingerprint(versionB)]).toEqual(sources);
  });

  it('verify and export at once, and an import cancelled mid-way, keep every subset', async () => {
    const out = join(root, 'train');
    const ids = [(await call<Job>('verify.start', { level: 'container', force: true })).id, (await call<Job>('export.start', { path: out })).id];
    const importB = await call<Job>('annotations.import', { path: versionB });
    // Cancel once it has begun writing (or straight away if it is still queued behind the export).
    for (let n = 0; n < 500 && (await call<Job>('jobs.get', { id: importB.id })).state === 'queued'; n++) await new Promise((r) => setTimeout(r, 5));
    await call('jobs.cancel', { ids: [importB.id] });
    const { jobs, slowestMs } = await settle([...ids, importB.id]);
    expect(jobs.slice(0, 2).map((j) => j.state)).toEqual(['finished', 'finished']);
    expect(['cancelled', 'finished']).toContain(jobs[2]?.state);
    expect(slowestMs).toBeLessThan(1000);
    expect(await records()).toMatchObject(expected);
    expect(integrity(join(lib, 'library.sqlite'))).toBe('ok');
    const webvid = subsetById('caption_webvid');
    expect(Array.isArray(JSON.parse(readFileSync(join(out, 'annotations', webvid?.annotationPath ?? ''), 'utf8')))).toBe(true);
  });
});

describe('kill -9 mid-import, then a restart beside a new import', () => {
  it('keeps every subset ingested before, and the resumed and the new import both end', async () => {
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [resolve('dist/main/vc2m.js'), ...args], {
        env: { PATH: process.env.PATH, HOME: root, VC2M_CONFIG_DIR: join(root, 'cli') },
        encoding: 'utf8',
      });
    const killLib = join(root, 'kill-lib');
    expect(cli(['init', killLib]).status).toBe(0);
    expect(cli(['annotations', 'import', versionA, '--library', killLib]).status).toBe(0);
    // A big file for one subset so the import is surely mid-way when it is killed.
    const big = join(root, 'dataset-big');
    const webvid = subsetById('caption_webvid');
    mkdirSync(join(big, 'video/caption/webvid'), { recursive: true });
    const text = 'A person walks a dog along a river while the sun sets behind the trees.';
    writeFileSync(
      join(big, webvid?.annotationPath ?? ''),
      `[${Array.from({ length: 150_000 }, (_, i) => JSON.stringify({ video: `${i % 997}/${i}.mp4`, QA: [{ i: 'Describe.', q: '', a: `${text} ${i}` }] })).join(',\n')}]`,
    );
    const before = fingerprint(big);
    const child: ChildProcess = spawn(process.execPath, [resolve('dist/main/vc2m.js'), 'annotations', 'import', big, '--library', killLib], {
      env: { PATH: process.env.PATH, HOME: root, VC2M_CONFIG_DIR: join(root, 'cli') },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    // Mid-way: its new version has begun (rows of an 'ingesting' version are in the file).
    const db = new Database(join(killLib, 'library.sqlite'), { readonly: true });
    const ingesting = db.prepare(`SELECT count(*) FROM records r JOIN annotation_files f ON f.id = r.file_id WHERE f.state = 'ingesting'`).pluck();
    for (let n = 0; n < 2000 && (ingesting.get() as number) === 0; n++) await new Promise((r) => setTimeout(r, 5));
    db.close();
    child.kill('SIGKILL');
    await exited;

    // The restart resumes the killed import (its job was left running) and runs a new one after it.
    const again = cli(['annotations', 'import', versionB, '--library', killLib]);
    expect(again.status, again.stderr).toBe(0);
    const status = cli(['status', '--json', '--library', killLib]);
    const counts = Object.fromEntries((JSON.parse(status.stdout).subsets as Array<{ id: string; records: number | null }>).map((s) => [s.id, s.records]));
    expect(counts).toMatchObject({ ...expected, caption_webvid: expect.any(Number) });
    expect([expected.caption_webvid, 150_000]).toContain(counts.caption_webvid);
    expect(integrity(join(killLib, 'library.sqlite'))).toBe('ok');
    expect(fingerprint(big)).toBe(before);
  }, 120_000);
});
