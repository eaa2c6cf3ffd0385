import { resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { ManifestComparisonInfo } from '../../shared/api/manifest-models';
import { readManifest } from '../services/manifest/manifest-file';
import { callEngine, followJob, openCliLibrary } from './cli-engine';
import { type CommandContext, EXIT } from './commands';
import { formatTable } from './format-table';
import { ProgressPrinter } from './progress-printer';

export const COMPARE_SCHEMA = 'vc2m.manifest-compare/1';
const USAGE =
  'usage: vc2m manifest [--level quick|container|decode] [--hash] [--out <file.jsonl.gz|file.csv.gz>] | vc2m manifest compare <theirs> [--level L] [--json]';

/** `vc2m manifest …`: writes the copy's manifest, or compares this copy with another's. */
export async function manifest(context: CommandContext): Promise<number> {
  const { positionals } = context;
  if (positionals[0] === 'compare') return compare(context);
  if (positionals.length > 0) throw new ApiError('VALIDATION_ERROR', USAGE);
  const { engine, library, flags, out } = context;
  await openCliLibrary(engine, library);
  const name = `vc2m-manifest-${new Date().toISOString().slice(0, 10)}.jsonl.gz`;
  const started = await engine.call('manifest.write', { out: resolve(flags.out ?? name), level: flags.level ?? 'quick', hash: flags.hash ?? false });
  if (!started.ok) throw ApiError.fromShape(started.error);
  const job = await followJob(engine, started.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  if (job.state === 'cancelled') {
    out('manifest cancelled; nothing was written (hashes taken so far are kept for the next run)');
    return EXIT.interrupted;
  }
  out(job.state === 'finished' ? (job.message ?? 'done') : `manifest ${job.state}: ${job.message ?? ''}`);
  return job.state === 'finished' ? EXIT.ok : EXIT.problems;
}

const refList = <T extends { ref: string }>(examples: T[], count: number, detail: (e: T) => string) =>
  `${examples.map((e) => `${e.ref} (${detail(e)})`).join(', ')}${count > examples.length ? `, … ${count - examples.length} more` : ''}`;

function printComparison(result: ManifestComparisonInfo, out: (text: string) => void): void {
  out(`compared with ${result.theirs.path} (${result.theirs.library}, ${result.theirs.createdAt}, ${result.theirs.level} level)`);
  out(result.hashesCompared ? 'files compared by size and sha256' : 'files compared by size only (sha256 needs --hash on both sides: vc2m manifest --hash)');
  for (const a of result.annotationsDiffer) {
    out(`annotations of ${a.subset} differ: here ${a.here?.slice(0, 12) ?? 'not ingested'}, there ${a.there?.slice(0, 12) ?? 'not ingested'}`);
  }
  out(
    formatTable(
      ['subset', 'they have, here not', 'differ', 'only here', 'same'],
      result.subsets.map((s) => [s.subset, String(s.theyHave.count), String(s.differ.count), String(s.onlyHere.count), String(s.same)]),
    ),
  );
  for (const s of result.subsets) {
    if (s.theyHave.count) out(`${s.subset}: they have, here not: ${refList(s.theyHave.examples, s.theyHave.count, (e) => `here ${e.here}`)}`);
    if (s.differ.count)
      out(`${s.subset}: differ: ${refList(s.differ.examples, s.differ.count, (e) => `${e.what} ${e.here.slice(0, 12)} here, ${e.there.slice(0, 12)} there`)}`);
    if (s.onlyHere.count) out(`${s.subset}: only here: ${refList(s.onlyHere.examples, s.onlyHere.count, (e) => `there ${e.there}`)}`);
  }
}

/** `vc2m manifest compare <theirs> [--json]`: exit 0 when the copies hold the same files, 1 when they differ. */
async function compare({ engine, positionals, json, library, flags, out }: CommandContext): Promise<number> {
  const [, theirs] = positionals;
  if (!theirs || positionals.length !== 2) throw new ApiError('VALIDATION_ERROR', USAGE);
  await openCliLibrary(engine, library);
  // This copy as it is now, checked as deep as theirs was: a verify at their manifest's level first (files unchanged
  // since their last check at that level are not looked at again).
  const peek = await readManifest(resolve(theirs));
  peek.close();
  const level = flags.level ?? peek.header.level;
  const verify = await engine.call('verify.start', { level });
  if (!verify.ok) throw ApiError.fromShape(verify.error);
  const checked = await followJob(engine, verify.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  if (checked.state !== 'finished')
    throw new ApiError('VALIDATION_ERROR', `the verify before the comparison did not finish (${checked.state}: ${checked.message ?? ''})`);
  const result = await callEngine(engine, 'manifest.compare', { path: resolve(theirs) });
  if (json) out(JSON.stringify({ schema: COMPARE_SCHEMA, library: engine.library.current()?.path, ...result }, null, 2));
  else printComparison(result, out);
  const differs = result.annotationsDiffer.length > 0 || result.subsets.some((s) => s.theyHave.count + s.onlyHere.count + s.differ.count > 0);
  return differs ? EXIT.problems : EXIT.ok;
}
