import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MissingCursor } from '../../shared/api/models';
import { catalog } from '../../shared/catalog/index';
import { writeAnnotationFixture } from '../../tests/fixtures/annotation-fixture';
import {
  type ExpectedMissing,
  expectedExportRefs,
  expectedReport,
  type MediaTreeTruth,
  type TruthLevel,
  writeMediaTree,
} from '../../tests/fixtures/media-tree';
import { tempDir } from '../../tests/fixtures/temp-dir';
import type { LibraryDatabase } from '../services/library/db';
import { type MissingFilter, missingMedia } from '../services/verify/verify-report';

// Every subset of the small annotation fixture, with its media laid out as the real distributions arrive (CLEVRER
// buckets, Kinetics <ytid>_<start>_<end>.mp4 in class folders, ANet .mkv, WebVid page_dir/videoid.mp4, EgoQA
// uid/split_k.mp4, TGIF gifs, M3IT <task>/train/<idx>.jpg, frame folders) and known missing, empty, truncated and
// escaping files: the report must be the generator's ground truth, subset by subset, ref by ref.

function vc2m(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [resolve('dist/main/vc2m.js'), ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Report {
  subsets: Array<{ id: string; records: number; media: number; present: number; missing: number; corrupt: number; ok_records: number }>;
  missing: Array<{ subset: string; ref: string; reason: string }>;
}

let env: Record<string, string>;
let lib: string;
let truth: MediaTreeTruth;
let base: string;

afterAll(() => rmSync(base, { recursive: true, force: true }));

beforeAll(async () => {
  // Not tempDir(): that is emptied after each test, and this library serves them all.
  base = mkdtempSync(join(tmpdir(), 'vc2-truth-'));
  env = { VC2M_CONFIG_DIR: join(base, 'config'), HOME: base };
  lib = join(base, 'lib');
  const annotations = join(base, 'annotations');
  await writeAnnotationFixture(annotations, { scale: 'small', seed: 7 });
  expect(vc2m(['init', lib], env).code).toBe(0);
  expect(vc2m(['annotations', 'import', annotations], env).code).toBe(0);
  truth = writeMediaTree(annotations, join(lib, 'media'), { content: 'media', seed: 7, outside: join(base, 'elsewhere') });
}, 120_000);

function compare(report: Report, level: TruthLevel): void {
  const want = expectedReport(truth, level);
  const got = new Map(report.subsets.map((s) => [s.id, s]));
  for (const expected of want.subsets) {
    const s = got.get(expected.id);
    expect({
      id: expected.id,
      records: s?.records,
      media: s?.media,
      present: s?.present,
      missing: s?.missing,
      corrupt: s?.corrupt,
      ok_records: s?.ok_records,
    }).toEqual(expected);
  }
  const key = (m: { subset: string; ref: string }) => `${m.subset} ${m.ref}`;
  const reasons = new Map(report.missing.map((m) => [key(m), m.reason]));
  expect([...reasons.keys()].sort()).toEqual(want.missing.map(key).sort());
  const wrong = want.missing.filter((m: ExpectedMissing) => {
    const reason = reasons.get(key(m)) ?? '';
    return m.reason === 'corrupt:' ? !reason.startsWith('corrupt:') || reason === 'corrupt:' : reason !== m.reason;
  });
  expect(wrong).toEqual([]);
}

describe('vc2m verify against a generated media tree', () => {
  it('covers every layout and every fate', () => {
    const fates = (source: string) => new Set([...truth.media.entries()].filter(([key]) => key.startsWith(`${source}\0`)).map(([, m]) => m.fate));
    for (const source of ['clevrer', 'kinetics', 'activitynet', 'webvid', 'tgif', 'm3it']) {
      expect({ source, fates: [...fates(source)].sort() }).toEqual({ source, fates: ['empty', 'escaping-link', 'missing', 'ok', 'truncated'] });
    }
    expect([...fates('sharegptvideo')].sort()).toEqual(['empty', 'missing', 'ok', 'truncated']);
    const placedBy = (source: string, pattern: RegExp) =>
      [...truth.media.entries()].some(([key, m]) => key.startsWith(`${source}\0`) && m.placed !== null && pattern.test(m.placed));
    expect(placedBy('clevrer', /^video_train\/video_\d{5}-\d{5}\/video_\d{5}\.mp4$/)).toBe(true);
    expect(placedBy('kinetics', /^k400\/train\/[a-z_]+\/[\w-]{11}_\d{6}_\d{6}\.mp4$/)).toBe(true);
    expect(placedBy('activitynet', /^v_[\w-]{11}\.mkv$/)).toBe(true);
    expect(placedBy('webvid', /^\d{6}_\d{6}\/\d+\.mp4$/)).toBe(true);
    expect(placedBy('egoqa', /^[0-9a-f-]{36}\/split_\d+\.mp4$/)).toBe(true);
    expect(placedBy('tgif', /\.gif$/)).toBe(true);
    expect(placedBy('m3it', /^train\/\d+\.jpg$/)).toBe(true);
    expect(truth.subsets.length).toBe(catalog.subsets.filter((s) => s.source).length);
  });

  it('quick: reports exactly the ground truth for every subset, and only what changed is checked again', () => {
    const result = vc2m(['verify', '--json'], env);
    expect(result.code).toBe(1);
    compare(JSON.parse(result.stdout) as Report, 'quick');
    const again = vc2m(['verify'], env);
    expect(again.stdout).toMatch(/^0 media checked, [\d,]+ unchanged/m);
  });

  it('container: finds the truncated files too, and the export holds exactly the records whose media checked out', () => {
    const result = vc2m(['verify', '--level', 'container', '--json'], env);
    expect(result.code).toBe(1);
    compare(JSON.parse(result.stdout) as Report, 'container');

    const out = join(tempDir(), 'train');
    expect(vc2m(['export', out, '--level', 'container'], env).code).toBe(0);
    for (const s of truth.subsets) {
      const subset = catalog.subsets.find((c) => c.id === s.id);
      if (!subset?.mediaKey) continue;
      const records = JSON.parse(readFileSync(join(out, 'annotations', subset.annotationPath), 'utf8')) as Array<Record<string, unknown>>;
      expect({ id: s.id, refs: records.map((r) => r[subset.mediaKey as string]) }).toEqual({ id: s.id, refs: expectedExportRefs(truth, s.id, 'container') });
    }
  });

  it('a quick verify after a container verify keeps what the deeper check found, and nothing unchanged is parsed again', () => {
    const result = vc2m(['verify', '--json'], env);
    compare(JSON.parse(result.stdout) as Report, 'container');
    // A file rewritten in place with its size and mtime kept is taken as unchanged (that is the contract)...
    const sample = [...truth.media.entries()].find(([k, m]) => k.startsWith('webvid\0') && m.fate === 'ok')?.[1];
    if (!sample?.placed) throw new Error('the tree has no intact WebVid file');
    const file = join(lib, 'media', 'webvid', sample.placed);
    // A whole-second mtime, so that putting it back is exact.
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(vc2m(['verify', '--level', 'container'], env).stdout).toMatch(/^1 media checked/m);
    writeFileSync(file, Buffer.alloc(statSync(file).size));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(vc2m(['verify', '--level', 'container'], env).stdout).toMatch(/^0 media checked, [\d,]+ unchanged/m);
    // ...and --force parses it again.
    const forced = JSON.parse(vc2m(['verify', '--level', 'container', '--force', '--source', 'webvid', '--json'], env).stdout) as Report;
    expect(forced.missing.filter((m) => m.ref === sample.ref).map((m) => m.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/^corrupt:/)]));
  });

  it('pages the missing list by key, in the order of the full report, filters included', () => {
    const full = (JSON.parse(vc2m(['report', '--json', '--missing'], env).stdout) as Report).missing;
    const db = new Database(join(lib, 'library.sqlite'), { readonly: true }) as LibraryDatabase;
    try {
      const walk = (filter: MissingFilter) => {
        const seen: string[] = [];
        let after: MissingCursor | undefined;
        for (let pages = 0; pages < 1000; pages++) {
          const page = missingMedia(db, filter, { after, offset: 0, limit: 37, count: pages === 0 });
          if (pages === 0) expect(page.total).toBeGreaterThan(37);
          else expect(page.total).toBeNull();
          seen.push(...page.rows.map((m) => `${m.subset} ${m.ref} ${m.reason}`));
          if (!page.next) return seen;
          after = page.next;
        }
        throw new Error('the pages never ended');
      };
      expect(walk({})).toEqual(full.map((m) => `${m.subset} ${m.ref} ${m.reason}`));
      expect(walk({ reason: 'not-found' })).toEqual(full.filter((m) => m.reason === 'not-found').map((m) => `${m.subset} ${m.ref} ${m.reason}`));
    } finally {
      db.close();
    }
  });
});
