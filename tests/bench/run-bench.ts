import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureText } from '../fixtures/annotation-fixture';
import { startLocalHub } from '../fixtures/local-hub';
import { apiWhileJobRuns } from './api-latency';
import { fullFixture, run } from './bench-fixture';
import { clipsBench } from './clips-bench';
import { downloadBench } from './download-bench';
import { extractBench } from './extract-bench';
import { m3itBench } from './m3it-bench';
import { manifestBench, relinkBench } from './relink-manifest-bench';
import { containerBench, quickVerifyBench } from './verify-bench';
import { viewerBench } from './viewer-bench';

// `npm run bench -- ingest [mixed|ascii] | fetch | verify [quick|container] | download [small|large|kill|split] | extract | viewer | m3it | relink | manifest | clips`: each measures the app against a baseline run in the
// same session (a bare JSON.parse, a stat loop, ffprobe per file) and prints the numbers and their ratio.
const here = dirname(fileURLToPath(import.meta.url));

interface Measure {
  mode: string;
  seconds: number;
  records: number;
  peakRssMb: number;
}

function child(args: string[]): Measure {
  const out = execFileSync(process.execPath, [join(here, 'ingest-child.js'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Measure;
}

/** `fetch`: vc2m init + annotations fetch of the full-scale tree from a local Hub, checked against the truth. */
async function fetchBench(): Promise<void> {
  const { fixture, truth } = await fullFixture();
  const hub = await startLocalHub({ root: fixture, acceptedTokens: ['hf_bench_token_000'] });
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-'));
  const env = { ...process.env, VC2M_CONFIG_DIR: join(work, 'config'), HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'hf_bench_token_000' };
  const vc2m = async (...args: string[]) => {
    const started = performance.now();
    const out = await run(process.execPath, [join(here, '..', 'main', 'vc2m.js'), ...args], env);
    return { out, seconds: (performance.now() - started) / 1000 };
  };
  try {
    await vc2m('init', join(work, 'lib'));
    const first = await vc2m('annotations', 'fetch');
    const resolves = hub.log.filter((l) => l.path.includes('/resolve/')).length;
    const second = await vc2m('annotations', 'fetch');
    const status = JSON.parse((await vc2m('status', '--json')).out) as { subsets: Array<{ id: string; records: number; mediaRefs: number; flagged: number }> };
    const got = new Map(status.subsets.map((s) => [s.id, s]));
    const wrong = truth.subsets.filter((t) => {
      const s = got.get(t.id);
      return s?.records !== t.records || s.mediaRefs !== t.distinctRefs || s.flagged !== t.flagged;
    });
    console.log('');
    console.log(`first fetch   ${first.seconds.toFixed(2)} s: ${first.out.trim()}`);
    console.log(
      `second fetch  ${second.seconds.toFixed(2)} s: ${second.out.trim()} (${hub.log.filter((l) => l.path.includes('/resolve/')).length - resolves} downloads)`,
    );
    console.log(
      `status --json matches the generator for ${truth.subsets.length - wrong.length} of ${truth.subsets.length} subsets${wrong.length ? `; differs: ${wrong.map((w) => w.id).join(', ')}` : ''}`,
    );
  } finally {
    await hub.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** `ingest [mixed|ascii]`: both text profiles unless one is named; `ascii` is the real files' shape (issue 9). */
async function ingestBench(text: FixtureText): Promise<void> {
  const { fixture } = await fullFixture(text);
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-'));
  try {
    const parse = child(['parse', fixture]);
    const ingest = child(['ingest', fixture, join(work, 'lib')]);
    const ratio = ingest.seconds / parse.seconds;
    console.log('');
    console.log(`text profile          ${text}`);
    console.log(`records               ${ingest.records.toLocaleString('en-US')} (JSON.parse saw ${parse.records.toLocaleString('en-US')})`);
    console.log(`bare JSON.parse       ${parse.seconds.toFixed(2)} s, peak RSS ${parse.peakRssMb.toFixed(0)} MB`);
    console.log(`ingest (vc2m import)  ${ingest.seconds.toFixed(2)} s, peak RSS ${ingest.peakRssMb.toFixed(0)} MB`);
    console.log(`ratio ingest / parse  ${ratio.toFixed(2)}x   (target <= 1.5x)   peak RSS ${ingest.peakRssMb <= 512 ? 'within' : 'OVER'} 512 MB`);
    // The import writes from the engine's thread (one writer), so what the UI waits for meanwhile is measured too.
    const config = join(work, 'config-api');
    await apiWhileJobRuns(join(here, '..', 'main'), config, 'an import of all 60 files runs', async (engine) => {
      const created = await engine.call('library.create', { path: join(work, 'lib-api') });
      if (!created.ok) throw new Error(created.error.message);
      const started = await engine.call('annotations.import', { path: fixture });
      if (!started.ok) throw new Error(started.error.message);
      return (started.value as { id: number }).id;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const benches: Record<string, () => Promise<void>> = {
  ingest: async () => {
    const only = process.argv[3];
    if (only !== undefined && only !== 'mixed' && only !== 'ascii') throw new Error(`unknown text profile "${only}"; available: mixed, ascii`);
    if (only !== 'ascii') await ingestBench('mixed');
    if (only !== 'mixed') await ingestBench('ascii');
  },
  fetch: fetchBench,
  viewer: () => viewerBench(join(here, '..', 'main')),
  download: () => downloadBench(process.argv[3]),
  extract: extractBench,
  m3it: () => m3itBench(join(here, '..', 'main')),
  relink: relinkBench,
  clips: () => clipsBench(join(here, '..', 'main')),
  manifest: () => manifestBench(join(here, '..', 'main')),
  verify: async () => {
    const only = process.argv[3];
    if (only !== 'container') await quickVerifyBench();
    if (only !== 'quick') await containerBench();
  },
};
const which = process.argv[2] ?? 'ingest';
const bench = benches[which];
if (!bench) {
  console.error(`unknown benchmark "${which}"; available: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
await bench();
