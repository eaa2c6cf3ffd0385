import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliEngine } from '../../main/cli/cli-engine';
import { catalog } from '../../shared/catalog/index';

// Runs one side of the ingest benchmark in a fresh process, so wall time and peak RSS belong to that side alone.
// argv: parse <fixtureDir> | ingest <fixtureDir> <libraryDir>
const [mode, fixture, library] = process.argv.slice(2);

async function main(): Promise<{ records: number }> {
  if (mode === 'parse') {
    let records = 0;
    for (const subset of catalog.subsets) {
      const value = JSON.parse(readFileSync(join(fixture as string, subset.annotationPath), 'utf8')) as unknown[];
      records += value.length;
    }
    return { records };
  }
  const engine = createCliEngine({ ...process.env, VC2M_CONFIG_DIR: join(library as string, '..', 'config') });
  try {
    const created = await engine.call('library.create', { path: library });
    if (!created.ok) throw new Error(created.error.message);
    const job = engine.annotations.startImport(fixture as string);
    const done = await engine.jobs.waitForJob(job.id);
    if (done.state !== 'finished') throw new Error(`import ${done.state}: ${done.message}`);
    return { records: engine.annotations.status().subsets.reduce((sum, s) => sum + (s.records ?? 0), 0) };
  } finally {
    await engine.close();
  }
}

const started = performance.now();
main().then(
  ({ records }) => {
    const seconds = (performance.now() - started) / 1000;
    // maxRSS covers every thread of this process, the ingest workers included (kilobytes on Linux).
    process.stdout.write(`${JSON.stringify({ mode, seconds, records, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
