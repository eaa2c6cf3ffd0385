import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAnnotationFixture } from '../fixtures/annotation-fixture';

// `npm run bench -- ingest`: full-scale fixture, the app's ingest against a bare JSON.parse of the same files,
// each in its own process, measured in the same run. Prints the numbers and their ratio.
const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = resolve(here, '..', '..', '.cache', 'bench');

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

async function ingestBench(): Promise<void> {
  const fixture = join(cacheDir, 'fixture-full-seed1');
  if (!existsSync(join(fixture, '.complete'))) {
    console.log('writing the full-scale fixture (once; cached in .cache/bench)…');
    rmSync(fixture, { recursive: true, force: true });
    mkdirSync(fixture, { recursive: true });
    const truth = await writeAnnotationFixture(fixture, { scale: 'full', seed: 1 });
    writeFileSync(join(fixture, '.complete'), JSON.stringify({ totalRecords: truth.totalRecords }));
  }
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-'));
  try {
    const parse = child(['parse', fixture]);
    const ingest = child(['ingest', fixture, join(work, 'lib')]);
    const ratio = ingest.seconds / parse.seconds;
    console.log('');
    console.log(`records               ${ingest.records.toLocaleString('en-US')} (JSON.parse saw ${parse.records.toLocaleString('en-US')})`);
    console.log(`bare JSON.parse       ${parse.seconds.toFixed(2)} s, peak RSS ${parse.peakRssMb.toFixed(0)} MB`);
    console.log(`ingest (vc2m import)  ${ingest.seconds.toFixed(2)} s, peak RSS ${ingest.peakRssMb.toFixed(0)} MB`);
    console.log(`ratio ingest / parse  ${ratio.toFixed(2)}x   (target <= 1.5x)   peak RSS ${ingest.peakRssMb <= 512 ? 'within' : 'OVER'} 512 MB`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const which = process.argv[2] ?? 'ingest';
if (which !== 'ingest') {
  console.error(`unknown benchmark "${which}"; available: ingest`);
  process.exit(2);
}
await ingestBench();
